"""Holdout evaluation of every model, and batch scores of every customer."""

import numpy as np
import pandas as pd
import pytest

from analytics.clv import (
    SCORE_COLUMNS,
    ArtifactError,
    CLVError,
    CLVScorer,
    TooLittleHistoryError,
    evaluate_clv,
    fit_clv,
    future_value,
    predict_clv,
)
from tests.analytics.clv.clv_factories import simulated_orders

AS_OF = pd.Timestamp("2025-06-01")


@pytest.fixture(scope="module")
def history():
    return simulated_orders(n=400, days=540, seed=1)


@pytest.fixture(scope="module")
def evaluation(history):
    return evaluate_clv(history, horizon_days=90, cutoff="2025-03-01")


def test_evaluate_clv_returns_the_documented_keys(evaluation):
    assert set(evaluation) == {
        "horizon_days",
        "cutoff",
        "customers",
        "models",
        "selected",
        "holdout_total",
    }
    assert set(evaluation["models"]) == {"gbr", "bgnbd", "naive"}
    for scores in evaluation["models"].values():
        assert set(scores) == {"mae", "rmse"}
    assert evaluation["horizon_days"] == 90
    assert evaluation["cutoff"] == "2025-03-01"


def test_evaluate_clv_selects_the_lowest_mae(evaluation):
    maes = {name: s["mae"] for name, s in evaluation["models"].items()}

    assert evaluation["selected"] == min(maes, key=maes.get)


def test_evaluate_clv_judges_the_customers_seen_before_the_cutoff(history, evaluation):
    actual = future_value(history, "2025-03-01", 90)

    assert evaluation["customers"] == len(actual)
    assert evaluation["holdout_total"]["actual"] == pytest.approx(actual.sum())


def test_evaluate_clv_rounds_every_score_to_four_digits(evaluation):
    for scores in evaluation["models"].values():
        for value in scores.values():
            assert value == round(value, 4)


def test_the_default_cutoff_ends_the_holdout_on_the_latest_order(history):
    result = evaluate_clv(history, horizon_days=60)

    last_day = history["date"].max().normalize()
    assert pd.Timestamp(result["cutoff"]) == last_day - pd.Timedelta(days=59)


def test_a_holdout_beyond_the_data_says_how_many_days_are_needed(history):
    with pytest.raises(TooLittleHistoryError, match="at least 90 days .* got 23"):
        evaluate_clv(history, horizon_days=90, cutoff="2025-06-01")


def test_predict_clv_scores_every_customer_with_the_documented_columns(history):
    scorer = fit_clv(history, AS_OF)

    scores = predict_clv(scorer, history, AS_OF)

    assert tuple(scores.columns) == SCORE_COLUMNS
    assert len(scores) == history.loc[history["date"] < AS_OF, "customer_id"].nunique()
    assert (scores["value_365d"] >= scores["value_90d"]).all()
    assert scores["probability_alive"].between(0, 1).all()
    assert (scores["expected_orders_90d"] >= 0).all()


@pytest.mark.parametrize("family", ["gbr", "naive"])
def test_families_without_a_survival_model_leave_probability_alive_missing(family):
    long_history = simulated_orders(n=150, days=720, seed=2)
    as_of = long_history["date"].max() + pd.Timedelta(days=1)

    scores = predict_clv(fit_clv(long_history, as_of, family), long_history)

    assert scores["probability_alive"].isna().all()
    assert scores[["value_90d", "value_365d"]].notna().all().all()


def test_scorer_artifact_round_trips_and_refuses_other_formats(history):
    scorer = fit_clv(history, AS_OF)

    fmt, payload = scorer.to_artifact()
    loaded = CLVScorer.from_artifact(fmt, payload)

    pd.testing.assert_frame_equal(
        predict_clv(loaded, history), predict_clv(scorer, history)
    )
    with pytest.raises(ArtifactError, match="'clv-json'"):
        CLVScorer.from_artifact("json", payload)


def test_unknown_family_is_refused(history):
    with pytest.raises(CLVError, match="bgnbd, gbr, naive"):
        fit_clv(history, AS_OF, family="lstm")


def test_scores_of_a_later_day_use_the_orders_before_it(history):
    scorer = fit_clv(history, AS_OF)

    early = predict_clv(scorer, history, "2024-03-01")
    late = predict_clv(scorer, history, AS_OF)

    assert len(early) < len(late)
    assert not np.allclose(early["value_90d"].sum(), late["value_90d"].sum())
