"""What kind of deal a quote is, judged against this business's own quotes.

No threshold is in dollars or units: ``fit`` reads the quantiles of the
store's quote totals and unit counts, so "large" means large for this
business. A quote in the top tenth by value is an **enterprise deal**; one in
the top tenth by units (but not by value) a **bulk order**; one in the bottom
fifth by both value and units a **trial**; anything else **standard**. Each
kind comes with the sales approach that suits it, in one sentence.
"""

from __future__ import annotations

from typing import Self

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from analytics.text.errors import NotFittedError, TextModelError

INTENTS = ("enterprise_deal", "bulk_order", "trial", "standard")
LABELS = {
    "enterprise_deal": "enterprise deal",
    "bulk_order": "bulk order",
    "trial": "trial",
    "standard": "standard order",
}
APPROACHES = {
    "enterprise_deal": (
        "Bring in a manager early, map every decision maker and sell on "
        "multi-year value rather than on price."
    ),
    "bulk_order": (
        "Lead with volume pricing and delivery dates they can plan around, "
        "and propose a framework agreement for the repeat orders."
    ),
    "trial": (
        "Make the first order effortless, agree what success looks like, and "
        "book a review before it ends to turn it into a full order."
    ),
    "standard": (
        "Keep it quick: confirm the quantities, follow up within a week, and "
        "mention one product that fits what they already buy."
    ),
}
MIN_QUOTES = 20


class TooFewQuotesError(TextModelError):
    """Too few quotes to know what a large or small quote is for this business."""

    def __init__(self, got: int) -> None:
        super().__init__(
            f"Judging a quote's size needs at least {MIN_QUOTES} quotes in the "
            f"store to compare it with; there are {got}."
        )


class QuoteIntentClassifier(BaseEstimator):
    """Enterprise deal, bulk order, trial or standard, by relative size.

    Parameters
    ----------
    enterprise_quantile : float
        Quotes with a total at or above this quantile are enterprise deals.
    bulk_quantile : float
        Quotes with units at or above this quantile are bulk orders.
    trial_quantile : float
        Quotes at or below this quantile of both total and units are trials.

    Attributes
    ----------
    thresholds_ : dict
        ``enterprise_total``, ``bulk_units``, ``trial_total`` and
        ``trial_units`` as read from the quotes ``fit`` saw.
    n_quotes_ : int
    """

    def __init__(
        self,
        enterprise_quantile: float = 0.9,
        bulk_quantile: float = 0.9,
        trial_quantile: float = 0.2,
    ) -> None:
        self.enterprise_quantile = enterprise_quantile
        self.bulk_quantile = bulk_quantile
        self.trial_quantile = trial_quantile

    def fit(self, quotes: pd.DataFrame) -> Self:
        """Learn the thresholds from ``quotes`` (columns ``total``, ``units``)."""
        if len(quotes) < MIN_QUOTES:
            raise TooFewQuotesError(len(quotes))
        totals, units = quotes["total"].astype(float), quotes["units"].astype(float)

        self.thresholds_ = {
            "enterprise_total": float(totals.quantile(self.enterprise_quantile)),
            "bulk_units": float(units.quantile(self.bulk_quantile)),
            "trial_total": float(totals.quantile(self.trial_quantile)),
            "trial_units": float(units.quantile(self.trial_quantile)),
        }
        self.n_quotes_ = len(quotes)
        return self

    def predict(self, quotes: pd.DataFrame) -> np.ndarray:
        """The intent of each quote, one of ``INTENTS``."""
        if not hasattr(self, "thresholds_"):
            raise NotFittedError("quote intent classifier")
        t = self.thresholds_
        total, units = quotes["total"].astype(float), quotes["units"].astype(float)
        return np.select(
            [
                total >= t["enterprise_total"],
                units >= t["bulk_units"],
                (total <= t["trial_total"]) & (units <= t["trial_units"]),
            ],
            ["enterprise_deal", "bulk_order", "trial"],
            default="standard",
        )

    def reason(self, intent: str, money=lambda v: f"{v:,.0f}") -> str:
        """Why a quote got ``intent``, in this business's own numbers."""
        t = self.thresholds_
        reasons = {
            "enterprise_deal": (
                f"its total is in the top {1 - self.enterprise_quantile:.0%} of "
                f"quotes (from {money(t['enterprise_total'])})"
            ),
            "bulk_order": (
                f"its units are in the top {1 - self.bulk_quantile:.0%} of quotes "
                f"(from {t['bulk_units']:,.0f})"
            ),
            "trial": (
                f"its total and units are in the bottom {self.trial_quantile:.0%} "
                f"of quotes (up to {money(t['trial_total'])} and "
                f"{t['trial_units']:,.0f} units)"
            ),
            "standard": "its size is typical of this business's quotes",
        }
        return reasons[intent]
