"""When quotes happen: the planted trend, yearly and weekly seasonality.

Every account's quote rate is its segment's rate times one shared daily
profile::

    profile(day) = (1 + trend_per_year * years_since_history_start)
                   * (1 + q4_peak * bump(day, q4_peak_day)
                        - summer_dip * bump(day, summer_dip_day))
                   * weekday_weights[weekday]

with ``bump(day, centre) = exp(kappa * (cos(2 pi (doy - centre) / 365.25) - 1))``
(1 on the centre day, fading over about a month), normalised to mean 1 over
the history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

import numpy as np

DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Seasonality:
    """The planted shape of demand over time.

    Parameters
    ----------
    trend_per_year : float
        Linear growth of every account's quote rate per year of history.
    q4_peak, q4_peak_day : float, int
        Height and day of year of the year-end buying peak.
    summer_dip, summer_dip_day : float, int
        Depth and day of year of the summer lull.
    kappa : float
        Concentration of both bumps; larger is narrower.
    weekday_weights : tuple of float, shape (7,)
        Relative quote volume Monday to Sunday.
    """

    trend_per_year: float = 0.20
    q4_peak: float = 0.50
    q4_peak_day: int = 322
    summer_dip: float = 0.40
    summer_dip_day: int = 205
    kappa: float = 5.0
    weekday_weights: tuple[float, ...] = (1.0, 1.1, 1.1, 1.05, 0.8, 0.05, 0.03)

    def daily_profile(self, start: dt.date, days: int) -> np.ndarray:
        """Relative quote volume of each of ``days`` days from ``start``, mean 1.

        Returns
        -------
        ndarray, shape (days,)
        """
        dates = np.datetime64(start, "D") + np.arange(days)
        offset = np.arange(days) / DAYS_PER_YEAR

        trend = 1.0 + self.trend_per_year * offset
        profile = trend * self._yearly(dates) * self._weekly(dates)
        return profile / profile.mean()

    def truth(self) -> dict:
        """The planted parameters, as JSON for the ground-truth table."""
        return {**asdict(self), "weekday_weights": list(self.weekday_weights)}

    def _yearly(self, dates: np.ndarray) -> np.ndarray:
        day_of_year = (dates - dates.astype("datetime64[Y]")).astype(int) + 1
        peak = self._bump(day_of_year, self.q4_peak_day)
        dip = self._bump(day_of_year, self.summer_dip_day)
        return 1.0 + self.q4_peak * peak - self.summer_dip * dip

    def _bump(self, day_of_year: np.ndarray, centre: int) -> np.ndarray:
        angle = 2 * np.pi * (day_of_year - centre) / DAYS_PER_YEAR
        return np.exp(self.kappa * (np.cos(angle) - 1.0))

    def _weekly(self, dates: np.ndarray) -> np.ndarray:
        weekday = (dates.astype(int) + 3) % 7
        return np.asarray(self.weekday_weights)[weekday]


@dataclass(frozen=True)
class History:
    """The days the demo history covers: ``start`` up to, not including, ``end``."""

    start: dt.date
    end: dt.date

    @classmethod
    def before(cls, today: dt.date, years: int = 3) -> History:
        """The ``years`` years before ``today`` (28 February stands in for 29th)."""
        try:
            start = today.replace(year=today.year - years)
        except ValueError:
            start = today.replace(year=today.year - years, day=28)
        return cls(start, today)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def offset(self, day: dt.date) -> int:
        """Days from the start of the history to ``day`` (negative before it)."""
        return (day - self.start).days

    def date(self, offset: int) -> dt.date:
        return self.start + dt.timedelta(days=int(offset))
