"""Training the product recommender and mining the bought-together rules.

``train_recommendations`` runs inside ``quotebot train``: it measures the
recommenders on a temporal holdout of the store's accepted quotes, fits the
item-based variant that won on validation on all the history, mines the
bought-together rules over the quotes as baskets, and registers both
(``recommend.item_cf`` and ``recommend.rules``, both as compressed numpy
arrays, never pickled). Answers load them back with ``load_recommender`` and
``load_rules``. Works inside the caller's transaction.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager

import pandas as pd
from sqlalchemy.orm import Session

from storage.queries import accepted_lines
from storage.registry import (
    ModelRecord,
    fingerprint_frame,
    latest_model,
    register_model,
)
from tools.errors import NotEnoughDataError

logger = logging.getLogger(__name__)

RECOMMEND_MODEL = "recommend.item_cf"
RULES_MODEL = "recommend.rules"
DEFAULT_WEIGHTING = "bm25"


def train_recommendations(session: Session) -> list[ModelRecord]:
    """Fit and register the recommender and the rules; [] when nothing was sold."""
    lines = accepted_lines(session)
    if lines.empty:
        logger.info("recommendations not trained: no accepted quote lines")
        return []
    fingerprint = fingerprint_frame(lines[["quote_id", "customer_id", "product_id"]])
    return [
        _train_recommender(session, lines, fingerprint),
        _mine_rules(session, lines, fingerprint),
    ]


def _train_recommender(session, lines: pd.DataFrame, fingerprint: str) -> ModelRecord:
    from analytics.recommend import (
        ItemBasedRecommender,
        TooLittleHistoryError,
        evaluate_recommendations,
    )

    try:
        evaluation = evaluate_recommendations(lines)
        params = evaluation["selected_params"]
    except TooLittleHistoryError as error:
        logger.info("recommenders not measured: %s", error)
        evaluation = {"not_measured": str(error)}
        params = {"weighting": DEFAULT_WEIGHTING}
    model = ItemBasedRecommender(**params).fit(lines)
    weighting = model.weighting
    artifact_format, artifact = model.to_artifact()
    metrics = {
        **evaluation,
        "served": f"item_cf_{weighting}",
        "as_of": lines["created_at"].max().date().isoformat(),
        "customers_fitted": model.n_customers_,
        "products": len(model.product_ids_),
    }
    record = register_model(
        session,
        name=RECOMMEND_MODEL,
        model_type=f"item_cf_{weighting}",
        artifact_format=artifact_format,
        artifact=artifact,
        data_fingerprint=fingerprint,
        metrics=metrics,
        params=model.get_params(),
    )
    logger.info(
        "trained recommender item_cf_%s on %s customers", weighting, model.n_customers_
    )
    return record


def _mine_rules(session, lines: pd.DataFrame, fingerprint: str) -> ModelRecord:
    from analytics.recommend import PairRules

    rules = PairRules().fit(lines)
    artifact_format, artifact = rules.to_artifact()
    return register_model(
        session,
        name=RULES_MODEL,
        model_type="pair_rules",
        artifact_format=artifact_format,
        artifact=artifact,
        data_fingerprint=fingerprint,
        metrics={
            "baskets": rules.n_baskets_,
            "skipped_baskets": rules.skipped_baskets_,
            "rules": len(rules.rules_),
            "as_of": lines["created_at"].max().date().isoformat(),
        },
        params=rules.get_params(),
    )


def load_recommender(session: Session):
    """The latest registered recommender and its record, or (None, None)."""
    from analytics.recommend import ItemBasedRecommender

    record = latest_model(session, RECOMMEND_MODEL)
    if record is None:
        return None, None
    with _readable():
        model = ItemBasedRecommender.from_artifact(
            record.artifact_format, record.artifact
        )
    return model, record


def load_rules(session: Session):
    """The latest mined rules and their record, or (None, None)."""
    from analytics.recommend import PairRules

    record = latest_model(session, RULES_MODEL)
    if record is None:
        return None, None
    with _readable():
        return PairRules.from_artifact(record.artifact_format, record.artifact), record


@contextmanager
def _readable():
    """A stored model this code cannot read is a sentence for the asker."""
    from analytics.recommend import ArtifactError

    try:
        yield
    except ArtifactError as error:
        raise NotEnoughDataError(str(error)) from error


def evaluate_recommendation_section(session: Session) -> dict:
    """The ``recommendations`` section of ``quotebot evaluate``.

    Hit rate at 5 and recall at 10 of popularity and every item-based
    variant on the temporal holdout, the variant selected on validation,
    and, on a demo store, where the planted bundles rank among the
    bought-together pairs (``bundles``).
    """
    from analytics.recommend import RecommendError, evaluate_recommendations

    lines = accepted_lines(session)
    try:
        section = evaluate_recommendations(lines)
    except RecommendError as error:
        section = {"models": {}, "selected": None, "cutoff": None, "customers": 0}
        section["not_measured"] = str(error)
    planted = planted_bundle_pairs(session)
    if planted and not lines.empty:
        section["bundles"] = bundle_ranks(lines, planted)
    return section


def planted_bundle_pairs(session: Session) -> list[tuple[int, int]]:
    """(anchor, companion) product ids of the demo's planted bundles, if any."""
    from sqlalchemy import select

    from storage.models import GroundTruth, Product

    bundles = session.scalars(
        select(GroundTruth.value).where(GroundTruth.kind == "bundle")
    ).all()
    ids = dict(session.execute(select(Product.sku, Product.id)).all())
    return [
        (ids[bundle["anchor"]["sku"]], ids[companion["sku"]])
        for bundle in bundles
        for companion in bundle["companions"]
        if bundle["anchor"]["sku"] in ids and companion["sku"] in ids
    ]


def bundle_ranks(lines: pd.DataFrame, planted: list[tuple[int, int]]) -> dict:
    """How the planted pairs rank among all pairs by lift, and their lift."""
    from analytics.recommend import PairRules

    strongest = PairRules().fit(lines).strongest(top_n=10**6)
    ranked = [
        frozenset(pair)
        for pair in zip(
            strongest["antecedent_id"], strongest["consequent_id"], strict=True
        )
    ]
    lifts = dict(zip(ranked, strongest["lift"], strict=True))
    ranks = [ranked.index(frozenset(p)) + 1 for p in planted if frozenset(p) in lifts]
    found = [lifts[frozenset(p)] for p in planted if frozenset(p) in lifts]
    return {
        "planted_pairs": len(planted),
        "found": len(found),
        "in_top_planted": sum(rank <= len(planted) for rank in ranks),
        "min_lift": round(float(min(found)), 2) if found else None,
    }
