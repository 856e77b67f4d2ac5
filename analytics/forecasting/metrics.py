"""Forecast accuracy measures used by the backtests.

- **MASE**: mean absolute error divided by the in-sample mean absolute error
  of the one-season seasonal naive forecast on the training data. Below 1,
  the model did better out of sample than repeating the last season did in
  sample.
- **MAPE**: mean absolute percentage error over the periods whose actual is
  not zero, as a fraction (0.25 is 25%); None when fewer than half the
  actuals are non-zero, since a handful of periods would then speak for all.
- **coverage**: the share of actuals inside an interval (bounds included).
"""

from __future__ import annotations

import numpy as np

MIN_NONZERO_SHARE = 0.5


def seasonal_naive_mae(training: np.ndarray, season: int) -> float | None:
    """In-sample MAE of repeating the value one season earlier.

    Parameters
    ----------
    training : ndarray, shape (n,)
    season : int

    Returns
    -------
    float or None
        None when ``n <= season`` (there is nothing to compare) .
    """
    training = np.asarray(training, dtype=float)
    if len(training) <= season:
        return None
    return float(np.mean(np.abs(training[season:] - training[:-season])))


def mase(
    actual: np.ndarray, forecast: np.ndarray, training: np.ndarray, season: int
) -> float | None:
    """Mean absolute scaled error; None when the scale is zero or undefined.

    Parameters
    ----------
    actual, forecast : ndarray, shape (horizon,)
    training : ndarray, shape (n,)
        The series the model was fitted on, which sets the scale.
    season : int
        7 for daily data, 52 for weekly data.
    """
    scale = seasonal_naive_mae(training, season)
    if not scale:
        return None
    errors = np.abs(np.asarray(actual, float) - np.asarray(forecast, float))
    return float(errors.mean() / scale)


def mape(actual: np.ndarray, forecast: np.ndarray) -> float | None:
    """Mean absolute percentage error over non-zero actuals, as a fraction.

    Parameters
    ----------
    actual, forecast : ndarray, shape (n,)

    Returns
    -------
    float or None
        None when fewer than half of ``actual`` are non-zero.
    """
    actual = np.asarray(actual, dtype=float)
    forecast = np.asarray(forecast, dtype=float)
    nonzero = actual != 0
    if len(actual) == 0 or nonzero.mean() < MIN_NONZERO_SHARE:
        return None
    errors = np.abs(actual[nonzero] - forecast[nonzero]) / np.abs(actual[nonzero])
    return float(errors.mean())


def coverage(actual: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> float:
    """Share of ``actual`` within ``[lower, upper]``; all of shape (n,)."""
    actual = np.asarray(actual, dtype=float)
    inside = (actual >= np.asarray(lower)) & (actual <= np.asarray(upper))
    return float(inside.mean())
