"""Training the customer models: churn, lifetime value and segments.

Each ``train_*`` function fits its family on the store's quote history,
registers every model with its measured metrics, and stores the batch scores
of every customer in ``predictions`` (``entity_type`` "customer"), so the list
answers are a query. Every function works inside the caller's transaction.
"""

from __future__ import annotations

import logging

import pandas as pd
from sqlalchemy.orm import Session

from storage.prediction_log import log_scores
from storage.registry import ModelRecord, fingerprint_frame, register_model

logger = logging.getLogger(__name__)

SEGMENTS_MODEL = "segments.kmeans"


def train_customer_models(session: Session, progress=None) -> dict:
    """Train every customer model on the store's quotes; return what was trained."""
    from storage.queries import quote_history

    progress = progress or (lambda _phase: None)
    quotes = quote_history(session)
    progress("segmenting customers")
    segments = train_segments(session, quotes)
    return {"registered": [f"{segments.name} v{segments.version}"]}


def train_segments(session: Session, quotes: pd.DataFrame) -> ModelRecord:
    """Segment every buying customer; store the segmenter and each one's segment.

    Each customer's score is their segment id; its details hold the segment's
    name and the two numbers the segment chart plots (orders a month and
    yearly value).
    """
    from analytics.segments import fit_segments
    from analytics.segments.evaluate import latest_day

    as_of = latest_day(quotes)
    model, features = fit_segments(quotes, as_of)
    artifact_format, artifact = model.to_artifact()
    chosen = model.scores_[model.k_]
    record = register_model(
        session,
        name=SEGMENTS_MODEL,
        model_type="kmeans",
        artifact_format=artifact_format,
        artifact=artifact,
        data_fingerprint=fingerprint_frame(features),
        metrics={
            "k": model.k_,
            "silhouette": round(chosen["silhouette"], 4),
            "davies_bouldin": round(chosen["davies_bouldin"], 4),
            "customers": len(features),
            "as_of": as_of.date().isoformat(),
        },
        params=model.get_params(),
    )
    labels = pd.Series(model.labels_, index=features.index.astype(str))
    details = {
        str(customer_id): {
            "segment": model.names_[int(label)],
            "frequency": round(float(row.frequency), 4),
            "value": round(float(row.value), 2),
        }
        for (customer_id, row), label in zip(
            features.iterrows(), model.labels_, strict=True
        )
    }
    log_scores(
        session,
        model=record,
        model_name=SEGMENTS_MODEL,
        entity_type="customer",
        scores=labels,
        details=details,
    )
    logger.info("trained segments: %s segments of %s customers", model.k_, len(labels))
    return record
