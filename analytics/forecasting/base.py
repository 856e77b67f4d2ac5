"""The contract every forecaster follows, so backtests and the registry treat all alike.

A forecaster takes its hyperparameters in ``__init__``; ``fit(y)`` learns from
a regular daily or weekly revenue series and returns ``self``; learned state
ends in ``_``; ``predict(horizon)`` returns the point forecast and its 80% and
95% intervals for the ``horizon`` periods after the training end, never below
zero. ``to_artifact`` and ``from_artifact`` store a fitted model in its
library's own format, never pickle.

Subclasses implement ``min_history``, ``_fit``, ``_predict`` and, for the
default JSON artifact, ``_state`` and ``_restore``.
"""

from __future__ import annotations

import json
import logging
from abc import ABC, abstractmethod
from typing import Any, ClassVar, Self

import numpy as np
import pandas as pd

from analytics.forecasting.errors import (
    ArtifactError,
    HorizonError,
    NotFittedError,
    TooLittleHistoryError,
)
from analytics.forecasting.series import check_frequency, check_series
from analytics.params import HyperparameterMixin

logger = logging.getLogger(__name__)

COLUMNS = ("yhat", "lower_80", "upper_80", "lower_95", "upper_95")
QUANTILES = {"lower_95": 0.025, "lower_80": 0.10, "upper_80": 0.90, "upper_95": 0.975}
Z_80 = 1.2815515655446004
Z_95 = 1.959963984540054
ARTIFACT_VERSION = 1


class Forecaster(HyperparameterMixin, ABC):
    """Base class of every revenue forecaster.

    Attributes
    ----------
    name : str
        Registry key, e.g. ``"seasonal_naive"``.
    label : str
        How answers name the model, e.g. ``"Seasonal naive"``.
    artifact_format : str
        The format name ``to_artifact`` returns and ``from_artifact`` expects.
    frequency_ : str
        ``"D"`` or ``"W-MON"``, learned from the training series.
    last_date_ : Timestamp
        The last training period; forecasts start one period later.
    """

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    artifact_format: ClassVar[str] = "json"

    @abstractmethod
    def min_history(self, frequency: str) -> int:
        """How many periods of ``frequency`` the model needs to be fitted."""

    def fit(self, y: pd.Series) -> Self:
        """Learn from ``y``, a regular daily or weekly non-negative series.

        Parameters
        ----------
        y : Series, shape (n_periods,)
            Revenue per period; a ``DatetimeIndex`` with ``freq`` ``"D"`` or
            ``"W-MON"``, as ``revenue_series`` builds it.

        Returns
        -------
        self
        """
        y = check_series(y)
        frequency = y.index.freqstr
        needed = self.min_history(frequency)
        if len(y) < needed:
            raise TooLittleHistoryError(needed, len(y), frequency, self.name)

        self.frequency_ = frequency
        self.last_date_ = y.index[-1]
        self._fit(y)
        logger.debug("fitted %s on %s periods to %s", self.name, len(y), y.index[-1])
        return self

    def predict(self, horizon: int) -> pd.DataFrame:
        """Forecast the ``horizon`` periods that follow the training end.

        Returns
        -------
        DataFrame, shape (horizon, 5)
            Columns ``yhat, lower_80, upper_80, lower_95, upper_95``, all at
            least zero and nested (``lower_95 <= lower_80 <= yhat <= upper_80
            <= upper_95``), indexed by the forecast dates.
        """
        self._check_fitted()
        if isinstance(horizon, bool) or not isinstance(horizon, int | np.integer):
            raise HorizonError(f"horizon must be a whole number; got {horizon!r}.")
        if horizon < 1:
            raise HorizonError(f"horizon must be at least 1 period; got {horizon}.")

        bands = self._predict(int(horizon))
        return forecast_frame(self.future_index(int(horizon)), bands)

    def future_index(self, horizon: int) -> pd.DatetimeIndex:
        """The ``horizon`` dates after the training end, at the training frequency."""
        self._check_fitted()
        first = self.last_date_ + pd.tseries.frequencies.to_offset(self.frequency_)
        return pd.date_range(first, periods=horizon, freq=self.frequency_, name="date")

    def to_artifact(self) -> tuple[str, bytes]:
        """The fitted model as ``(format name, payload)``, to store and reload."""
        self._check_fitted()
        return self.artifact_format, self._dump()

    @classmethod
    def from_artifact(cls, fmt: str, payload: bytes) -> Self:
        """Rebuild a fitted model from what ``to_artifact`` returned."""
        if fmt != cls.artifact_format:
            raise ArtifactError(
                f"{cls.name} artifacts have format {cls.artifact_format!r}; got "
                f"{fmt!r}. Load it with the model that saved it."
            )
        return cls._load(payload)

    def is_fitted(self) -> bool:
        """True once ``fit`` has run (or the model was loaded from an artifact)."""
        return hasattr(self, "last_date_")

    @abstractmethod
    def _fit(self, y: pd.Series) -> None:
        """Learn the model's state from a checked, long enough series."""

    @abstractmethod
    def _predict(self, horizon: int) -> dict[str, np.ndarray]:
        """Arrays of shape (horizon,) for ``yhat`` and the four interval bounds."""

    def _state(self) -> dict[str, Any]:
        """The learned state as JSON-ready values (for the default artifact)."""
        raise NotImplementedError  # pragma: no cover

    def _restore(self, state: dict[str, Any]) -> None:
        """Set the learned state back from what ``_state`` returned."""
        raise NotImplementedError  # pragma: no cover

    def _dump(self) -> bytes:
        return json.dumps(self._envelope(self._state())).encode()

    @classmethod
    def _load(cls, payload: bytes) -> Self:
        envelope = _read_json(payload, cls.name)
        model = cls._from_envelope(envelope)
        model._restore(envelope["state"])
        return model

    def _envelope(self, state: dict[str, Any]) -> dict[str, Any]:
        return {
            "version": ARTIFACT_VERSION,
            "model": self.name,
            "params": self.get_params(),
            "frequency": self.frequency_,
            "last_date": self.last_date_.isoformat(),
            "state": state,
        }

    @classmethod
    def _from_envelope(cls, envelope: dict[str, Any]) -> Self:
        if envelope.get("model") != cls.name:
            raise ArtifactError(
                f"this artifact holds a {envelope.get('model')!r} model, not "
                f"{cls.name!r}; load it with load_forecaster."
            )
        model = cls(**envelope["params"])
        check_frequency(envelope["frequency"])
        model.frequency_ = envelope["frequency"]
        model.last_date_ = pd.Timestamp(envelope["last_date"])
        return model

    def _check_fitted(self) -> None:
        if not self.is_fitted():
            raise NotFittedError(self.name)

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"


def forecast_frame(index: pd.DatetimeIndex, bands: dict[str, np.ndarray]):
    """The forecast table: every column clipped at zero and the bounds nested.

    Parameters
    ----------
    index : DatetimeIndex, shape (horizon,)
    bands : dict of str to ndarray, each shape (horizon,)
        ``yhat`` and the four bounds, before clipping.

    Returns
    -------
    DataFrame, shape (horizon, 5)
    """
    yhat = np.clip(np.asarray(bands["yhat"], dtype=float), 0.0, None)
    lower_80 = np.minimum(np.clip(bands["lower_80"], 0.0, None), yhat)
    upper_80 = np.maximum(bands["upper_80"], yhat)
    lower_95 = np.minimum(np.clip(bands["lower_95"], 0.0, None), lower_80)
    upper_95 = np.maximum(bands["upper_95"], upper_80)
    columns = (yhat, lower_80, upper_80, lower_95, upper_95)
    return pd.DataFrame(dict(zip(COLUMNS, columns, strict=True)), index=index)


def normal_bands(yhat: np.ndarray, sigma: np.ndarray) -> dict[str, np.ndarray]:
    """Intervals of a normal error with standard deviation ``sigma`` per period."""
    return {
        "yhat": yhat,
        "lower_80": yhat - Z_80 * sigma,
        "upper_80": yhat + Z_80 * sigma,
        "lower_95": yhat - Z_95 * sigma,
        "upper_95": yhat + Z_95 * sigma,
    }


def sample_bands(yhat: np.ndarray, samples: np.ndarray) -> dict[str, np.ndarray]:
    """Intervals from simulated paths.

    Parameters
    ----------
    yhat : ndarray, shape (horizon,)
    samples : ndarray, shape (n_samples, horizon)
    """
    bounds = np.quantile(samples, list(QUANTILES.values()), axis=0)
    return {"yhat": yhat, **dict(zip(QUANTILES, bounds, strict=True))}


def _read_json(payload: bytes, model: str) -> dict[str, Any]:
    try:
        envelope = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ArtifactError(
            f"the {model} artifact is not valid JSON ({error}); re-train the model."
        ) from error
    if envelope.get("version") != ARTIFACT_VERSION:
        raise ArtifactError(
            f"the {model} artifact has version {envelope.get('version')!r}; this "
            f"code reads version {ARTIFACT_VERSION}. Re-train the model."
        )
    return envelope
