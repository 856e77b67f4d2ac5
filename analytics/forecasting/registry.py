"""Every forecaster by name, and loading a stored one back.

``FORECASTERS`` maps each model's ``name`` to its class; ``DEFAULT_MODELS``
are the ones ``compare_models`` backtests unless told otherwise (the
historical mean is left out: it is the fallback for very short series).
"""

from __future__ import annotations

from analytics.forecasting.base import Forecaster
from analytics.forecasting.ensemble import EnsembleForecaster
from analytics.forecasting.errors import ArtifactError
from analytics.forecasting.linear import LinearTrendForecaster
from analytics.forecasting.lstm import LSTMForecaster
from analytics.forecasting.naive import MeanForecaster, SeasonalNaiveForecaster
from analytics.forecasting.prophet_model import ProphetForecaster

FORECASTERS: dict[str, type[Forecaster]] = {
    cls.name: cls
    for cls in (
        SeasonalNaiveForecaster,
        LinearTrendForecaster,
        ProphetForecaster,
        LSTMForecaster,
        EnsembleForecaster,
        MeanForecaster,
    )
}
DEFAULT_MODELS = ("seasonal_naive", "linear", "prophet", "lstm", "ensemble")


def load_forecaster(name: str, fmt: str, payload: bytes) -> Forecaster:
    """Rebuild the fitted ``name`` model stored as ``(fmt, payload)``."""
    if name not in FORECASTERS:
        raise ArtifactError(
            f"no forecaster is named {name!r}; known: {', '.join(FORECASTERS)}."
        )
    return FORECASTERS[name].from_artifact(fmt, payload)


def make_forecaster(name: str, **options) -> Forecaster:
    """A new, unfitted ``name`` model given those ``options`` its ``__init__`` takes.

    Options meant for other models (``country`` for Prophet, say) are ignored.
    """
    if name not in FORECASTERS:
        raise ArtifactError(
            f"no forecaster is named {name!r}; known: {', '.join(FORECASTERS)}."
        )
    cls = FORECASTERS[name]
    accepted = cls.hyperparameters()
    return cls(**{key: value for key, value in options.items() if key in accepted})
