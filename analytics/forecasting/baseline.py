"""A forecast for histories too short for the models: the baseline, said to be one.

When a scope (a new rep's book, a small region) has too little history to fit
or backtest the models, an answer can still give the seasonal-naive forecast
or, shorter still, the historical mean, as long as it says that this is all it
is. ``BaselineForecast.note`` is that sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.forecasting.errors import TooLittleHistoryError
from analytics.forecasting.naive import MeanForecaster, SeasonalNaiveForecaster
from analytics.forecasting.series import DAYS_PER_PERIOD, check_series


@dataclass(frozen=True)
class BaselineForecast:
    """A baseline's forecast, marked as such.

    ``forecast`` has the columns of ``Forecaster.predict``, shape (horizon, 5).
    """

    model: str
    forecast: pd.DataFrame
    note: str
    baseline: bool = True


def baseline_only_forecast(y: pd.Series, horizon: int) -> BaselineForecast:
    """Seasonal naive if ``y`` allows it, else the mean; never a fitted model.

    Parameters
    ----------
    y : Series, shape (n_periods,)
        At least one period of a regular daily or weekly revenue series.
    horizon : int
        Periods to forecast.
    """
    y = check_series(y)
    frequency = y.index.freqstr
    if y.empty:
        raise TooLittleHistoryError(1, 0, frequency, "a baseline forecast")

    model = SeasonalNaiveForecaster()
    if len(y) < model.min_history(frequency):
        model = MeanForecaster()
    forecast = model.fit(y).predict(horizon)
    return BaselineForecast(model.name, forecast, _note(model, y))


def _note(model, y: pd.Series) -> str:
    days = len(y) * DAYS_PER_PERIOD[y.index.freqstr]
    what = (
        "repeats the last season"
        if model.name == SeasonalNaiveForecaster.name
        else "is the average so far"
    )
    return (
        f"Only {days} days of history, too few to fit and check a forecasting "
        f"model: this baseline {what}, and its accuracy is untested."
    )
