"""The straight-line trend the customer's old guide started from.

Ordinary least squares of revenue on time. It ignores the weekly and yearly
rhythm, so it is kept as a reference rather than as a contender. Its
intervals are the empirical quantiles of the in-sample residuals, widened by
the uncertainty of the fitted line at each future date
(``sqrt(1 + 1/n + (t - mean t)^2 / Sxx)``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analytics.forecasting.base import QUANTILES, Forecaster

MIN_HISTORY = {"D": 14, "W-MON": 8}


class LinearTrendForecaster(Forecaster):
    """A straight line through the history, extended into the future.

    Attributes
    ----------
    intercept_, slope_ : float
        Revenue at the first training period, and its change per period.
    n_ : int
        Training periods; time runs 0 .. n_ - 1.
    residual_quantiles_ : dict of str to float
        Quantiles of the in-sample residuals, keyed like the interval bounds.
    """

    name = "linear"
    label = "Linear trend"

    def min_history(self, frequency: str) -> int:
        return MIN_HISTORY[frequency]

    def _fit(self, y: pd.Series) -> None:
        values = y.to_numpy()
        time = np.arange(len(values), dtype=float)

        slope, intercept = np.polyfit(time, values, deg=1)
        residuals = values - (intercept + slope * time)
        quantiles = np.quantile(residuals, list(QUANTILES.values()))

        self.intercept_ = float(intercept)
        self.slope_ = float(slope)
        self.n_ = len(values)
        self.residual_quantiles_ = dict(
            zip(QUANTILES, map(float, quantiles), strict=True)
        )

    def _predict(self, horizon: int) -> dict[str, np.ndarray]:
        time = self.n_ + np.arange(horizon, dtype=float)
        yhat = self.intercept_ + self.slope_ * time
        widening = self._widening(time)

        bounds = {k: yhat + q * widening for k, q in self.residual_quantiles_.items()}
        return {"yhat": yhat, **bounds}

    def _widening(self, time: np.ndarray) -> np.ndarray:
        """How much wider than the residual spread the interval is at ``time``."""
        seen = np.arange(self.n_, dtype=float)
        spread = ((seen - seen.mean()) ** 2).sum()
        leverage = 1.0 / self.n_ + (time - seen.mean()) ** 2 / spread
        return np.sqrt(1.0 + leverage)

    def _state(self) -> dict[str, Any]:
        return {
            "intercept": self.intercept_,
            "slope": self.slope_,
            "n": self.n_,
            "residual_quantiles": self.residual_quantiles_,
        }

    def _restore(self, state: dict[str, Any]) -> None:
        self.intercept_ = float(state["intercept"])
        self.slope_ = float(state["slope"])
        self.n_ = int(state["n"])
        self.residual_quantiles_ = {
            k: float(v) for k, v in state["residual_quantiles"].items()
        }
