"""Booked revenue as a regular time series: what every forecaster is fitted on.

Revenue is the ``total`` of accepted quotes, dated by the day the quote was
created. Two frequencies are served: daily (``"D"``) and weekly (``"W-MON"``,
Monday to Sunday, each week labelled by its Monday). Scope (a rep's book, a
region, a category) is the caller's business: filter the rows first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.forecasting.errors import ForecastError

DAILY = "D"
WEEKLY = "W-MON"
SEASON_LENGTHS = {DAILY: 7, WEEKLY: 52}
DAYS_PER_PERIOD = {DAILY: 1, WEEKLY: 7}
ACCEPTED = "accepted"
OPEN_STATUSES = ("draft", "sent")


def revenue_series(
    quotes: pd.DataFrame,
    frequency: str = DAILY,
    start=None,
    end=None,
) -> pd.Series:
    """Booked revenue of accepted quotes per day or per week, gaps filled with 0.

    Parameters
    ----------
    quotes : DataFrame
        One row per quote with at least ``created_at`` (datetime), ``status``
        and ``total`` (float), as ``storage.queries.quote_history`` returns it.
        Quotes of any other status than ``accepted`` are ignored.
    frequency : {"D", "W-MON"}
        Daily, or weekly with weeks starting on Monday.
    start, end : date-like, optional
        First and last day covered (inclusive); default the first and last
        day with an accepted quote. Weekly series keep only whole weeks, so a
        partial week at either edge is dropped.

    Returns
    -------
    Series, shape (n_periods,)
        Named ``revenue``, indexed by a ``DatetimeIndex`` named ``date`` whose
        ``freq`` is ``frequency``.
    """
    check_frequency(frequency)

    accepted = quotes.loc[quotes["status"] == ACCEPTED]
    days = pd.to_datetime(accepted["created_at"]).dt.tz_localize(None).dt.normalize()
    daily = accepted["total"].astype(float).groupby(days.to_numpy()).sum()

    index = _day_range(daily.index, start, end)
    daily = daily.reindex(index, fill_value=0.0)
    series = daily if frequency == DAILY else _whole_weeks(daily)
    return series.rename("revenue").rename_axis("date")


def last_settled_day(quotes: pd.DataFrame) -> pd.Timestamp | None:
    """The last day whose revenue is final: the day before the oldest open quote.

    Quotes still ``draft`` or ``sent`` may yet be accepted, so the revenue of
    the days they were created on is not known yet; forecasting or backtesting
    over those days takes an incomplete count for a slump. Returns the last
    quote's day when no quote is open, and None for no quotes at all. A stale
    draft left open for months pulls this day back: look at it before use.
    """
    if quotes.empty:
        return None
    created = pd.to_datetime(quotes["created_at"]).dt.tz_localize(None)
    is_open = quotes["status"].isin(OPEN_STATUSES)
    if not is_open.any():
        return created.max().normalize()
    return created[is_open].min().normalize() - pd.Timedelta(days=1)


def check_frequency(frequency: str) -> None:
    """Refuse any frequency other than daily ``"D"`` and weekly ``"W-MON"``."""
    if frequency not in SEASON_LENGTHS:
        raise ForecastError(
            f"frequency must be 'D' (daily) or 'W-MON' (weekly, weeks starting "
            f"Monday); got {frequency!r}."
        )


def check_series(y: pd.Series) -> pd.Series:
    """Check ``y`` is a regular daily or weekly revenue series; return it as floats.

    Raises ``ForecastError`` naming what is wrong: not a Series, no
    ``DatetimeIndex`` with a set daily or weekly ``freq``, missing or negative
    values.
    """
    if not isinstance(y, pd.Series) or not isinstance(y.index, pd.DatetimeIndex):
        raise ForecastError(
            "y must be a pandas Series with a DatetimeIndex; build it with "
            "revenue_series."
        )
    frequency = y.index.freqstr
    if frequency not in SEASON_LENGTHS:
        raise ForecastError(
            f"y must have a daily ('D') or weekly ('W-MON') index with its freq "
            f"set; got freq {frequency!r}. Build it with revenue_series."
        )

    values = y.to_numpy(dtype=float)
    if np.isnan(values).any():
        raise ForecastError("y has missing values; fill gaps with 0 first.")
    if (values < 0).any():
        raise ForecastError("y has negative values; revenue cannot be negative.")
    return y.astype(float)


def season_length(frequency: str) -> int:
    """Periods per season: 7 days for daily data, 52 weeks for weekly data."""
    check_frequency(frequency)
    return SEASON_LENGTHS[frequency]


def periods_in_days(periods: int, frequency: str) -> int:
    """How many days ``periods`` periods of ``frequency`` span."""
    return periods * DAYS_PER_PERIOD[frequency]


def _day_range(days: pd.Index, start, end) -> pd.DatetimeIndex:
    first = pd.Timestamp(start).normalize() if start is not None else None
    last = pd.Timestamp(end).normalize() if end is not None else None
    if first is None:
        first = days.min() if len(days) else last
    if last is None:
        last = days.max() if len(days) else first
    if first is None or last is None:
        return pd.DatetimeIndex([], freq=DAILY)
    return pd.date_range(first, last, freq=DAILY)


def _whole_weeks(daily: pd.Series) -> pd.Series:
    if daily.empty:
        return pd.Series([], index=pd.DatetimeIndex([], freq=WEEKLY), dtype=float)
    weeks = daily.resample(WEEKLY, closed="left", label="left")
    totals, days = weeks.sum(), weeks.size()
    return totals[days == 7].asfreq(WEEKLY)
