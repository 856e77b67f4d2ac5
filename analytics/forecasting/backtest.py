"""Rolling-origin backtests: how well each model would have forecast the recent past.

``backtest`` sets ``folds`` forecast origins at the end of the series, ``step``
periods apart, the last one ``horizon`` periods before the end so its
forecast ends on the last day. At each origin a fresh model is fitted on the
data strictly before it and forecasts the next ``horizon`` periods, which it
has never seen. ``compare_models`` backtests every registered model the same
way and selects the one with the lowest MASE; the seasonal-naive baseline is
always among them, so the selected model is never worse than it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analytics.forecasting.base import Forecaster, forecast_frame
from analytics.forecasting.ensemble import EnsembleForecaster, average_forecasts
from analytics.forecasting.errors import ForecastError, TooLittleHistoryError
from analytics.forecasting.metrics import coverage, mape, mase
from analytics.forecasting.naive import SeasonalNaiveForecaster
from analytics.forecasting.registry import (
    DEFAULT_MODELS,
    FORECASTERS,
    make_forecaster,
)
from analytics.forecasting.series import check_series, periods_in_days, season_length

logger = logging.getLogger(__name__)

METRICS = ("mase", "mape", "coverage_80", "coverage_95", "fit_seconds")


@dataclass(frozen=True)
class FoldResult:
    """One origin: what the model forecast against what happened.

    ``forecast`` is the model's forecast table with an ``actual`` column
    added, shape (horizon, 6); ``origin`` is its first date.
    """

    origin: pd.Timestamp
    end: pd.Timestamp
    mase: float | None
    mape: float | None
    coverage_80: float
    coverage_95: float
    fit_seconds: float
    forecast: pd.DataFrame = field(repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "origin": self.origin.date().isoformat(),
            "end": self.end.date().isoformat(),
            **{metric: _rounded(getattr(self, metric)) for metric in METRICS},
        }


@dataclass(frozen=True)
class BacktestResult:
    """A model's accuracy over every fold, and each fold's.

    ``mase`` is the mean of the folds' MASE; ``mape`` and the coverages pool
    every forecast period of every fold; ``fit_seconds`` is the mean fit time.
    """

    model: str
    frequency: str
    horizon: int
    mase: float | None
    mape: float | None
    coverage_80: float
    coverage_95: float
    fit_seconds: float
    folds: tuple[FoldResult, ...]

    def metrics(self) -> dict[str, float | None]:
        """The overall metrics, rounded, keyed as in ``METRICS``."""
        return {metric: _rounded(getattr(self, metric)) for metric in METRICS}

    def to_dict(self) -> dict[str, Any]:
        return {**self.metrics(), "folds": [fold.to_dict() for fold in self.folds]}


@dataclass(frozen=True)
class ComparisonResult:
    """Every model's backtest on the same series, and the one selected.

    ``errors`` holds the message of each model that could not be backtested;
    ``to_dict`` lists those models with null metrics, to keep its shape.
    """

    frequency: str
    horizon: int
    folds: int
    results: dict[str, BacktestResult]
    errors: dict[str, str]
    selected: str | None

    def to_dict(self) -> dict[str, Any]:
        """The stable shape printed by ``quotebot evaluate --json``."""
        failed = dict.fromkeys(METRICS)
        models = {name: result.metrics() for name, result in self.results.items()}
        models.update({name: dict(failed) for name in self.errors})
        return {
            "frequency": self.frequency,
            "horizon_days": periods_in_days(self.horizon, self.frequency),
            "folds": self.folds,
            "models": models,
            "selected": self.selected,
        }


def backtest(
    make_model: Callable[[], Forecaster],
    y: pd.Series,
    horizon: int,
    folds: int,
    step: int | None = None,
) -> BacktestResult:
    """Backtest the models ``make_model`` builds at ``folds`` rolling origins.

    Parameters
    ----------
    make_model : callable
        Returns a fresh, unfitted forecaster; called once per fold.
    y : Series, shape (n_periods,)
        A regular daily or weekly revenue series.
    horizon : int
        Periods forecast from each origin.
    folds : int
        Number of origins.
    step : int, optional
        Periods between origins; default ``horizon`` (folds do not overlap).

    Raises
    ------
    TooLittleHistoryError
        When the first origin leaves the model less history than it needs.
    """
    y = check_series(y)
    step = horizon if step is None else step
    _check_positive(horizon=horizon, folds=folds, step=step)

    model = make_model()
    frequency = y.index.freqstr
    _check_length(model, y, horizon, folds, step)

    results = []
    for fold, origin in enumerate(_origins(len(y), horizon, folds, step)):
        model = model if fold == 0 else make_model()
        results.append(_run_fold(model, y, origin, horizon))

    result = _summarise(model.name, frequency, horizon, results)
    logger.info(
        "backtested %s over %s folds of %s periods: MASE %s, 80%% coverage %.2f",
        model.name,
        folds,
        horizon,
        result.mase,
        result.coverage_80,
    )
    return result


def compare_models(
    y: pd.Series,
    horizon: int,
    folds: int,
    names: Iterable[str] | None = None,
    step: int | None = None,
    **options: Any,
) -> ComparisonResult:
    """Backtest several models on ``y`` alike and select the lowest MASE.

    Parameters
    ----------
    y : Series, shape (n_periods,)
    horizon, folds, step
        As in ``backtest``.
    names : iterable of str, optional
        Registry names; default ``DEFAULT_MODELS``.
    **options
        Hyperparameters given to every model whose ``__init__`` takes them,
        e.g. ``country="GB"`` for Prophet and the ensemble.

    Raises
    ------
    TooLittleHistoryError
        When ``y`` is too short to backtest even the seasonal-naive baseline.
    """
    y = check_series(y)
    names = list(DEFAULT_MODELS if names is None else names)
    step = horizon if step is None else step
    _check_names(names, options)
    _check_length(SeasonalNaiveForecaster(), y, horizon, folds, step)

    results, errors = {}, {}
    for name in names:
        try:
            results[name] = _from_components(
                name, options, results, y, horizon
            ) or backtest(_factory(name, options), y, horizon, folds, step)
        except ForecastError as error:
            logger.warning("could not backtest %s: %s", name, error)
            errors[name] = str(error)
        except Exception as error:
            logger.exception("backtesting %s failed", name)
            errors[name] = f"{type(error).__name__}: {error}"

    selected = _lowest_mase(results)
    logger.info(
        "compared %s models on %s periods; selected %s", len(names), len(y), selected
    )
    return ComparisonResult(y.index.freqstr, horizon, folds, results, errors, selected)


def describe_accuracy(name: str, result: BacktestResult | dict[str, Any]) -> str:
    """The sentence an answer quotes about a model's accuracy, from its backtest.

    ``result`` is a ``BacktestResult`` or its ``to_dict()`` as the registry
    stores it (with ``horizon_days`` added). E.g. "Prophet, MASE 0.71 over 6
    backtests of 28 days; the 80% interval held 78% of the time."
    """
    if isinstance(result, BacktestResult):
        days = periods_in_days(result.horizon, result.frequency)
        result = {**result.to_dict(), "horizon_days": days}
    label = FORECASTERS[name].label if name in FORECASTERS else name
    folds = len(result["folds"])
    backtests = "backtest" if folds == 1 else "backtests"
    mase_value, held = result.get("mase"), result.get("coverage_80")
    score = "MASE n/a" if mase_value is None else f"MASE {mase_value:.2f}"
    coverage = "n/a" if held is None else f"{held:.0%}"
    return (
        f"{label}, {score} over {folds} {backtests} of {result['horizon_days']} days; "
        f"the 80% interval held {coverage} of the time."
    )


def minimum_length(
    model: Forecaster, frequency: str, horizon: int, folds: int, step: int
) -> int:
    """Periods a series needs for ``model`` to be backtested this way."""
    needed = model.min_history(frequency)
    needed = max(needed, season_length(frequency) + 1)
    return needed + horizon + (folds - 1) * step


def _check_length(model, y, horizon, folds, step) -> None:
    frequency = y.index.freqstr
    needed = minimum_length(model, frequency, horizon, folds, step)
    if len(y) < needed:
        raise TooLittleHistoryError(
            needed, len(y), frequency, f"backtesting {model.name}"
        )


def _origins(n: int, horizon: int, folds: int, step: int) -> list[int]:
    """Positions of the first forecast period of each fold, oldest first."""
    last = n - horizon
    return [last - (folds - 1 - fold) * step for fold in range(folds)]


def _run_fold(model: Forecaster, y: pd.Series, origin: int, horizon: int) -> FoldResult:
    training, actual = y.iloc[:origin], y.iloc[origin : origin + horizon]

    started = time.perf_counter()
    model.fit(training)
    seconds = time.perf_counter() - started

    forecast = model.predict(horizon)
    if not forecast.index.equals(actual.index):
        raise ForecastError(f"{model.name} forecast other dates than the fold's.")
    return _score(forecast, actual, training, seconds)


def _score(
    forecast: pd.DataFrame, actual: pd.Series, training: pd.Series, seconds: float
) -> FoldResult:
    truth = actual.to_numpy()
    season = season_length(training.index.freqstr)
    return FoldResult(
        origin=actual.index[0],
        end=actual.index[-1],
        mase=mase(truth, forecast["yhat"], training.to_numpy(), season),
        mape=mape(truth, forecast["yhat"]),
        coverage_80=coverage(truth, forecast["lower_80"], forecast["upper_80"]),
        coverage_95=coverage(truth, forecast["lower_95"], forecast["upper_95"]),
        fit_seconds=seconds,
        forecast=forecast.assign(actual=truth),
    )


def _summarise(
    name: str, frequency: str, horizon: int, folds: list[FoldResult]
) -> BacktestResult:
    pooled = pd.concat([fold.forecast for fold in folds])
    scores = [fold.mase for fold in folds if fold.mase is not None]
    return BacktestResult(
        model=name,
        frequency=frequency,
        horizon=horizon,
        mase=float(np.mean(scores)) if scores else None,
        mape=mape(pooled["actual"], pooled["yhat"]),
        coverage_80=coverage(pooled["actual"], pooled["lower_80"], pooled["upper_80"]),
        coverage_95=coverage(pooled["actual"], pooled["lower_95"], pooled["upper_95"]),
        fit_seconds=float(np.mean([fold.fit_seconds for fold in folds])),
        folds=tuple(folds),
    )


def _from_components(name, options, results, y: pd.Series, horizon: int):
    """An ensemble's backtest from its components' folds, when all were backtested.

    The ensemble averages freshly fitted components, so averaging the fold
    forecasts of the same components fitted with the same options gives the
    same backtest without fitting them twice. None when that does not apply.
    """
    ensemble = make_forecaster(name, **options)
    if not isinstance(ensemble, EnsembleForecaster):
        return None
    parts = [results.get(component) for component in ensemble.components]
    same_options = set(options) <= set(EnsembleForecaster.hyperparameters())
    if not all(parts) or ensemble.component_options or not same_options:
        return None

    folds = []
    for fold_parts in zip(*(part.folds for part in parts), strict=True):
        origin = y.index.get_loc(fold_parts[0].origin)
        averaged = average_forecasts(
            [fold.forecast for fold in fold_parts], ensemble._weights()
        )
        forecast = forecast_frame(fold_parts[0].forecast.index, averaged)
        seconds = sum(fold.fit_seconds for fold in fold_parts)
        folds.append(
            _score(
                forecast, y.iloc[origin : origin + horizon], y.iloc[:origin], seconds
            )
        )
    return _summarise(name, y.index.freqstr, horizon, folds)


def _factory(name: str, options: dict[str, Any]) -> Callable[[], Forecaster]:
    """A maker of fresh ``name`` models, given the options its ``__init__`` takes."""
    return lambda: make_forecaster(name, **options)


def _check_names(names: list[str], options: dict[str, Any]) -> None:
    unknown = [name for name in names if name not in FORECASTERS]
    if unknown:
        raise ForecastError(
            f"unknown model(s) {', '.join(unknown)}; choose from "
            f"{', '.join(FORECASTERS)}."
        )
    accepted = {key for name in names for key in FORECASTERS[name].hyperparameters()}
    unused = sorted(set(options) - accepted)
    if unused:
        raise ForecastError(
            f"no model among {', '.join(names)} takes the option(s) "
            f"{', '.join(unused)}; check their spelling."
        )


def _check_positive(**values: int) -> None:
    for key, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ForecastError(
                f"{key} must be a whole number of at least 1; got {value!r}."
            )


def _lowest_mase(results: dict[str, BacktestResult]) -> str | None:
    scored = {name: r.mase for name, r in results.items() if r.mase is not None}
    return min(scored, key=scored.get) if scored else None


def _rounded(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(float(value), digits)
