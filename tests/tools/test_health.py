import datetime as dt

import pandas as pd
import pytest

from bot.answer import answer
from storage.db import session_scope
from storage.monitoring import backfill_actuals, log_predictions, record_performance
from storage.registry import register_model
from tests.factories import make_customer, make_quote, make_rep
from tools.errors import NotEnoughDataError
from tools.health import model_health
from tools.people import requester_by_email

ALEX = "alex.rivera@example.com"
DANA = "dana.whitfield@example.com"
NEWEST_QUOTE = dt.date(2026, 6, 30)
BUSINESS = "revenue_forecast.business.all"
CHURN = {
    "selected": "xgboost",
    "scored_as_of": "2026-06-29",
    "models": {
        "rules": {"roc_auc": 0.7191, "pr_auc": 0.5349, "brier": 0.1757},
        "xgboost": {"roc_auc": 0.7757, "pr_auc": 0.6785, "brier": 0.1415},
    },
}
CLV = {
    "served": "bgnbd",
    "horizon_days": 90,
    "cutoff": "2026-04-01",
    "scored_as_of": "2026-06-29",
    "models": {"bgnbd": {"mae": 46849.2}, "naive": {"mae": 49328.5}},
}


def forecast_metrics(mase, selected=False, trained_until="2026-06-29", mape=0.2):
    return {
        "mase": mase,
        "mape": mape,
        "coverage_80": 0.78,
        "selected": selected,
        "trained_until": trained_until,
    }


def register(session, name, metrics, model_type=None):
    return register_model(
        session,
        name=name,
        model_type=model_type or name.rsplit(".", 1)[-1],
        artifact_format="json",
        artifact=b"{}",
        data_fingerprint="f" * 64,
        metrics=metrics,
    )


@pytest.fixture
def people(sqlite_url):
    with session_scope(sqlite_url) as session:
        alex = make_rep(session, "Alex Rivera")
        make_rep(session, "Dana Whitfield", role="manager")
        make_quote(session, make_customer(session, "Acme Corp", alex), NEWEST_QUOTE)
    return sqlite_url


@pytest.fixture
def trained(people):
    with session_scope(people) as session:
        register(session, f"{BUSINESS}.seasonal_naive", forecast_metrics(0.96))
        register(session, f"{BUSINESS}.prophet", forecast_metrics(0.85, True))
        register(session, "revenue_forecast.rep.1.prophet", forecast_metrics(0.7))
        register(session, "revenue_forecast.rep.99.prophet", forecast_metrics(0.9))
        register(session, "churn", CHURN, "xgboost")
        register(session, "clv", CLV, "bgnbd")
        register(session, "segments.kmeans", {"k": 6, "silhouette": 0.3563})
        register(session, "pricing.bandit", {"arms": 5, "uplift": 0.031})
    return people


def health_for(url, email, **arguments):
    with session_scope(url) as session:
        return model_health(session, requester_by_email(session, email), **arguments)


def rows_by_model(result) -> dict[str, dict]:
    return {row["model"]: row for row in result.rows}


def test_before_training_it_says_to_run_quotebot_train(people):
    with pytest.raises(NotEnoughDataError, match="quotebot train"):
        health_for(people, DANA)


def test_each_family_shows_its_own_metrics_against_its_baseline(trained):
    rows = rows_by_model(health_for(trained, DANA))

    assert rows["Churn risk (xgboost)"]["backtest"] == (
        "xgboost: ROC AUC 0.78, PR AUC 0.68, Brier 0.14 "
        "(rules: ROC AUC 0.72, PR AUC 0.53, Brier 0.18)"
    )
    assert rows["Customer value (bgnbd)"]["backtest"] == (
        "bgnbd: MAE 46,849 per customer over 90 days (last period repeated 49,328)"
    )
    assert "Silhouette 0.36" in rows["Customer segments (kmeans)"]["backtest"]
    assert rows["Revenue forecast, whole business: prophet, served"]["backtest"] == (
        "MASE 0.85, 80% interval held 78% of days (seasonal naive MASE 0.96)"
    )


def test_an_unknown_family_shows_its_headline_numbers(trained):
    rows = rows_by_model(health_for(trained, DANA))

    assert rows["Discount suggestions (bandit)"]["backtest"] == "Arms 5, Uplift 0.03"


def test_the_summary_names_the_served_business_forecast(trained):
    result = health_for(trained, DANA)

    assert "Business forecasts come from prophet: MASE 0.85" in result.summary
    assert "None is flagged" in result.summary
    assert "2 more forecasts cover reps" in result.notes[1]


def test_live_error_far_above_the_backtest_is_flagged(trained):
    days = pd.date_range("2026-06-01", periods=4, freq="D", name="target_date")
    with session_scope(trained) as session:
        model = register(session, f"{BUSINESS}.prophet", forecast_metrics(0.85, True))
        log_predictions(
            session,
            model=model,
            model_name=model.name,
            entity_type="business",
            entity_id="all",
            forecast=pd.DataFrame({"yhat": [100.0, 100.0, 100.0, 100.0]}, index=days),
        )
        actuals = pd.Series([50.0, 200.0, 100.0, 40.0], index=days)
        backfill_actuals(
            session,
            model_name=model.name,
            entity_type="business",
            entity_id="all",
            actuals=actuals,
        )
        record_performance(session, model.name)

    result = health_for(trained, DANA, model="prophet")

    row = rows_by_model(result)["Revenue forecast, whole business: prophet, served"]
    assert row["version"] == "v2"
    assert row["live"] == "MAE 52, RMSE 63, MAPE 75% over 4 predictions"
    assert "live MAPE 75% is 3.8x its backtest's 20%" in row["flag"]
    assert "1 need attention" in result.summary


def test_a_model_trained_on_data_long_before_the_newest_quote_is_flagged(people):
    with session_scope(people) as session:
        register(session, "churn", {**CHURN, "scored_as_of": "2026-03-01"}, "xgboost")

    result = health_for(people, DANA)

    assert "trained on data to 01 Mar 2026, 121 days before" in result.rows[0]["flag"]
    assert "quotebot train" in result.summary


def test_a_forecaster_filter_shows_it_for_every_scope(trained):
    result = health_for(trained, DANA, model="prophet")

    assert [row["model"] for row in result.rows] == [
        "Revenue forecast, whole business: prophet, served",
        "Revenue forecast, rep 1: prophet",
        "Revenue forecast, rep 99: prophet",
    ]


def test_a_family_filter_shows_that_family_in_one_sentence(trained):
    result = health_for(trained, DANA, model="churn")

    assert len(result.rows) == 1
    assert result.summary.startswith("Churn risk (xgboost) is at v1, trained ")
    assert "Tested: xgboost: ROC AUC 0.78" in result.summary


def test_a_rep_does_not_see_other_reps_forecasts(trained):
    result = health_for(trained, ALEX, model="prophet")

    models = [row["model"] for row in result.rows]
    assert "Revenue forecast, rep 1: prophet" in models
    assert "Revenue forecast, rep 99: prophet" not in models


def test_an_unknown_model_lists_what_is_trained(trained):
    with pytest.raises(NotEnoughDataError) as refused:
        health_for(trained, DANA, model="xyzzy")

    assert "churn, clv, pricing, revenue_forecast, segments" in str(refused.value)
    assert "prophet, seasonal_naive" in str(refused.value)


def test_asking_how_accurate_the_models_are_answers_with_model_health(trained):
    with session_scope(trained) as session:
        result = answer(
            session, requester_by_email(session, DANA), "how accurate are the models"
        )

    assert result.intent == "model_health"
    assert len(result.rows) == 6


def test_asking_about_prophet_filters_to_prophet(trained):
    with session_scope(trained) as session:
        result = answer(
            session, requester_by_email(session, DANA), "how well is prophet doing"
        )

    assert {row["model"].split(": ")[1] for row in result.rows} == {
        "prophet",
        "prophet, served",
    }


def test_asking_about_the_churn_model_shows_only_it(trained):
    with session_scope(trained) as session:
        result = answer(
            session, requester_by_email(session, DANA), "how good is the churn model"
        )

    assert [row["model"] for row in result.rows] == ["Churn risk (xgboost)"]
