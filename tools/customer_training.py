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
from tools.money import book_currency

logger = logging.getLogger(__name__)

SEGMENTS_MODEL = "segments.kmeans"
CHURN_MODEL = "churn"
CHURN_WINDOW_DAYS = 90
CLV_MODEL = "clv"
CLV_HORIZON_DAYS = 90


def train_customer_models(session: Session, progress=None) -> dict:
    """Train every customer model on the store's quotes; return what was trained."""
    from storage.queries import quote_history

    progress = progress or (lambda _phase: None)
    quotes = quote_history(session)
    progress("churn models")
    churn = train_churn(session, quotes)
    progress("lifetime value")
    clv = train_clv(session, quotes)
    progress("segmenting customers")
    segments = train_segments(session, quotes)
    progress("recommendations and bought-together rules")
    from tools.recommend_training import train_recommendations

    recommend = train_recommendations(session)
    progress("pricing from decided quotes")
    from tools.pricing import train_pricing

    pricing = train_pricing(session)
    progress("unusual quotes")
    from tools.anomalies import train_anomalies

    anomalies = train_anomalies(session)
    progress("note sentiment")
    from tools.sentiment import train_sentiment

    sentiment = train_sentiment(session)
    records = [churn, clv, segments, anomalies, sentiment, *recommend]
    return {
        "registered": [f"{r.name} v{r.version}" for r in records if r],
        "pricing": pricing,
    }


def train_churn(session: Session, quotes: pd.DataFrame) -> ModelRecord | None:
    """Compare the churn models, serve the best, and score every current account.

    The rules baseline, XGBoost and the neural net are fitted on rolling
    cutoffs, calibrated on a later one and scored on a still later one
    (``analytics.churn.evaluate_churn``); the best by PR AUC is refitted on
    all labelled history and registered as ``churn`` with every model's
    numbers. Each account's score is its calibrated probability of placing no
    accepted order in the next 90 days, its details the reasons in words.
    Returns None (and logs why) when the history is too short.
    """
    from analytics.churn import (
        TooLittleHistoryError,
        evaluate_churn,
        fit_churn_model,
        last_data_day,
        score_customers,
    )

    try:
        evaluation = evaluate_churn(quotes, CHURN_WINDOW_DAYS)
    except TooLittleHistoryError as error:
        logger.info("churn models not trained: %s", error)
        return None
    model = fit_churn_model(quotes, evaluation["selected"], CHURN_WINDOW_DAYS)
    scores = score_customers(model, quotes)
    as_of = last_data_day(quotes).date().isoformat()
    metrics = {**evaluation, "scored_as_of": as_of}
    record = _register(
        session, CHURN_MODEL, model, metrics, scores, model.name, model.get_params()
    )
    log_scores(
        session,
        model=record,
        model_name=CHURN_MODEL,
        entity_type="customer",
        scores=scores.set_index(scores["customer_id"].astype(str))["probability"],
        details=_churn_reasons(model, scores),
    )
    logger.info(
        "trained churn model %s on %s accounts; PR AUC %s on a later cutoff",
        model.name,
        len(scores),
        evaluation["models"][model.name]["pr_auc"],
    )
    return record


def train_clv(session: Session, quotes: pd.DataFrame) -> ModelRecord | None:
    """Compare the lifetime-value models, serve the best, and value every customer.

    BG/NBD with Gamma-Gamma, a boosted regressor and the naive "same as the
    last period" baseline are compared on a 90-day holdout after a
    calibration period (``analytics.clv.evaluate_clv``); the family with the
    lowest error is refitted on all the history. When it cannot reach twelve
    months ahead with this much history, BG/NBD serves instead, and the
    metrics say so. Each customer's score is the revenue expected in the next
    12 months; its details hold the next 90 days, the chance the customer is
    still active and the orders expected.
    """
    from analytics.clv import (
        TooLittleHistoryError,
        evaluate_clv,
        fit_clv,
        orders_from_quotes,
        predict_clv,
    )

    orders = orders_from_quotes(quotes)
    try:
        evaluation = evaluate_clv(orders, CLV_HORIZON_DAYS)
    except TooLittleHistoryError as error:
        logger.info("lifetime value not trained: %s", error)
        return None
    as_of = orders["date"].max().normalize() + pd.Timedelta(days=1)
    family = evaluation["selected"]
    try:
        scorer = fit_clv(orders, as_of, family)
    except TooLittleHistoryError as error:
        logger.info("serving bgnbd instead of %s: %s", family, error)
        family, scorer = "bgnbd", fit_clv(orders, as_of, "bgnbd")
    values = predict_clv(scorer, orders, as_of)
    metrics = {
        **evaluation,
        "served": family,
        "scored_as_of": as_of.date().isoformat(),
        "currency": book_currency(quotes),
    }
    record = _register(
        session, CLV_MODEL, scorer, metrics, values, family, {"family": family}
    )
    log_scores(
        session,
        model=record,
        model_name=CLV_MODEL,
        entity_type="customer",
        scores=values.set_index(values["customer_id"].astype(str))["value_365d"],
        details=_clv_details(values),
    )
    logger.info("valued %s customers with %s", len(values), family)
    return record


def _clv_details(values: pd.DataFrame) -> dict[str, dict]:
    columns = ("value_90d", "probability_alive", "expected_orders_90d")
    return {
        str(int(row["customer_id"])): {c: _number(row[c]) for c in columns}
        for _, row in values.iterrows()
    }


def _register(
    session, name: str, model, metrics: dict, frame, model_type: str, params: dict
) -> ModelRecord:
    artifact_format, artifact = model.to_artifact()
    return register_model(
        session,
        name=name,
        model_type=model_type,
        artifact_format=artifact_format,
        artifact=artifact,
        data_fingerprint=fingerprint_frame(frame),
        metrics=metrics,
        params=params,
    )


def _churn_reasons(model, scores: pd.DataFrame) -> dict[str, dict]:
    """Each account's reasons, in words with its own numbers, and its features."""
    from analytics.churn import FEATURES, describe_reasons, explain_customer

    details = {}
    for _, row in scores.iterrows():
        reasons = explain_customer(model, row[list(FEATURES)])
        details[str(int(row["customer_id"]))] = {
            "reason": describe_reasons(reasons),
            "days_since_last_order": _number(row.get("days_since_last_order")),
        }
    return details


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 2)


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
