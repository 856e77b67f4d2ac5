"""The naive baseline and the behavioural regressor keep the estimator contract."""

import json

import numpy as np
import pandas as pd
import pytest

from analytics.clv import (
    ArtifactError,
    BehaviouralCLV,
    NaiveCLV,
    NotFittedError,
    TooLittleHistoryError,
    behavioural_features,
    past_value,
)
from analytics.clv.features import FEATURES
from tests.analytics.clv.clv_factories import orders, simulated_orders

AS_OF = pd.Timestamp("2025-03-01")
SMALL = {"n_cutoffs": 4, "n_estimators": 30}


@pytest.fixture(scope="module")
def history():
    return simulated_orders(n=300, days=540, seed=0)


@pytest.fixture(scope="module")
def behavioural(history):
    return BehaviouralCLV(**SMALL).fit(history, AS_OF)


def test_naive_predicts_the_revenue_of_the_last_period(history):
    model = NaiveCLV(horizon_days=90).fit(history, AS_OF)

    predicted = model.predict(history, AS_OF)

    expected = past_value(history, AS_OF, 90)
    np.testing.assert_array_equal(predicted.to_numpy(), expected.to_numpy())
    window = history[(history["date"] >= "2024-12-01") & (history["date"] < AS_OF)]
    assert predicted.sum() == pytest.approx(window["amount"].sum())


def test_naive_gives_nothing_to_a_customer_quiet_in_the_last_period():
    frame = orders([(1, "2024-01-01", 50.0), (2, "2024-12-20", 80.0)])

    predicted = NaiveCLV(90).fit(frame, "2025-01-01").predict(frame, "2025-01-01")

    assert predicted.to_dict() == {1: 0.0, 2: 80.0}


@pytest.mark.parametrize("model", [NaiveCLV(), BehaviouralCLV()])
def test_unfitted_models_refuse_to_predict_and_to_be_saved(model, history):
    with pytest.raises(NotFittedError, match="not fitted yet; call fit first"):
        model.predict(history, AS_OF)
    with pytest.raises(NotFittedError):
        model.to_artifact()


def test_fit_returns_the_model_itself(history):
    model = NaiveCLV()

    assert model.fit(history, AS_OF) is model


def test_behavioural_features_describe_each_customer_at_the_cutoff():
    frame = orders(
        [
            (1, "2024-01-02", 10.0),  # a year (365 days) before the cutoff
            (1, "2024-11-01", 20.0),
            (1, "2024-12-02", 40.0),
            (1, "2025-01-05", 999.0),  # after the cutoff
        ]
    )

    row = behavioural_features(frame, "2025-01-01").loc[1]

    assert list(row.index) == list(FEATURES)
    assert row["frequency"] == 2
    assert row["tenure_days"] == 364
    assert row["days_since_last"] == 29
    assert row["revenue_90d"] == 60.0
    assert row["revenue_total"] == 70.0
    assert row["revenue_trend_90d"] == 60.0
    assert row["mean_gap_days"] == pytest.approx(335 / 2)
    assert row["revenue_same_window_last_year"] == 10.0


def test_behavioural_model_learns_only_windows_that_end_by_its_date(behavioural):
    latest = max(behavioural.training_cutoffs_)

    assert latest + pd.Timedelta(days=behavioural.horizon_days) <= AS_OF
    assert len(behavioural.training_cutoffs_) == SMALL["n_cutoffs"]


def test_behavioural_model_never_reads_orders_from_its_date_on(history, behavioural):
    shuffled_future = history.copy()
    future = shuffled_future["date"] >= AS_OF
    shuffled_future.loc[future, "amount"] = 1e6

    refitted = BehaviouralCLV(**SMALL).fit(shuffled_future, AS_OF)

    pd.testing.assert_series_equal(
        refitted.predict(shuffled_future, AS_OF), behavioural.predict(history, AS_OF)
    )


def test_behavioural_predictions_are_non_negative_and_cover_every_customer(
    history, behavioural
):
    predicted = behavioural.predict(history, AS_OF)

    seen = history.loc[history["date"] < AS_OF, "customer_id"].nunique()
    assert len(predicted) == seen
    assert (predicted >= 0).all()


def test_behavioural_fit_is_deterministic(history, behavioural):
    again = BehaviouralCLV(**SMALL).fit(history, AS_OF)

    pd.testing.assert_series_equal(
        again.predict(history, AS_OF), behavioural.predict(history, AS_OF)
    )


def test_too_short_history_says_how_many_days_are_needed():
    frame = orders([(1, "2025-01-01", 10.0), (2, "2025-02-01", 20.0)])

    with pytest.raises(TooLittleHistoryError, match="at least 180 days .* got 59"):
        BehaviouralCLV(horizon_days=90).fit(frame, AS_OF)


def test_behavioural_artifact_is_the_booster_json_and_round_trips(history, behavioural):
    fmt, payload = behavioural.to_artifact()
    loaded = BehaviouralCLV.from_artifact(fmt, payload)

    assert fmt == "xgboost-json"
    assert "learner" in json.loads(json.loads(payload)["state"]["booster"])
    assert loaded.get_params() == behavioural.get_params()
    pd.testing.assert_series_equal(
        loaded.predict(history, AS_OF), behavioural.predict(history, AS_OF)
    )


def test_behavioural_artifact_refuses_other_formats_and_broken_boosters(
    behavioural,
):
    fmt, payload = behavioural.to_artifact()
    envelope = json.loads(payload)
    envelope["state"]["booster"] = "{not a booster"

    with pytest.raises(ArtifactError, match="format 'xgboost-json'; got 'json'"):
        BehaviouralCLV.from_artifact("json", payload)
    with pytest.raises(ArtifactError, match="cannot be read"):
        BehaviouralCLV.from_artifact(fmt, json.dumps(envelope).encode())


def test_naive_artifact_round_trips(history):
    model = NaiveCLV(horizon_days=30).fit(history, AS_OF)

    loaded = NaiveCLV.from_artifact(*model.to_artifact())

    assert loaded.horizon_days == 30
    assert loaded.as_of_ == AS_OF
    with pytest.raises(ArtifactError):
        NaiveCLV.from_artifact("xgboost-json", model.to_artifact()[1])
