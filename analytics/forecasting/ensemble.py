"""An ensemble: the average of several forecasters' forecasts.

Averaging two different kinds of model (by default Prophet's decomposition
and the LSTM's learned patterns) often beats each of them, as their errors
partly cancel. The point forecast
is the (weighted) mean of the components' point forecasts, and each interval
bound the mean of the components' bounds: averaging quantiles, which keeps
the bounds ordered and, for similar components, close to their own coverage.

The artifact is a zip: ``ensemble.json`` (the ensemble's parameters and each
component's artifact format) and one ``components/<name>`` entry per
component (``components/<position>-<name>``) holding that component's own
artifact.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any, Self

import numpy as np
import pandas as pd

from analytics.forecasting.base import COLUMNS, Forecaster
from analytics.forecasting.errors import ArtifactError, ForecastError

MANIFEST = "ensemble.json"


class EnsembleForecaster(Forecaster):
    """The average of fitted component forecasters.

    Parameters
    ----------
    components : sequence of str
        Registry names of the models averaged.
    weights : sequence of float, optional
        One weight per component; default equal weights.
    country : str, optional
        Holidays country, passed to every component that takes it.
    random_state : int
        Seed, passed to every component that takes it.
    component_options : dict of str to dict, optional
        Hyperparameters of particular components by name, e.g.
        ``{"lstm": {"epochs": 30}}``.

    Attributes
    ----------
    models_ : list of Forecaster
        The fitted components, in the order of ``components``.
    """

    name = "ensemble"
    label = "Ensemble"
    artifact_format = "ensemble-zip"

    def __init__(
        self,
        components: Sequence[str] = ("prophet", "lstm"),
        weights: Sequence[float] | None = None,
        country: str | None = None,
        random_state: int = 0,
        component_options: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.components = components
        self.weights = weights
        self.country = country
        self.random_state = random_state
        self.component_options = component_options

    def min_history(self, frequency: str) -> int:
        return max(model.min_history(frequency) for model in self._new_components())

    def fit_reusing(self, y: pd.Series, fitted: Mapping[str, Forecaster]) -> Self:
        """``fit``, taking components already fitted on this same ``y`` from ``fitted``.

        Training fits every model on the full history anyway, so the ensemble
        need not fit its components a second time. A model in ``fitted`` (by
        registry name) is taken only when its hyperparameters are the ones the
        ensemble would give it and its training ended where ``y`` ends; any
        other component is fitted here.
        """
        self._reusable = dict(fitted)
        try:
            return self.fit(y)
        finally:
            del self._reusable

    def _fit(self, y: pd.Series) -> None:
        reusable = getattr(self, "_reusable", {})
        self.models_ = [
            _reuse_or_fit(model, reusable.get(model.name), y)
            for model in self._new_components()
        ]

    def _predict(self, horizon: int) -> dict[str, np.ndarray]:
        forecasts = [model.predict(horizon) for model in self.models_]
        return average_forecasts(forecasts, self._weights())

    def _dump(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            formats = []
            for entry, model in zip(self._entries(), self.models_, strict=True):
                fmt, payload = model.to_artifact()
                archive.writestr(entry, payload)
                formats.append(fmt)
            manifest = self._envelope({"formats": formats})
            archive.writestr(MANIFEST, json.dumps(manifest))
        return buffer.getvalue()

    @classmethod
    def _load(cls, payload: bytes) -> Self:
        from analytics.forecasting.registry import load_forecaster

        try:
            with zipfile.ZipFile(io.BytesIO(payload)) as archive:
                envelope = json.loads(archive.read(MANIFEST))
                model = cls._from_envelope(envelope)
                formats = envelope["state"]["formats"]
                model.models_ = [
                    load_forecaster(name, fmt, archive.read(entry))
                    for name, fmt, entry in zip(
                        model.components, formats, model._entries(), strict=True
                    )
                ]
        except (zipfile.BadZipFile, KeyError, ValueError) as error:
            raise ArtifactError(
                f"the ensemble artifact is incomplete ({error}); re-train it."
            ) from error
        return model

    def _entries(self) -> list[str]:
        """Zip entry of each component: ``components/<position>-<name>``."""
        return [f"components/{i}-{name}" for i, name in enumerate(self.components)]

    def _new_components(self) -> list[Forecaster]:
        from analytics.forecasting.registry import FORECASTERS

        if not self.components:
            raise ForecastError("components must name at least one model.")
        unknown = [name for name in self.components if name not in FORECASTERS]
        if unknown or self.name in self.components:
            raise ForecastError(
                f"ensemble components must be other registered models; got "
                f"{list(self.components)}. Choose from {', '.join(FORECASTERS)}."
            )
        return [self._build(FORECASTERS[name]) for name in self.components]

    def _build(self, cls: type[Forecaster]) -> Forecaster:
        """A fresh ``cls`` model with the shared options it takes and its own."""
        shared = {"country": self.country, "random_state": self.random_state}
        accepted = cls.hyperparameters()
        own = (self.component_options or {}).get(cls.name, {})
        return cls(**{k: v for k, v in shared.items() if k in accepted} | dict(own))

    def _weights(self) -> np.ndarray | None:
        if self.weights is None:
            return None
        weights = np.asarray(self.weights, dtype=float)
        if weights.shape != (len(self.components),) or (weights < 0).any():
            raise ForecastError(
                f"weights must be {len(self.components)} non-negative numbers, one "
                f"per component; got {list(self.weights)}."
            )
        return weights


def _reuse_or_fit(model: Forecaster, fitted: Forecaster | None, y) -> Forecaster:
    same = (
        fitted is not None
        and fitted.is_fitted()
        and fitted.get_params() == model.get_params()
        and fitted.last_date_ == y.index[-1]
    )
    return fitted if same else model.fit(y)


def average_forecasts(
    forecasts: Sequence[pd.DataFrame], weights: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """The (weighted) mean of each column of forecasts over the same dates.

    Parameters
    ----------
    forecasts : sequence of DataFrame, each shape (horizon, 5) or more columns
        Forecast tables with the columns of ``Forecaster.predict``.
    weights : ndarray, shape (len(forecasts),), optional
    """
    stacked = np.stack([forecast[list(COLUMNS)].to_numpy() for forecast in forecasts])
    averaged = np.average(stacked, axis=0, weights=weights)
    return dict(zip(COLUMNS, averaged.T, strict=True))
