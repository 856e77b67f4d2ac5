"""Pricing policies measured offline: ``quotebot evaluate``'s ``pricing`` section.

Thompson sampling is played against the oracle, today's discounts and the
random jitter of the original guide on a simulated market whose acceptance
curves are known (``analytics.pricing.evaluate_pricing``), and its acceptance
estimates are scored on the newest decided quotes of the store
(``analytics.pricing.acceptance_holdout``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.pricing_state import (
    DISCOUNT_LEVELS,
    category_cost_ratios,
    decided_quotes,
)


def evaluate_pricing_policies(session: Session, rounds: int | None = None) -> dict:
    """Thompson sampling against the oracle, today's discounts and random jitter.

    The simulated market is the demo generator's, read from the store's ground
    truth (each segment's acceptance curve, share of requests, category
    weights, median quote and the discounts its reps give) with the store's
    product costs. A store without planted ground truth (real data) is
    simulated on the generator's own planted segments and catalogue, and the
    report's ``market`` says which. See ``analytics.pricing.evaluate_pricing``
    for the report. ``holdout`` scores the acceptance estimates on the newest
    quarter of the store's decided quotes against rates that ignore the
    market cell (``analytics.pricing.acceptance_holdout``).
    """
    from analytics.pricing import evaluate_pricing
    from analytics.pricing.simulate import DEFAULT_ROUNDS

    market, source = pricing_market(session)
    report = evaluate_pricing(market, rounds or DEFAULT_ROUNDS, seed=0)
    return {**report, "market": source, "holdout": _holdout(session)}


def _holdout(session: Session) -> dict:
    """The acceptance estimates scored on the newest quarter of decided quotes."""
    from analytics.pricing import PricingError, acceptance_holdout

    try:
        return acceptance_holdout(decided_quotes(session), discounts=DISCOUNT_LEVELS)
    except PricingError as error:
        return {"skipped": str(error)}


def pricing_market(session: Session):
    """The simulated market and where its curves came from."""
    from storage.models import GroundTruth

    truths = {
        row.entity_id: row.value
        for row in session.scalars(
            select(GroundTruth).where(GroundTruth.kind == "segment")
        )
    }
    costs = category_cost_ratios(session)
    if truths and costs:
        weights = _store_category_weights(session, costs)
        return _market(truths, weights, costs), "store ground truth"
    return _planted_market(), "the demo generator's planted segments"


def _planted_market():
    from storage.demo.catalog import COST_RATIO, PRODUCTS
    from storage.demo.segments import SEGMENTS

    weights: dict[str, float] = {}
    for item in PRODUCTS:
        weights[item.category] = weights.get(item.category, 0.0) + item.popularity
    costs = {category: float(ratio) for category, ratio in COST_RATIO.items()}
    return _market({s.name: s.truth() for s in SEGMENTS}, weights, costs)


def _market(truths: dict[str, dict], weights: dict[str, float], costs: dict):
    from analytics.pricing import Market, MarketSegment

    segments = tuple(
        MarketSegment(
            name=name,
            share=truth["share"] * truth["quotes_per_month"],
            alpha=truth["acceptance"]["alpha"],
            beta=truth["acceptance"]["beta"],
            discount_probs=tuple(truth["discount_probabilities"]),
            category_mix={
                c: w * truth.get("category_weights", {}).get(c, 1.0)
                for c, w in weights.items()
            },
            typical_value=truth.get("median_quote_subtotal") or 1.0,
        )
        for name, truth in sorted(truths.items())
    )
    return Market(segments, costs, DISCOUNT_LEVELS)


def _store_category_weights(session: Session, costs: dict) -> dict[str, float]:
    """How often each costed category is a quote's main category in the store."""
    quotes = decided_quotes(session)
    counts = quotes["category"].value_counts()
    return {c: float(counts.get(c, 0)) for c in costs if counts.get(c, 0) > 0}
