"""The rule the detectors must beat: how far a quote's size is from its account's.

A quote's score is the absolute robust z of ``size_vs_customer`` (the log of
its total over the median of the customer's earlier quotes): its distance
from the training quotes' median, in units of their median absolute
deviation (times 1.4826, so a normal spread has unit scale). It is what a
rep would check by hand, "is this much bigger or smaller than usual for
them?", and it sees nothing of discounts or prices.
"""

from __future__ import annotations

from typing import Any, Self

import numpy as np

from analytics.anomalies.errors import NotFittedError
from analytics.anomalies.features import FEATURES

COLUMN = FEATURES.index("size_vs_customer")
MAD_SCALE = 1.4826
MIN_SPREAD = 1e-6


class RobustZBaseline:
    """``|robust z|`` of the quote's size against its customer's usual size.

    Attributes
    ----------
    median_, spread_ : float
        Median and scaled MAD of ``size_vs_customer`` over the training quotes.
    """

    name = "robust_z"

    def fit(self, X: np.ndarray) -> Self:
        """Learn the usual spread of sizes from ``X``, shape (n_quotes, 12)."""
        values = X[:, COLUMN]
        self.median_ = float(np.median(values))
        mad = float(np.median(np.abs(values - self.median_)))
        self.spread_ = max(MAD_SCALE * mad, MIN_SPREAD)
        return self

    def score(self, X: np.ndarray) -> np.ndarray:
        """``|size_vs_customer - median| / spread`` per quote, shape (n_quotes,)."""
        if not hasattr(self, "median_"):
            raise NotFittedError("robust z baseline")
        return np.abs(X[:, COLUMN] - self.median_) / self.spread_

    def state(self) -> dict[str, Any]:
        return {"median": self.median_, "spread": self.spread_}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Self:
        baseline = cls()
        baseline.median_ = float(state["median"])
        baseline.spread_ = float(state["spread"])
        return baseline
