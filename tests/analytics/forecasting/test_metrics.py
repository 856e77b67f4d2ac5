import numpy as np
import pytest

from analytics.forecasting.metrics import coverage, mape, mase, seasonal_naive_mae


def test_mase_of_the_seasonal_naive_forecast_is_one_when_errors_repeat():
    # Season 2. In sample, each value differs by 1 from the one a season
    # earlier (|2-1|, |4-3|): the scale is 1. Repeating the last season
    # (2, 4) against actuals (3, 5) also errs by 1 each time.
    training = np.array([1.0, 3.0, 2.0, 4.0])

    assert seasonal_naive_mae(training, season=2) == 1.0
    assert mase(np.array([3.0, 5.0]), np.array([2.0, 4.0]), training, 2) == 1.0


def test_mase_is_none_when_the_training_data_sets_no_scale():
    assert mase(np.ones(2), np.ones(2), np.array([5.0, 5.0, 5.0]), season=1) is None
    assert mase(np.ones(2), np.ones(2), np.array([5.0]), season=7) is None


def test_mape_counts_only_periods_with_revenue():
    actual = np.array([100.0, 0.0, 50.0])
    forecast = np.array([110.0, 30.0, 40.0])

    assert mape(actual, forecast) == pytest.approx((0.10 + 0.20) / 2)


def test_mape_is_none_when_most_actuals_are_zero():
    actual = np.array([0.0, 0.0, 0.0, 10.0, 0.0])

    assert mape(actual, np.full(5, 5.0)) is None


def test_coverage_is_the_share_of_actuals_within_the_bounds_inclusive():
    actual = np.array([1.0, 2.0, 3.0, 4.0])

    assert coverage(actual, np.full(4, 2.0), np.full(4, 3.0)) == 0.5
