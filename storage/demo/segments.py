"""Customer segments: the planted behaviour every demo account follows.

A segment fixes how often an account asks for quotes, how big they are, which
discounts its rep offers, and how price-sensitive the buyer is. Acceptance
follows a logistic curve in the quote's price ratio, the total over the list
value of its lines (1.0 at list price, 0.8 at 20 % off)::

    logit P(accept) = alpha - beta * price_ratio (+ a penalty before churn)

A large ``beta`` is a price-sensitive buyer: every point of discount moves
the odds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from storage.demo.catalog import HARDWARE, SERVICES, SOFTWARE, SUPPORT, TRAINING

DISCOUNT_LEVELS: tuple[float, ...] = (0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0)


@dataclass(frozen=True)
class Segment:
    """How the accounts of one segment buy.

    Parameters
    ----------
    name : str
        The segment's key in ground truth.
    share : float
        Fraction of generated accounts in the segment.
    quotes_per_month : float
        Mean quote requests per active month, before seasonality and trend.
    extra_lines : float
        Mean of the Poisson number of lines beyond the first.
    size_scale : float
        Multiplier on each product's typical quantity for a small customer.
    discount_probs : tuple of float, shape (7,)
        Probability of each of ``DISCOUNT_LEVELS`` being offered.
    alpha, beta : float
        Intercept and price slope of the acceptance logistic curve.
    decision_days : float
        Median days from sending a quote to the buyer's answer.
    notes_per_month : float
        Mean rep notes per active month.
    category_weights : dict
        Multipliers on product popularity by category.
    product_boosts : dict
        Multipliers on the popularity of single products, keyed by SKU.
    """

    name: str
    share: float
    quotes_per_month: float
    extra_lines: float
    size_scale: float
    discount_probs: tuple[float, ...]
    alpha: float
    beta: float
    decision_days: float
    notes_per_month: float
    category_weights: dict[str, float] = field(default_factory=dict)
    product_boosts: dict[str, float] = field(default_factory=dict)

    def acceptance_probability(
        self, price_ratio: np.ndarray, penalty: np.ndarray | float = 0.0
    ) -> np.ndarray:
        """P(accept) for quotes at ``price_ratio`` (shape (n,)) of list value."""
        logit = self.alpha - self.beta * np.asarray(price_ratio) + penalty
        return 1.0 / (1.0 + np.exp(-logit))

    def truth(self) -> dict:
        """The planted parameters, as JSON for the ground-truth table."""
        return {
            "share": self.share,
            "quotes_per_month": self.quotes_per_month,
            "mean_lines_per_quote": 1 + self.extra_lines,
            "size_scale": self.size_scale,
            "discount_levels": list(DISCOUNT_LEVELS),
            "discount_probabilities": list(self.discount_probs),
            "acceptance": {
                "formula": "logit P(accept) = alpha - beta * price_ratio",
                "price_ratio": "total / sum(quantity * list_price)",
                "alpha": self.alpha,
                "beta": self.beta,
            },
            "median_decision_days": self.decision_days,
            "notes_per_month": self.notes_per_month,
            "category_weights": self.category_weights,
            "product_boosts": self.product_boosts,
        }


ENTERPRISE = Segment(
    name="enterprise",
    share=0.15,
    quotes_per_month=1.6,
    extra_lines=2.5,
    size_scale=8.0,
    discount_probs=(0.05, 0.10, 0.20, 0.25, 0.20, 0.12, 0.08),
    alpha=3.1,
    beta=3.0,
    decision_days=14.0,
    notes_per_month=0.25,
    category_weights={
        SOFTWARE: 1.3,
        HARDWARE: 1.0,
        SERVICES: 1.3,
        SUPPORT: 1.4,
        TRAINING: 1.0,
    },
    product_boosts={
        "SP-ENT-001": 3.0,
        "SP-STD-001": 0.2,
        "HW-STO-001": 2.5,
        "HW-SRV-001": 2.0,
    },
)
MID_MARKET = Segment(
    name="mid_market",
    share=0.30,
    quotes_per_month=1.0,
    extra_lines=1.6,
    size_scale=3.0,
    discount_probs=(0.15, 0.20, 0.25, 0.20, 0.12, 0.05, 0.03),
    alpha=7.6,
    beta=8.0,
    decision_days=9.0,
    notes_per_month=0.18,
    category_weights={
        SOFTWARE: 1.2,
        HARDWARE: 1.0,
        SERVICES: 1.0,
        SUPPORT: 1.0,
        TRAINING: 1.0,
    },
)
SMB = Segment(
    name="smb",
    share=0.40,
    quotes_per_month=1.3,
    extra_lines=0.8,
    size_scale=1.0,
    discount_probs=(0.28, 0.24, 0.20, 0.14, 0.09, 0.05, 0.0),
    alpha=14.6,
    beta=16.0,
    decision_days=5.0,
    notes_per_month=0.10,
    category_weights={
        SOFTWARE: 1.2,
        HARDWARE: 1.1,
        SERVICES: 0.6,
        SUPPORT: 0.8,
        TRAINING: 0.7,
    },
    product_boosts={
        "SP-ENT-001": 0.05,
        "SP-PRM-001": 0.4,
        "HW-STO-001": 0.2,
        "HW-SRV-001": 0.3,
        "SW-API-001": 0.3,
    },
)
OCCASIONAL = Segment(
    name="occasional",
    share=0.15,
    quotes_per_month=0.12,
    extra_lines=0.6,
    size_scale=1.5,
    discount_probs=(0.35, 0.25, 0.20, 0.12, 0.08, 0.0, 0.0),
    alpha=9.0,
    beta=10.0,
    decision_days=7.0,
    notes_per_month=0.06,
    category_weights={
        SOFTWARE: 0.8,
        HARDWARE: 1.5,
        SERVICES: 0.8,
        SUPPORT: 0.6,
        TRAINING: 0.6,
    },
)

SEGMENTS: tuple[Segment, ...] = (ENTERPRISE, MID_MARKET, SMB, OCCASIONAL)
SEGMENT_BY_NAME: dict[str, Segment] = {s.name: s for s in SEGMENTS}
