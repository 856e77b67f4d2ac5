"""BG/NBD and Gamma-Gamma recover what they were simulated from, and stay finite."""

import numpy as np
import pandas as pd
import pytest

from analytics.clv import (
    ArtifactError,
    BetaGeoModel,
    ConvergenceError,
    GammaGammaModel,
    NotFittedError,
    OrdersError,
    ProbabilisticCLV,
    TooLittleHistoryError,
)
from analytics.clv.bgnbd import bgnbd_log_likelihood, gamma_gamma_log_likelihood
from tests.analytics.clv.clv_factories import simulate_bgnbd, simulate_spend

TRUE_BGNBD = {"r": 0.5, "alpha": 8.0, "a": 0.8, "b": 2.5}
TRUE_SPEND = {"p": 6.0, "q": 4.0, "v": 15.0}


@pytest.fixture(scope="module")
def simulated():
    """20,000 simulated customers and their purchases in the next 26 periods."""
    return simulate_bgnbd(**TRUE_BGNBD, n=20_000, seed=0, horizon=26.0)


@pytest.fixture(scope="module")
def fitted(simulated):
    return BetaGeoModel().fit(simulated[0])


def known_model() -> BetaGeoModel:
    model = BetaGeoModel()
    model.params_ = dict(TRUE_BGNBD)
    return model


def test_bgnbd_recovers_the_parameters_it_was_simulated_from(fitted):
    params = fitted.params_
    drop_out = params["a"] / (params["a"] + params["b"])

    assert params["r"] == pytest.approx(0.5, rel=0.05)
    assert params["alpha"] == pytest.approx(8.0, rel=0.05)
    assert params["a"] == pytest.approx(0.8, rel=0.15)
    assert params["b"] == pytest.approx(2.5, rel=0.15)
    assert drop_out == pytest.approx(0.8 / 3.3, rel=0.05)


def test_conditional_expectation_matches_simulated_future_purchases(simulated):
    summary, future = simulated
    model = known_model()

    expected = model.expected_purchases(26.0, *summary.to_numpy().T)

    assert expected.mean() == pytest.approx(future.mean(), rel=0.03)
    for x in (0, 1, 3):
        group = summary["frequency"].to_numpy() == x
        assert expected[group].mean() == pytest.approx(future[group].mean(), rel=0.1)


def test_a_new_customer_expects_what_a_customer_without_history_does():
    model = known_model()

    new = model.expected_purchases_new(np.array([0.0, 10.0, 52.0]))

    assert new[0] == 0.0
    assert np.all(np.diff(new) > 0)
    assert new[2] == pytest.approx(model.expected_purchases(52.0, 0, 0, 0))


def test_time_unit_changes_only_alpha():
    summary, _ = simulate_bgnbd(**TRUE_BGNBD, n=3_000, seed=1)
    in_days = summary.assign(recency=summary["recency"] * 7, T=summary["T"] * 7)

    weeks = BetaGeoModel().fit(summary).params_
    days = BetaGeoModel().fit(in_days).params_

    assert days["alpha"] / 7 == pytest.approx(weeks["alpha"], rel=1e-3)
    for name in ("r", "a", "b"):
        assert days[name] == pytest.approx(weeks[name], rel=1e-3)


@pytest.mark.parametrize(
    "params",
    [(1e-5, 1e-5, 1e-5, 1e-5), (1e5, 1e5, 1e5, 1e5), (1e-5, 1e5, 1e5, 1e-5)],
)
def test_bgnbd_log_likelihood_is_finite_at_extreme_parameters(params):
    x = np.array([0.0, 1.0, 5.0, 200.0])
    t_x = np.array([0.0, 0.5, 30.0, 364.0])
    T = np.array([0.0, 52.0, 52.0, 365.0])

    assert np.isfinite(bgnbd_log_likelihood(params, x, t_x, T)).all()


@pytest.mark.parametrize("params", [(1e-5, 1e-5, 1e-5), (1e5, 1e5, 1e5)])
def test_gamma_gamma_log_likelihood_is_finite_at_extreme_parameters(params):
    x = np.array([1.0, 3.0, 200.0])
    m = np.array([0.01, 35.0, 1e6])

    assert np.isfinite(gamma_gamma_log_likelihood(params, x, m)).all()


def test_expected_purchases_increase_with_frequency():
    model = known_model()
    x = np.arange(1, 11)

    expected = model.expected_purchases(26.0, x, np.full(10, 50.0), np.full(10, 52.0))

    assert np.all(np.diff(expected) > 0)


def test_expected_purchases_and_probability_alive_fall_as_a_customer_goes_quiet():
    model = known_model()
    recency = np.array([50.0, 40.0, 25.0, 10.0, 2.0])
    x, T = np.full(5, 5.0), np.full(5, 52.0)

    expected = model.expected_purchases(26.0, x, recency, T)
    alive = model.probability_alive(x, recency, T)

    assert np.all(np.diff(expected) < 0)
    assert np.all(np.diff(alive) < 0)
    assert model.probability_alive(0, 0, 52.0) == 1.0


def test_gamma_gamma_recovers_the_parameters_it_was_simulated_from():
    spend = simulate_spend(**TRUE_SPEND, n=20_000, seed=0)

    params = GammaGammaModel().fit(spend).params_

    assert params["p"] == pytest.approx(6.0, rel=0.15)
    assert params["q"] == pytest.approx(4.0, rel=0.05)
    assert params["v"] == pytest.approx(15.0, rel=0.15)
    population_mean = params["v"] * params["p"] / (params["q"] - 1)
    assert population_mean == pytest.approx(15.0 * 6.0 / 3.0, rel=0.05)


def test_expected_spend_shrinks_a_customers_mean_toward_the_population():
    model = GammaGammaModel()
    model.params_ = dict(TRUE_SPEND)

    values = model.expected_average_value([0, 1, 20], [0.0, 100.0, 100.0])

    assert values[0] == pytest.approx(30.0)
    assert 30.0 < values[1] < values[2] < 100.0


def test_gamma_gamma_refuses_spend_without_a_finite_mean():
    spend = simulate_spend(p=2.0, q=0.6, v=1.0, n=5_000, seed=3)

    with pytest.raises(ConvergenceError, match="q = .* <= 1"):
        GammaGammaModel().fit(spend)


def test_too_few_repeat_buyers_says_how_many_are_needed():
    summary = pd.DataFrame(
        {"frequency": [1] * 4 + [0] * 50, "recency": [3.0] * 4 + [0.0] * 50}
    ).assign(T=10.0, monetary_value=1.0)

    with pytest.raises(TooLittleHistoryError, match="at least 10 customers .* got 4"):
        BetaGeoModel().fit(summary)


def test_a_summary_that_is_not_a_history_is_refused():
    summary = pd.DataFrame({"frequency": [1.0], "recency": [9.0], "T": [5.0]})

    with pytest.raises(OrdersError, match="recency <= T"):
        BetaGeoModel().fit(summary)


@pytest.mark.parametrize(
    "predict",
    [
        lambda: BetaGeoModel().expected_purchases(1.0, [0], [0], [1]),
        lambda: BetaGeoModel().probability_alive([0], [0], [1]),
        lambda: GammaGammaModel().expected_average_value([1], [1.0]),
        lambda: ProbabilisticCLV().predict(probabilistic_summary(), 30),
    ],
)
def test_unfitted_models_refuse_to_predict(predict):
    with pytest.raises(NotFittedError, match="call fit first"):
        predict()


def probabilistic_summary() -> pd.DataFrame:
    summary, _ = simulate_bgnbd(**TRUE_BGNBD, n=2_000, seed=4)
    spend = simulate_spend(**TRUE_SPEND, n=2_000, seed=4)["monetary_value"]
    summary["monetary_value"] = np.where(summary["frequency"] > 0, spend, 0.0)
    summary.attrs["freq"] = "W"
    return summary


def test_probabilistic_clv_is_purchases_times_spend():
    summary = probabilistic_summary()
    model = ProbabilisticCLV(freq="W").fit(summary)

    value = model.predict(summary, days=182)

    purchases = model.expected_orders(summary, days=182)
    spend = model.spend_.expected_average_value(
        summary["frequency"], summary["monetary_value"]
    )
    np.testing.assert_allclose(value, purchases * spend)
    assert model.expected_orders(summary, days=182).iloc[0] == pytest.approx(
        model.purchases_.expected_purchases(26.0, *summary.iloc[[0], :3].to_numpy().T)[
            0
        ]
    )


def test_probabilistic_clv_refuses_a_summary_in_other_periods():
    summary = probabilistic_summary()

    with pytest.raises(OrdersError, match="freq='D'"):
        ProbabilisticCLV(freq="D").fit(summary)


def test_probabilistic_artifact_round_trips_as_json():
    summary = probabilistic_summary()
    model = ProbabilisticCLV(freq="W").fit(summary)

    fmt, payload = model.to_artifact()
    loaded = ProbabilisticCLV.from_artifact(fmt, payload)

    assert fmt == "json"
    assert payload.startswith(b"{")
    assert loaded.freq == "W"
    pd.testing.assert_series_equal(
        loaded.predict(summary, 91), model.predict(summary, 91)
    )


def test_probabilistic_artifact_refuses_other_formats_and_models():
    summary = probabilistic_summary()
    fmt, payload = ProbabilisticCLV(freq="W").fit(summary).to_artifact()

    with pytest.raises(ArtifactError, match="format 'json'; got 'pickle'"):
        ProbabilisticCLV.from_artifact("pickle", payload)
    with pytest.raises(ArtifactError, match="not valid JSON"):
        ProbabilisticCLV.from_artifact(fmt, b"\x80\x04K\x01.")
    with pytest.raises(ArtifactError, match="holds a 'bgnbd' model"):
        BetaGeoModel.from_artifact(fmt, payload)
