"""Every forecaster keeps the contract: shapes, dates, bounds, errors, artifacts."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from analytics.forecasting import (
    FORECASTERS,
    ArtifactError,
    EnsembleForecaster,
    ForecastError,
    HorizonError,
    LinearTrendForecaster,
    LSTMForecaster,
    MeanForecaster,
    NotFittedError,
    ProphetForecaster,
    SeasonalNaiveForecaster,
    TooLittleHistoryError,
    load_forecaster,
)
from tests.analytics.forecasting.series_factories import daily_series, weekly_series

COLUMNS = ["yhat", "lower_80", "upper_80", "lower_95", "upper_95"]
HORIZON = 14
SMALL_LSTM = {"epochs": 4, "patience": 2, "mc_passes": 20}

MAKERS = {
    "seasonal_naive": SeasonalNaiveForecaster,
    "linear": LinearTrendForecaster,
    "mean": MeanForecaster,
    "prophet": lambda: ProphetForecaster(uncertainty_samples=100),
    "lstm": lambda: LSTMForecaster(**SMALL_LSTM),
    "ensemble": lambda: EnsembleForecaster(("prophet", "seasonal_naive")),
    "ensemble_with_lstm": lambda: EnsembleForecaster(
        ("seasonal_naive", "lstm"), component_options={"lstm": SMALL_LSTM}
    ),
}
SLOW = {"lstm", "ensemble_with_lstm"}
NAMES = [
    pytest.param(name, marks=pytest.mark.slow) if name in SLOW else name
    for name in MAKERS
]


@pytest.fixture(scope="module", params=NAMES)
def fitted(request):
    """Each model fitted once on a daily series of 250 days, with the series."""
    y = daily_series(250)
    return MAKERS[request.param]().fit(y), y


def assert_well_formed(forecast: pd.DataFrame, y: pd.Series, horizon: int):
    expected = pd.date_range(
        y.index[-1] + y.index.freq, periods=horizon, freq=y.index.freq
    )
    assert list(forecast.columns) == COLUMNS
    assert forecast.index.equals(expected)
    assert forecast.notna().all().all()
    assert (forecast >= 0).all().all()
    assert (forecast["lower_95"] <= forecast["lower_80"]).all()
    assert (forecast["lower_80"] <= forecast["yhat"]).all()
    assert (forecast["yhat"] <= forecast["upper_80"]).all()
    assert (forecast["upper_80"] <= forecast["upper_95"]).all()


def test_every_registered_model_is_covered_here():
    assert set(FORECASTERS) <= {name.split("_with")[0] for name in MAKERS}


def test_forecasts_follow_the_training_end_and_are_ordered_and_non_negative(fitted):
    model, y = fitted

    assert_well_formed(model.predict(HORIZON), y, HORIZON)


def test_fit_returns_the_model_itself():
    model = SeasonalNaiveForecaster()

    assert model.fit(daily_series(60)) is model


def test_artifacts_reload_to_the_same_forecast(fitted):
    model, _ = fitted

    fmt, payload = model.to_artifact()
    reloaded = load_forecaster(model.name, fmt, payload)

    assert isinstance(payload, bytes)
    assert not payload.startswith(b"\x80")  # never a pickle
    expected, actual = model.predict(HORIZON), reloaded.predict(HORIZON)
    if _has_lstm(model):
        # Monte Carlo dropout draws new masks; the point forecast is exact.
        pd.testing.assert_series_equal(actual["yhat"], expected["yhat"], rtol=1e-5)
    else:
        pd.testing.assert_frame_equal(actual, expected)


def test_an_artifact_of_another_format_is_refused(fitted):
    model, _ = fitted
    _, payload = model.to_artifact()

    with pytest.raises(ArtifactError, match="format"):
        type(model).from_artifact("pickle", payload)


@pytest.mark.parametrize("name", NAMES)
def test_an_unfitted_model_refuses_to_predict_or_to_be_saved(name):
    model = MAKERS[name]()

    with pytest.raises(NotFittedError, match="not fitted yet; call fit first"):
        model.predict(7)
    with pytest.raises(NotFittedError):
        model.to_artifact()


@pytest.mark.parametrize("name", NAMES)
def test_too_short_a_history_says_how_much_is_needed(name):
    model = MAKERS[name]()
    needed = model.min_history("D")

    with pytest.raises(TooLittleHistoryError) as raised:
        model.fit(daily_series(needed - 1))

    message = f"needs at least {needed} days of history; got {needed - 1}"
    assert message in str(raised.value)
    assert (raised.value.needed, raised.value.got) == (needed, needed - 1)


@pytest.mark.parametrize("name", NAMES)
def test_weekly_series_are_forecast_week_by_week(name):
    y = weekly_series(120)

    forecast = MAKERS[name]().fit(y).predict(4)

    assert_well_formed(forecast, y, 4)
    assert (forecast.index.day_of_week == 0).all()


@pytest.mark.parametrize("horizon", [0, -3, 2.5, True])
def test_a_horizon_must_be_a_positive_whole_number(horizon):
    model = SeasonalNaiveForecaster().fit(daily_series(60))

    with pytest.raises(HorizonError):
        model.predict(horizon)


@pytest.mark.parametrize(
    ("y", "problem"),
    [
        (pd.Series([1.0, 2.0]), "DatetimeIndex"),
        (
            pd.Series(1.0, index=pd.DatetimeIndex(["2024-01-01", "2024-01-03"])),
            "freq",
        ),
        (daily_series(60).where(lambda s: s.index.day != 9), "missing"),
        (daily_series(60) - 500.0, "negative"),
    ],
)
def test_fit_refuses_a_series_that_is_not_regular_revenue(y, problem):
    with pytest.raises(ForecastError, match=problem):
        SeasonalNaiveForecaster().fit(y)


def test_seasonal_naive_repeats_the_last_week_and_widens_each_week_ahead():
    y = daily_series(60)

    forecast = SeasonalNaiveForecaster().fit(y).predict(21)

    assert forecast["yhat"].to_numpy() == pytest.approx(np.tile(y.iloc[-7:], 3))
    width = (forecast["upper_80"] - forecast["lower_80"]).to_numpy()
    weekdays = width[[0, 7, 14]]  # Mondays, one to three weeks ahead
    assert weekdays[0] < weekdays[1] < weekdays[2]


def test_linear_trend_continues_a_straight_line():
    index = pd.date_range("2024-01-01", periods=30, freq="D")
    y = pd.Series(10.0 + 2.0 * np.arange(30), index=index)

    forecast = LinearTrendForecaster().fit(y).predict(3)

    assert forecast["yhat"].tolist() == pytest.approx([70.0, 72.0, 74.0])


def test_forecasts_never_go_below_zero_on_a_falling_trend():
    index = pd.date_range("2024-01-01", periods=30, freq="D")
    y = pd.Series(np.linspace(300.0, 10.0, 30), index=index)

    forecast = LinearTrendForecaster().fit(y).predict(30)

    assert (forecast >= 0).all().all()
    assert forecast["yhat"].iloc[-1] == 0.0


def test_the_mean_baseline_serves_even_a_few_days():
    forecast = MeanForecaster().fit(daily_series(3)).predict(5)

    assert forecast["yhat"].nunique() == 1


def test_the_ensemble_averages_its_components_forecasts():
    y = daily_series(60)
    naive = SeasonalNaiveForecaster().fit(y).predict(7)
    line = LinearTrendForecaster().fit(y).predict(7)

    ensemble = EnsembleForecaster(("seasonal_naive", "linear")).fit(y).predict(7)

    pd.testing.assert_frame_equal(ensemble, (naive + line) / 2)


def test_the_ensemble_refuses_unknown_components():
    with pytest.raises(ForecastError, match="components must be other registered"):
        EnsembleForecaster(("prophet", "arima")).fit(daily_series(120))


def test_prophet_models_the_holidays_of_the_country_given():
    y = daily_series(120, start="2024-01-01")

    model = ProphetForecaster(country="GB", uncertainty_samples=50).fit(y)

    assert "Christmas Day" in set(model.model_.train_holiday_names)


def test_prophet_intervals_are_the_same_every_time():
    model = ProphetForecaster(uncertainty_samples=100).fit(daily_series(120))

    pd.testing.assert_frame_equal(model.predict(7), model.predict(7))


@pytest.mark.slow
def test_the_lstm_scaler_is_learned_from_training_data_and_kept():
    y = daily_series(250)

    model = LSTMForecaster(**SMALL_LSTM).fit(y)

    assert model.scaler_["mean"] == pytest.approx(y.mean())
    assert model.scaler_["std"] == pytest.approx(y.std(ddof=0))
    assert model.window_.tolist() == y.iloc[-model.lookback_ :].tolist()
    assert model.predict(7)["yhat"].tolist() == model.predict(7)["yhat"].tolist()


@pytest.mark.slow
def test_the_lstm_refuses_to_forecast_beyond_its_max_horizon():
    model = LSTMForecaster(max_horizon=7, **SMALL_LSTM).fit(daily_series(250))

    with pytest.raises(HorizonError, match="at most 7 periods ahead"):
        model.predict(8)


@pytest.mark.slow
def test_the_lstm_fits_the_same_way_twice():
    y = daily_series(250)

    first = LSTMForecaster(**SMALL_LSTM).fit(y).predict(7)["yhat"]
    second = LSTMForecaster(**SMALL_LSTM).fit(y).predict(7)["yhat"]

    pd.testing.assert_series_equal(first, second)


def test_importing_the_package_loads_neither_tensorflow_nor_prophet():
    code = (
        "import sys, analytics.forecasting; "
        "print(sorted({'tensorflow', 'keras', 'prophet'} & set(sys.modules)))"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"


def _has_lstm(model) -> bool:
    return isinstance(model, LSTMForecaster) or any(
        isinstance(part, LSTMForecaster) for part in getattr(model, "models_", [])
    )


def test_an_ensemble_reuses_components_fitted_on_the_same_series():
    y = daily_series()
    naive = SeasonalNaiveForecaster().fit(y)
    stale = LinearTrendForecaster().fit(y.iloc[:-7])

    ensemble = EnsembleForecaster(("seasonal_naive", "linear")).fit_reusing(
        y, {"seasonal_naive": naive, "linear": stale}
    )

    assert ensemble.models_[0] is naive
    assert ensemble.models_[1] is not stale
    assert ensemble.models_[1].last_date_ == y.index[-1]
    expected = EnsembleForecaster(("seasonal_naive", "linear")).fit(y).predict(7)
    pd.testing.assert_frame_equal(ensemble.predict(7), expected)
