"""The prediction log, actuals, performance and the model health summary."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from sqlalchemy import func, select

from storage.db import session_scope
from storage.errors import StorageError
from storage.models import ModelPerformance, Prediction
from storage.monitoring import (
    backfill_actuals,
    latest_scores,
    log_predictions,
    log_scores,
    model_health,
    performance_history,
    record_performance,
)
from storage.registry import register_model

JUNE = pd.date_range("2024-06-01", periods=4, freq="D", name="target_date")


def register(session, name="revenue_forecast", metrics=None):
    return register_model(
        session,
        name=name,
        model_type="prophet",
        artifact_format="json",
        artifact=b"model",
        data_fingerprint="f" * 64,
        metrics=metrics or {"mae": 9.0},
    )


def forecast(values, index=JUNE) -> pd.DataFrame:
    return pd.DataFrame({"yhat": values}, index=index[: len(values)])


def log_forecast(session, model, values, entity_id="all", index=JUNE) -> int:
    return log_predictions(
        session,
        model=model,
        model_name="revenue_forecast",
        entity_type="team",
        entity_id=entity_id,
        forecast=forecast(values, index),
    )


def stored_predictions(session) -> list[Prediction]:
    stmt = select(Prediction).order_by(Prediction.entity_id, Prediction.target_date)
    return list(session.scalars(stmt))


# --- forecasts and actuals --------------------------------------------------


def test_a_forecast_is_logged_one_row_per_target_date_with_its_bounds(store_url):
    frame = forecast([100.0, 110.0]).assign(
        lower_80=[90.0, 95.0],
        upper_80=[110.0, 125.0],
        lower_95=[80.0, 85.0],
        upper_95=[120.0, 135.0],
    )
    with session_scope(store_url) as session:
        model = register(session)
        written = log_predictions(
            session,
            model=model,
            model_name="revenue_forecast",
            entity_type="team",
            entity_id="emea",
            forecast=frame,
            details={"horizon_days": 2},
        )

    with session_scope(store_url) as session:
        rows = stored_predictions(session)

    assert written == 2
    assert [(r.target_date, r.predicted_value, r.lower, r.upper) for r in rows] == [
        (dt.date(2024, 6, 1), 100.0, 90.0, 110.0),
        (dt.date(2024, 6, 2), 110.0, 95.0, 125.0),
    ]
    assert rows[0].details == {"horizon_days": 2, "lower_95": 80.0, "upper_95": 120.0}
    assert {(r.model_id, r.entity_type, r.entity_id) for r in rows} == {
        (model.id, "team", "emea")
    }


def test_a_forecast_without_bounds_or_a_model_is_logged_with_nulls(store_url):
    with session_scope(store_url) as session:
        assert log_forecast(session, None, [5.0]) == 1
        row = stored_predictions(session)[0]

    assert (row.model_id, row.lower, row.upper, row.details) == (None, None, None, {})


def test_a_forecast_without_yhat_is_refused_with_what_to_pass(sqlite_url):
    frame = pd.DataFrame({"prediction": [1.0]}, index=JUNE[:1])

    with session_scope(sqlite_url) as session, pytest.raises(StorageError) as error:
        log_predictions(
            session,
            model=None,
            model_name="revenue_forecast",
            entity_type="team",
            entity_id="all",
            forecast=frame,
        )

    assert "no 'yhat' column (it has prediction)" in str(error.value)


def test_predictions_of_another_models_name_are_refused(sqlite_url):
    with session_scope(sqlite_url) as session, pytest.raises(StorageError) as error:
        churn = register(session, "churn")
        log_forecast(session, churn, [1.0])

    assert "pass the model whose name is 'revenue_forecast'" in str(error.value)


def test_backfill_fills_only_the_dates_given_and_only_empty_actuals(store_url):
    with session_scope(store_url) as session:
        log_forecast(session, None, [10.0, 20.0, 30.0], entity_id="emea")
        log_forecast(session, None, [10.0, 20.0, 30.0], entity_id="apac")
        first = backfill_actuals(
            session,
            model_name="revenue_forecast",
            entity_type="team",
            entity_id="emea",
            actuals=pd.Series([11.0, float("nan")], index=JUNE[:2]),
        )
        again = backfill_actuals(
            session,
            model_name="revenue_forecast",
            entity_type="team",
            entity_id="emea",
            actuals=pd.Series([99.0, 21.0, 40.0], index=JUNE[:2].append(JUNE[3:])),
        )
        actuals = {
            (r.entity_id, r.target_date.day): r.actual_value
            for r in stored_predictions(session)
        }

    assert (first, again) == (1, 1)
    assert actuals == {
        ("apac", 1): None,
        ("apac", 2): None,
        ("apac", 3): None,
        ("emea", 1): 11.0,
        ("emea", 2): 21.0,
        ("emea", 3): None,
    }


# --- performance ------------------------------------------------------------


def test_performance_is_computed_over_every_prediction_with_an_actual(store_url):
    with session_scope(store_url) as session:
        first = register(session)
        log_forecast(session, first, [10.0, 20.0], entity_id="emea")
        second = register(session)
        log_forecast(session, second, [30.0, 40.0, 50.0], entity_id="apac")
        backfill(session, "emea", [12.0, 20.0])
        backfill(session, "apac", [0.0, 50.0])

        performance = record_performance(session, "revenue_forecast")

    # errors -2, 0, 30, -10 → MAE 42/4; MSE (4 + 0 + 900 + 100)/4;
    # MAPE over the non-zero actuals 12, 20, 50: (2/12 + 0 + 10/50)/3
    assert performance.n_predictions == 4
    assert performance.model_version == 2
    assert performance.mae == pytest.approx(10.5)
    assert performance.rmse == pytest.approx(math.sqrt(251))
    assert performance.mape == pytest.approx((2 / 12 + 0.2) / 3)


def test_mape_is_none_when_every_actual_is_zero(store_url):
    with session_scope(store_url) as session:
        log_forecast(session, None, [3.0, 4.0])
        backfill(session, "all", [0.0, 0.0])

        performance = record_performance(session, "revenue_forecast")

    assert (performance.mae, performance.mape, performance.model_version) == (
        3.5,
        None,
        None,
    )


def test_no_performance_is_recorded_before_any_actual_arrives(store_url):
    with session_scope(store_url) as session:
        log_forecast(session, None, [3.0, 4.0])

        assert record_performance(session, "revenue_forecast") is None
        assert session.scalar(select(func.count()).select_from(ModelPerformance)) == 0


def test_performance_history_lists_evaluations_oldest_first(store_url):
    with session_scope(store_url) as session:
        log_forecast(session, None, [10.0, 20.0])
        backfill(session, "all", [12.0])
        record_performance(session, "revenue_forecast")
        backfill(session, "all", [12.0, 30.0])
        record_performance(session, "revenue_forecast")
        log_scores(
            session,
            model=None,
            model_name="churn",
            entity_type="customer",
            scores=pd.Series({"1": 0.5}),
        )

    with session_scope(store_url) as session:
        history = performance_history(session, "revenue_forecast")
        everything = performance_history(session)

    assert list(history.columns) == [
        "model_name",
        "model_version",
        "evaluated_at",
        "n_predictions",
        "mae",
        "rmse",
        "mape",
    ]
    assert history["n_predictions"].tolist() == [1, 2]
    assert history["mae"].tolist() == pytest.approx([2.0, 6.0])
    assert history["evaluated_at"].is_monotonic_increasing
    assert len(everything) == 2


def test_performance_history_of_a_model_never_evaluated_is_empty(store_url):
    with session_scope(store_url) as session:
        history = performance_history(session, "churn")

    assert history.empty
    assert "mae" in history.columns


# --- batch scores -----------------------------------------------------------


def test_log_scores_replaces_the_previous_batch(store_url):
    with session_scope(store_url) as session:
        churn = register(session, "churn")
        store_scores(session, churn, {"1": 0.2, "2": 0.9, "3": 0.4})
        written = store_scores(
            session,
            churn,
            {"2": 0.7, "4": 0.95},
            details={"4": {"days_silent": 120}},
        )
        log_scores(
            session,
            model=None,
            model_name="churn",
            entity_type="segment",
            scores=pd.Series({"smb": 0.3}),
        )

    with session_scope(store_url) as session:
        scores = latest_scores(session, "churn", "customer")

    assert written == 2
    assert scores["entity_id"].tolist() == ["4", "2"]
    assert scores["predicted_value"].tolist() == [0.95, 0.7]
    assert scores["details"].tolist() == [{"days_silent": 120}, {}]
    assert list(scores.columns) == [
        "entity_id",
        "predicted_value",
        "details",
        "created_at",
    ]


def test_latest_scores_of_a_model_never_scored_are_empty(store_url):
    with session_scope(store_url) as session:
        scores = latest_scores(session, "churn", "customer")

    assert scores.empty
    assert list(scores.columns)[:2] == ["entity_id", "predicted_value"]


def test_scores_that_are_missing_are_refused_naming_the_entities(sqlite_url):
    with session_scope(sqlite_url) as session, pytest.raises(StorageError) as error:
        store_scores(session, None, {"1": 0.5, "7": float("nan")})

    assert "not finite at 7" in str(error.value)


# --- model health -----------------------------------------------------------


def test_model_health_sums_up_every_registered_model(store_url):
    with session_scope(store_url) as session:
        register(session, "churn", metrics={"auc": 0.81})
        register(session)
        latest = register(session, metrics={"mae": 7.5})
        log_forecast(session, latest, [10.0, 20.0, 30.0])
        backfill(session, "all", [12.0])
        record_performance(session, "revenue_forecast")

    with session_scope(store_url) as session:
        health = model_health(session)

    churn, revenue = health
    assert (churn["model_name"], churn["version"], churn["metrics"]) == (
        "churn",
        1,
        {"auc": 0.81},
    )
    assert (churn["performance"], churn["awaiting_actuals"]) == (None, 0)
    assert (revenue["model_name"], revenue["version"]) == ("revenue_forecast", 2)
    assert revenue["metrics"] == {"mae": 7.5}
    assert revenue["model_type"] == "prophet"
    assert isinstance(revenue["trained_at"], dt.datetime)
    assert revenue["performance"]["mae"] == pytest.approx(2.0)
    assert revenue["performance"]["model_version"] == 2
    assert revenue["awaiting_actuals"] == 2


def test_model_health_of_an_empty_store_is_empty(store_url):
    with session_scope(store_url) as session:
        assert model_health(session) == []


# --- helpers ----------------------------------------------------------------


def backfill(session, entity_id: str, values: list[float]) -> int:
    return backfill_actuals(
        session,
        model_name="revenue_forecast",
        entity_type="team",
        entity_id=entity_id,
        actuals=pd.Series(values, index=JUNE[: len(values)]),
    )


def store_scores(session, model, scores: dict[str, float], details=None) -> int:
    return log_scores(
        session,
        model=model,
        model_name="churn",
        entity_type="customer",
        scores=pd.Series(scores),
        details=details,
    )
