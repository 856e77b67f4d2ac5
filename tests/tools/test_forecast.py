import datetime as dt

import pytest

from storage.db import session_scope
from storage.registry import list_models
from tests.factories import make_customer, make_quote, make_rep
from tests.tools.conftest import FAST_MODELS, LAST_DAY, forecast_for
from tools.errors import NotEnoughDataError
from tools.training import backtest_history_days, train_forecasts


def test_training_registers_each_model_for_the_business_and_every_rep(daily_book):
    with session_scope(daily_book) as session:
        report = train_forecasts(session, models=FAST_MODELS)
        names = {record.name for record in list_models(session)}

    assert report["selected"] == "seasonal_naive"
    assert "revenue_forecast.business.all.linear" in names
    assert sum(name.startswith("revenue_forecast.rep.") for name in names) == 4


def test_the_answer_names_the_model_and_its_measured_accuracy(daily_book):
    with session_scope(daily_book) as session:
        train_forecasts(session, models=FAST_MODELS)

    result = forecast_for(daily_book, "dana.whitfield@example.com", horizon_days=28)

    assert "Seasonal naive, MASE" in result.summary
    assert "the 80% interval held" in result.summary
    assert result.data["model"] == "seasonal_naive"
    assert result.chart is not None and result.chart.kind == "forecast"


def test_a_rep_gets_a_forecast_of_their_own_book(daily_book):
    with session_scope(daily_book) as session:
        train_forecasts(session, models=FAST_MODELS)

    rep = forecast_for(daily_book, "alex.rivera@example.com", horizon_days=14)
    team = forecast_for(daily_book, "dana.whitfield@example.com", horizon_days=14)

    assert "Alex Rivera's book" in rep.summary
    assert rep.data["total"] < team.data["total"]


def test_forecasts_are_never_negative_and_are_logged(daily_book):
    with session_scope(daily_book) as session:
        train_forecasts(session, models=FAST_MODELS)

    result = forecast_for(daily_book, "dana.whitfield@example.com", horizon_days=30)

    assert result.data["lower_80"] >= 0
    with session_scope(daily_book) as session:
        from storage.monitoring import model_health

        awaiting = sum(entry["awaiting_actuals"] for entry in model_health(session))
    assert awaiting == 30


def test_without_training_the_answer_is_a_labelled_baseline(daily_book):
    result = forecast_for(daily_book, "alex.rivera@example.com", horizon_days=14)

    assert any("untested" in note and "quotebot train" in note for note in result.notes)
    assert result.data["model_version"] is None


def test_too_little_history_gets_a_baseline_and_says_how_much_is_needed(store_url):
    with session_scope(store_url) as session:
        alex = make_rep(session, "Alex Rivera")
        customer = make_customer(session, "Acme Corp", alex)
        for offset in range(10):
            make_quote(session, customer, LAST_DAY - dt.timedelta(days=offset))

    result = forecast_for(store_url, "alex.rivera@example.com", horizon_days=7)

    needed = f"needs at least {backtest_history_days()} days"
    assert any(needed in note for note in result.notes)
    assert any("has 10" in note for note in result.notes)
    assert result.data["total"] > 0


def test_a_store_without_revenue_gets_a_clear_sentence(store_url):
    with session_scope(store_url) as session:
        make_rep(session, "Alex Rivera")

    with pytest.raises(NotEnoughDataError, match="no booked revenue"):
        forecast_for(store_url, "alex.rivera@example.com")


def test_asking_for_every_model_compares_their_backtests(daily_book):
    with session_scope(daily_book) as session:
        train_forecasts(session, models=FAST_MODELS)

    result = forecast_for(daily_book, "dana.whitfield@example.com", model="all")

    assert [row["model"] for row in result.rows] == [
        "seasonal_naive (served)",
        "linear",
    ]
