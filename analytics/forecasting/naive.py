"""The baselines: repeat the last season, or forecast the mean.

``SeasonalNaiveForecaster`` is the model every other forecaster must beat: it
repeats the last week of a daily series (the last year of a weekly one). Its
intervals come from the empirical distribution of its own in-sample errors,
one season apart, widened by the square root of the number of seasons ahead
as the errors of a seasonal random walk add up.

``MeanForecaster`` is what remains when even one season of history is
missing: the mean, with intervals from the spread of what was seen.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analytics.forecasting.base import QUANTILES, Forecaster, normal_bands
from analytics.forecasting.series import season_length

MIN_SEASONAL_ERRORS = {"D": 14, "W-MON": 8}


class SeasonalNaiveForecaster(Forecaster):
    """Repeat the last season; the baseline to beat.

    Attributes
    ----------
    season_ : int
        7 for daily data, 52 for weekly data.
    last_season_ : ndarray, shape (season_,)
        The values repeated into the future.
    error_quantiles_ : dict of str to float
        The 2.5%, 10%, 90% and 97.5% quantiles of the in-sample errors
        ``y[t] - y[t - season_]``, keyed like the interval bounds.
    """

    name = "seasonal_naive"
    label = "Seasonal naive"

    def min_history(self, frequency: str) -> int:
        return season_length(frequency) + MIN_SEASONAL_ERRORS[frequency]

    def _fit(self, y: pd.Series) -> None:
        values = y.to_numpy()
        season = season_length(self.frequency_)

        errors = values[season:] - values[:-season]
        quantiles = np.quantile(errors, list(QUANTILES.values()))

        self.season_ = season
        self.last_season_ = values[-season:].copy()
        self.error_quantiles_ = dict(zip(QUANTILES, map(float, quantiles), strict=True))

    def _predict(self, horizon: int) -> dict[str, np.ndarray]:
        steps = np.arange(horizon)
        yhat = self.last_season_[steps % self.season_]
        widening = np.sqrt(steps // self.season_ + 1)

        bounds = {k: yhat + q * widening for k, q in self.error_quantiles_.items()}
        return {"yhat": yhat, **bounds}

    def _state(self) -> dict[str, Any]:
        return {
            "season": self.season_,
            "last_season": self.last_season_.tolist(),
            "error_quantiles": self.error_quantiles_,
        }

    def _restore(self, state: dict[str, Any]) -> None:
        self.season_ = int(state["season"])
        self.last_season_ = np.asarray(state["last_season"], dtype=float)
        self.error_quantiles_ = {
            k: float(v) for k, v in state["error_quantiles"].items()
        }


class MeanForecaster(Forecaster):
    """The mean of the history, for series too short for anything else.

    Intervals assume normal errors with the history's standard deviation,
    inflated for the uncertainty of the mean itself.

    Attributes
    ----------
    mean_, std_ : float
    n_ : int
        Periods the mean was taken over.
    """

    name = "mean"
    label = "Historical mean"

    def min_history(self, frequency: str) -> int:
        return 1

    def _fit(self, y: pd.Series) -> None:
        self.mean_ = float(y.mean())
        self.std_ = float(y.std(ddof=1)) if len(y) > 1 else float(y.iloc[0])
        self.n_ = len(y)

    def _predict(self, horizon: int) -> dict[str, np.ndarray]:
        yhat = np.full(horizon, self.mean_)
        sigma = np.full(horizon, self.std_ * np.sqrt(1.0 + 1.0 / self.n_))
        return normal_bands(yhat, sigma)

    def _state(self) -> dict[str, Any]:
        return {"mean": self.mean_, "std": self.std_, "n": self.n_}

    def _restore(self, state: dict[str, Any]) -> None:
        self.mean_ = float(state["mean"])
        self.std_ = float(state["std"])
        self.n_ = int(state["n"])
