"""Discount suggestions that learn from how quotes were decided.

``ThompsonPricer`` keeps a Beta posterior of acceptance for each discount on a
grid, per (customer segment, product category) cell, counted from decided
quotes, and suggests the discount of the highest expected margin
(acceptance times price after discount less unit cost) under a posterior draw
(Thompson sampling) or under the posterior mean (``best``, for a
deterministic explanation). ``Guardrails`` keep every suggestion above a
floor price and within the discount a person may give. ``evaluate_pricing``
compares Thompson sampling with the oracle, today's discounts and the random
price jitter of the original guide on a simulated market whose price
sensitivity is known; ``acceptance_holdout`` scores its chances of
acceptance on later quotes against rates that ignore the market cell.

Modules: ``model`` (the pricer), ``guardrails``, ``simulate`` (market,
policies, regret), ``holdout``, ``errors``.
"""

from analytics.pricing.errors import (
    NoAllowedDiscountError,
    NotFittedError,
    PricingError,
)
from analytics.pricing.guardrails import Guardrails
from analytics.pricing.holdout import acceptance_holdout
from analytics.pricing.model import DISCOUNT_GRID, PRIOR_STRENGTH, ThompsonPricer
from analytics.pricing.simulate import Market, MarketSegment, evaluate_pricing

__all__ = [
    "DISCOUNT_GRID",
    "PRIOR_STRENGTH",
    "Guardrails",
    "Market",
    "MarketSegment",
    "NoAllowedDiscountError",
    "NotFittedError",
    "PricingError",
    "ThompsonPricer",
    "acceptance_holdout",
    "evaluate_pricing",
]
