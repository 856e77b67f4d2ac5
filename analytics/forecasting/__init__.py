"""Revenue forecasting: models behind one contract, and their backtests.

Build a series with ``revenue_series``, compare the models on it with
``compare_models`` and serve the selected one; every model is judged against
the seasonal-naive baseline by rolling-origin backtests, and an answer quotes
``describe_accuracy`` rather than a fixed confidence word.

Modules: ``series`` (quotes to a regular series), ``base`` (the ``Forecaster``
contract), ``naive``, ``linear``, ``prophet_model``, ``lstm``, ``ensemble``
(the models), ``registry`` (models by name, loading artifacts), ``metrics``
and ``backtest`` (evaluation), ``baseline`` (short histories), ``errors``.
Prophet and Keras are imported only when a model of theirs is fitted or
loaded.
"""

from analytics.forecasting.backtest import (
    BacktestResult,
    ComparisonResult,
    FoldResult,
    backtest,
    compare_models,
    describe_accuracy,
)
from analytics.forecasting.base import Forecaster
from analytics.forecasting.baseline import BaselineForecast, baseline_only_forecast
from analytics.forecasting.ensemble import EnsembleForecaster
from analytics.forecasting.errors import (
    ArtifactError,
    ForecastError,
    HorizonError,
    NotFittedError,
    TooLittleHistoryError,
)
from analytics.forecasting.linear import LinearTrendForecaster
from analytics.forecasting.lstm import LSTMForecaster
from analytics.forecasting.naive import MeanForecaster, SeasonalNaiveForecaster
from analytics.forecasting.prophet_model import ProphetForecaster
from analytics.forecasting.registry import (
    DEFAULT_MODELS,
    FORECASTERS,
    load_forecaster,
    make_forecaster,
)
from analytics.forecasting.series import last_settled_day, revenue_series

__all__ = [
    "DEFAULT_MODELS",
    "FORECASTERS",
    "ArtifactError",
    "BacktestResult",
    "BaselineForecast",
    "ComparisonResult",
    "EnsembleForecaster",
    "FoldResult",
    "ForecastError",
    "Forecaster",
    "HorizonError",
    "LSTMForecaster",
    "LinearTrendForecaster",
    "MeanForecaster",
    "NotFittedError",
    "ProphetForecaster",
    "SeasonalNaiveForecaster",
    "TooLittleHistoryError",
    "backtest",
    "baseline_only_forecast",
    "compare_models",
    "describe_accuracy",
    "last_settled_day",
    "load_forecaster",
    "make_forecaster",
    "revenue_series",
]
