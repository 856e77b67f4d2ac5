import datetime as dt

import numpy as np
import pytest

from storage.db import session_scope
from storage.registry import list_models
from tests.factories import make_customer, make_quote, make_rep
from tools.errors import NotEnoughDataError
from tools.forecast import revenue_forecast
from tools.people import requester_by_email
from tools.training import backtest_history_days, train_forecasts

LAST_DAY = dt.date(2026, 6, 30)
FAST_MODELS = ("seasonal_naive", "linear")


def fill_daily_orders(session, customer, days: int, seed: int) -> None:
    """Weekday orders with a weekly rhythm and noise, ending on LAST_DAY."""
    rng = np.random.default_rng(seed)
    for offset in range(days):
        day = LAST_DAY - dt.timedelta(days=offset)
        if day.weekday() < 5:
            amount = 1000 + 300 * day.weekday() + rng.normal(0, 50)
            make_quote(session, customer, day, total=f"{amount:.2f}")


@pytest.fixture
def book(store_url):
    with session_scope(store_url) as session:
        alex = make_rep(session, "Alex Rivera")
        priya = make_rep(session, "Priya Nair")
        make_rep(session, "Dana Whitfield", role="manager")
        fill_daily_orders(session, make_customer(session, "Acme Corp", alex), 300, 1)
        fill_daily_orders(session, make_customer(session, "Initech", priya), 300, 2)
    return store_url


def forecast_for(url, email, **arguments):
    with session_scope(url) as session:
        return revenue_forecast(
            session, requester_by_email(session, email), **arguments
        )


def test_training_registers_each_model_for_the_business_and_every_rep(book):
    with session_scope(book) as session:
        report = train_forecasts(session, models=FAST_MODELS)
        names = {record.name for record in list_models(session)}

    assert report["selected"] == "seasonal_naive"
    assert "revenue_forecast.business.all.linear" in names
    assert sum(name.startswith("revenue_forecast.rep.") for name in names) == 4


def test_the_answer_names_the_model_and_its_measured_accuracy(book):
    with session_scope(book) as session:
        train_forecasts(session, models=FAST_MODELS)

    result = forecast_for(book, "dana.whitfield@example.com", horizon_days=28)

    assert "Seasonal naive, MASE" in result.summary
    assert "the 80% interval held" in result.summary
    assert result.data["model"] == "seasonal_naive"
    assert result.chart is not None and result.chart.kind == "forecast"


def test_a_rep_gets_a_forecast_of_their_own_book(book):
    with session_scope(book) as session:
        train_forecasts(session, models=FAST_MODELS)

    rep = forecast_for(book, "alex.rivera@example.com", horizon_days=14)
    team = forecast_for(book, "dana.whitfield@example.com", horizon_days=14)

    assert "Alex Rivera's book" in rep.summary
    assert rep.data["total"] < team.data["total"]


def test_forecasts_are_never_negative_and_are_logged(book):
    with session_scope(book) as session:
        train_forecasts(session, models=FAST_MODELS)

    result = forecast_for(book, "dana.whitfield@example.com", horizon_days=30)

    assert result.data["lower_80"] >= 0
    with session_scope(book) as session:
        from storage.monitoring import model_health

        awaiting = sum(entry["awaiting_actuals"] for entry in model_health(session))
    assert awaiting == 30


def test_without_training_the_answer_is_a_labelled_baseline(book):
    result = forecast_for(book, "alex.rivera@example.com", horizon_days=14)

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


def test_asking_for_every_model_compares_their_backtests(book):
    with session_scope(book) as session:
        train_forecasts(session, models=FAST_MODELS)

    result = forecast_for(book, "dana.whitfield@example.com", model="all")

    assert [row["model"] for row in result.rows] == [
        "seasonal_naive (served)",
        "linear",
    ]
