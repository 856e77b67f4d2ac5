"""Prophet behind the estimator contract: trend, yearly and weekly seasons, holidays.

Prophet is imported inside the methods, so importing this module stays cheap.
Its intervals come from ``predictive_samples`` (trend changes and noise
simulated ``uncertainty_samples`` times), drawn from a seeded generator so a
model gives the same intervals every time; the point forecast is Prophet's
own ``yhat``. Fitting uses MAP estimation (no MCMC): about a second on three
years of daily data.

Prophet and cmdstanpy log at INFO while fitting, and Prophet complains at
import that plotly is missing. With ``verbose=False`` the ``prophet`` logger
is raised to WARNING and cmdstanpy's logging disabled (its own
``disable_logging``) only while a model fits, and the plotly notice is held
back only while Prophet is imported; every logger is put back afterwards.
Entry points may set them for good.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd

from analytics.forecasting.base import Forecaster, sample_bands

logger = logging.getLogger(__name__)

IMPORT_NOISE = {"prophet.plot": logging.CRITICAL}
FIT_NOISE = {"prophet": logging.WARNING}
MIN_HISTORY = {"D": 56, "W-MON": 26}


class ProphetForecaster(Forecaster):
    """Prophet with yearly seasonality, weekly seasonality on daily data, holidays.

    Parameters
    ----------
    country : str, optional
        ISO code whose public holidays Prophet models (``"GB"`` for the Online
        Retail data); None for none.
    yearly_seasonality : bool or "auto"
        ``"auto"`` lets Prophet decide (on from two years of history).
    seasonality_mode : {"additive", "multiplicative"}
    changepoint_prior_scale : float
        Flexibility of the trend; Prophet's default is 0.05.
    uncertainty_samples : int
        Simulated paths the intervals are taken from.
    random_state : int
        Seed of those simulations.
    verbose : bool
        Let Prophet and cmdstanpy log their progress while fitting.

    Attributes
    ----------
    model_ : prophet.Prophet
        The fitted model.
    """

    name = "prophet"
    label = "Prophet"
    artifact_format = "prophet-json"

    def __init__(
        self,
        country: str | None = None,
        yearly_seasonality: bool | str = "auto",
        seasonality_mode: str = "multiplicative",
        changepoint_prior_scale: float = 0.05,
        uncertainty_samples: int = 400,
        random_state: int = 0,
        verbose: bool = False,
    ) -> None:
        self.country = country
        self.yearly_seasonality = yearly_seasonality
        self.seasonality_mode = seasonality_mode
        self.changepoint_prior_scale = changepoint_prior_scale
        self.uncertainty_samples = uncertainty_samples
        self.random_state = random_state
        self.verbose = verbose

    def min_history(self, frequency: str) -> int:
        return MIN_HISTORY[frequency]

    def _fit(self, y: pd.Series) -> None:
        Prophet = _import_prophet()
        with self._quiet():
            model = Prophet(
                yearly_seasonality=self.yearly_seasonality,
                weekly_seasonality=self.frequency_ == "D",
                daily_seasonality=False,
                seasonality_mode=self.seasonality_mode,
                changepoint_prior_scale=self.changepoint_prior_scale,
                uncertainty_samples=self.uncertainty_samples,
                mcmc_samples=0,
            )
            if self.country:
                model.add_country_holidays(country_name=self.country)
            model.fit(pd.DataFrame({"ds": y.index, "y": y.to_numpy()}))

        self.model_ = model

    def _predict(self, horizon: int) -> dict[str, np.ndarray]:
        future = pd.DataFrame({"ds": self.future_index(horizon)})
        with _uncertainty_off(self.model_):
            yhat = self.model_.predict(future)["yhat"].to_numpy()
        with _seeded_global_numpy(self.random_state):
            samples = self.model_.predictive_samples(future)["yhat"]
        return sample_bands(yhat, samples.T)

    def _state(self) -> dict[str, Any]:
        from prophet.serialize import model_to_json

        return {"prophet": model_to_json(self.model_)}

    def _restore(self, state: dict[str, Any]) -> None:
        _import_prophet()
        from prophet.serialize import model_from_json

        self.model_ = model_from_json(state["prophet"])

    @contextmanager
    def _quiet(self) -> Iterator[None]:
        """Silence Prophet's and cmdstanpy's progress messages unless verbose."""
        if self.verbose:
            yield
            return
        import cmdstanpy

        with _logger_levels(FIT_NOISE), cmdstanpy.disable_logging():
            yield


def _import_prophet():
    """The ``Prophet`` class, imported without its notice that plotly is missing."""
    with _logger_levels(IMPORT_NOISE):
        from prophet import Prophet

    return Prophet


@contextmanager
def _logger_levels(levels: dict[str, int]) -> Iterator[None]:
    """Raise the given loggers to at least the given levels, then put them back."""
    loggers = {name: logging.getLogger(name) for name in levels}
    saved = {name: found.level for name, found in loggers.items()}
    for name, found in loggers.items():
        found.setLevel(max(levels[name], found.getEffectiveLevel()))
    try:
        yield
    finally:
        for name, found in loggers.items():
            found.setLevel(saved[name])


@contextmanager
def _uncertainty_off(model) -> Iterator[None]:
    """Let ``model.predict`` skip its own interval simulation (we make our own)."""
    samples = model.uncertainty_samples
    model.uncertainty_samples = 0
    try:
        yield
    finally:
        model.uncertainty_samples = samples


@contextmanager
def _seeded_global_numpy(seed: int) -> Iterator[None]:
    """Seed numpy's global generator, which Prophet samples from, then restore it."""
    saved = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(saved)
