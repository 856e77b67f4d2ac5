"""Backtests: rolling origins, no peeking at the future, honest metrics."""

import numpy as np
import pandas as pd
import pytest

from analytics.forecasting import (
    FORECASTERS,
    EnsembleForecaster,
    Forecaster,
    ForecastError,
    SeasonalNaiveForecaster,
    TooLittleHistoryError,
    backtest,
    baseline_only_forecast,
    compare_models,
    describe_accuracy,
)
from analytics.forecasting.base import normal_bands
from tests.analytics.forecasting.series_factories import daily_series, weekly_series

FAST = ["seasonal_naive", "linear"]


class RecordingForecaster(Forecaster):
    """Forecasts the last value seen, and remembers everything it was fitted on."""

    name = "recording"
    label = "Recording"
    seen: list[pd.Series] = []

    def min_history(self, frequency: str) -> int:
        return 1

    def _fit(self, y: pd.Series) -> None:
        RecordingForecaster.seen.append(y)
        self.last_ = float(y.iloc[-1])

    def _predict(self, horizon: int) -> dict[str, np.ndarray]:
        return normal_bands(np.full(horizon, self.last_), np.ones(horizon))


class KnownNoiseForecaster(Forecaster):
    """Knows the truth: a constant level plus Gaussian noise of known spread."""

    name = "known_noise"
    label = "Known noise"

    def __init__(self, level: float = 1000.0, sigma: float = 50.0) -> None:
        self.level = level
        self.sigma = sigma

    def min_history(self, frequency: str) -> int:
        return 1

    def _fit(self, y: pd.Series) -> None:
        self.fitted_ = True

    def _predict(self, horizon: int) -> dict[str, np.ndarray]:
        yhat = np.full(horizon, self.level)
        return normal_bands(yhat, np.full(horizon, self.sigma))


class BrokenForecaster(SeasonalNaiveForecaster):
    name = "broken"

    def _fit(self, y: pd.Series) -> None:
        raise RuntimeError("the solver diverged")


@pytest.fixture(autouse=True)
def fresh_recordings():
    RecordingForecaster.seen = []


def test_each_fold_is_fitted_only_on_data_strictly_before_its_origin():
    y = daily_series(100)

    result = backtest(RecordingForecaster, y, horizon=7, folds=4)

    assert len(RecordingForecaster.seen) == 4
    for training, fold in zip(RecordingForecaster.seen, result.folds, strict=True):
        assert training.index[-1] < fold.origin
        assert training.index[-1] + pd.Timedelta(days=1) == fold.origin


def test_a_spike_after_the_origin_never_reaches_the_model():
    y = daily_series(100)
    y.iloc[-7:] = 1e9

    result = backtest(RecordingForecaster, y, horizon=7, folds=3)

    assert max(training.max() for training in RecordingForecaster.seen) < 1e6
    assert result.folds[-1].forecast["yhat"].max() < 1e6


def test_the_last_fold_ends_at_the_series_end_and_origins_are_a_step_apart():
    y = daily_series(100)

    result = backtest(SeasonalNaiveForecaster, y, horizon=14, folds=3, step=7)

    assert result.folds[-1].end == y.index[-1]
    origins = [fold.origin for fold in result.folds]
    assert np.diff(origins).tolist() == [pd.Timedelta(days=7)] * 2
    assert all(len(fold.forecast) == 14 for fold in result.folds)


def test_seasonal_naive_scores_a_mase_of_one_when_each_week_repeats_with_noise():
    # A weekly pattern whose weeks alternate +5 and -5 around it: one week
    # ahead, repeating the last week errs by 10 every day, in sample and out.
    pattern = np.tile([50.0, 60.0, 70.0, 80.0, 90.0, 20.0, 10.0], 10)
    noise = 5.0 * np.repeat([1, -1] * 5, 7)
    index = pd.date_range("2024-01-01", periods=70, freq="D")
    y = pd.Series(pattern + noise, index=index)

    result = backtest(SeasonalNaiveForecaster, y, horizon=7, folds=3)

    assert [fold.mase for fold in result.folds] == [1.0, 1.0, 1.0]
    assert result.mase == 1.0


def test_coverage_matches_the_nominal_level_for_exact_gaussian_intervals():
    rng = np.random.default_rng(42)
    index = pd.date_range("2020-01-01", periods=3000, freq="D")
    y = pd.Series(1000.0 + rng.normal(0.0, 50.0, 3000), index=index)

    result = backtest(KnownNoiseForecaster, y, horizon=100, folds=25)

    assert result.coverage_80 == pytest.approx(0.80, abs=0.025)
    assert result.coverage_95 == pytest.approx(0.95, abs=0.015)


def test_mape_is_reported_as_none_when_most_actuals_are_zero():
    index = pd.date_range("2024-01-01", periods=60, freq="D")
    y = pd.Series(np.where(np.arange(60) % 7 == 0, 100.0, 0.0), index=index)

    result = backtest(SeasonalNaiveForecaster, y, horizon=14, folds=2)

    assert result.mape is None
    assert all(fold.mape is None for fold in result.folds)


def test_backtest_says_how_much_history_it_needs():
    with pytest.raises(TooLittleHistoryError) as raised:
        backtest(SeasonalNaiveForecaster, daily_series(40), horizon=28, folds=3)

    needed = 21 + 28 + 2 * 28
    assert f"needs at least {needed} days of history; got 40" in str(raised.value)


def test_compare_models_selects_the_lowest_mase_and_keeps_its_shape():
    y = daily_series(150)

    comparison = compare_models(y, horizon=14, folds=3, names=FAST)

    report = comparison.to_dict()
    assert list(report) == ["frequency", "horizon_days", "folds", "models", "selected"]
    assert report["frequency"] == "D"
    assert (report["horizon_days"], report["folds"]) == (14, 3)
    assert list(report["models"]) == FAST
    for metrics in report["models"].values():
        assert list(metrics) == [
            "mase",
            "mape",
            "coverage_80",
            "coverage_95",
            "fit_seconds",
        ]
    best = min(FAST, key=lambda name: report["models"][name]["mase"])
    assert report["selected"] == best


def test_compare_models_reports_a_failing_model_and_carries_on(monkeypatch):
    monkeypatch.setitem(FORECASTERS, "broken", BrokenForecaster)

    comparison = compare_models(daily_series(150), 14, 3, ["broken", *FAST])

    assert "the solver diverged" in comparison.errors["broken"]
    assert comparison.to_dict()["models"]["broken"]["mase"] is None
    assert comparison.selected in FAST


def test_compare_models_passes_options_to_the_models_that_take_them():
    comparison = compare_models(
        daily_series(150), 14, 2, ["seasonal_naive", "prophet"], country="GB"
    )

    assert comparison.errors == {}


def test_compare_models_refuses_options_no_model_takes():
    with pytest.raises(ForecastError, match="countri"):
        compare_models(daily_series(150), 14, 2, FAST, countries="GB")


def test_compare_models_refuses_unknown_model_names():
    with pytest.raises(ForecastError, match="unknown model"):
        compare_models(daily_series(150), 14, 2, ["seasonal_naive", "arima"])


def test_compare_models_on_too_short_a_series_says_how_much_is_needed():
    with pytest.raises(TooLittleHistoryError, match="needs at least 105 days"):
        compare_models(daily_series(50), horizon=28, folds=3, names=FAST)


def test_weekly_comparisons_report_their_horizon_in_days():
    comparison = compare_models(weekly_series(120), horizon=4, folds=3, names=FAST)

    report = comparison.to_dict()
    assert (report["frequency"], report["horizon_days"]) == ("W-MON", 28)
    assert report["selected"] in FAST


def test_describe_accuracy_quotes_the_backtest_not_a_confidence_word():
    y = daily_series(150)
    result = backtest(SeasonalNaiveForecaster, y, horizon=28, folds=3)

    sentence = describe_accuracy("seasonal_naive", result)

    assert sentence == (
        f"Seasonal naive, MASE {result.mase:.2f} over 3 backtests of 28 days; "
        f"the 80% interval held {result.coverage_80:.0%} of the time."
    )
    assert "confidence" not in sentence.lower()


def test_describe_accuracy_reads_the_stored_metrics_of_a_registered_model():
    result = backtest(SeasonalNaiveForecaster, daily_series(150), 28, 3)
    stored = {**result.to_dict(), "horizon_days": 28}

    assert describe_accuracy("seasonal_naive", stored) == describe_accuracy(
        "seasonal_naive", result
    )


def test_a_short_history_gets_the_seasonal_naive_baseline_marked_as_such():
    forecast = baseline_only_forecast(daily_series(30), horizon=14)

    assert forecast.baseline
    assert forecast.model == "seasonal_naive"
    assert len(forecast.forecast) == 14
    assert "Only 30 days of history" in forecast.note


def test_a_very_short_history_gets_the_mean_as_its_baseline():
    forecast = baseline_only_forecast(daily_series(5), horizon=7)

    assert (forecast.model, forecast.baseline) == ("mean", True)
    assert (forecast.forecast["yhat"] >= 0).all()


def test_no_history_at_all_is_an_error_saying_so():
    empty = daily_series(5).iloc[:0]

    with pytest.raises(TooLittleHistoryError, match="needs at least 1 days"):
        baseline_only_forecast(empty, horizon=7)


def test_an_ensemble_scored_from_its_components_folds_equals_refitting_it():
    y = daily_series(days=200)
    components = ("seasonal_naive", "linear")

    compared = compare_models(
        y, 14, 3, names=[*components, "ensemble"], components=components
    ).results["ensemble"]
    refitted = backtest(lambda: EnsembleForecaster(components=components), y, 14, 3)

    assert compared.mase == pytest.approx(refitted.mase)
    assert compared.coverage_80 == pytest.approx(refitted.coverage_80)
    for ours, theirs in zip(compared.folds, refitted.folds, strict=True):
        pd.testing.assert_frame_equal(ours.forecast, theirs.forecast)
