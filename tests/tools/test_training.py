import datetime as dt

import pytest
from sqlalchemy import select

from storage.db import session_scope
from storage.models import Customer, ModelPerformance, Prediction
from storage.queries import quote_history
from storage.registry import latest_model
from tests.factories import make_quote
from tests.tools.conftest import FAST_MODELS, LAST_DAY, forecast_for
from tools.training import (
    BACKTEST_HORIZON_DAYS,
    backfill_forecast_actuals,
    holiday_country,
    train_forecasts,
)


def test_actuals_of_a_served_forecast_are_filled_in_and_scored(daily_book):
    with session_scope(daily_book) as session:
        train_forecasts(session, models=FAST_MODELS)
    forecast_for(daily_book, "dana.whitfield@example.com", horizon_days=14)

    with session_scope(daily_book) as session:
        acme = session.scalar(select(Customer).where(Customer.name == "Acme Corp"))
        for offset in range(1, 15):
            make_quote(session, acme, LAST_DAY + dt.timedelta(days=offset), total="900")
        filled = backfill_forecast_actuals(session, quote_history(session))

    with session_scope(daily_book) as session:
        served = session.scalars(
            select(Prediction).where(Prediction.entity_type == "business")
        ).all()
        performance = session.scalars(select(ModelPerformance)).all()
    assert filled == 14
    assert all(p.actual_value == 900.0 for p in served)
    assert [p.n_predictions for p in performance] == [14]
    assert performance[0].mae >= 0


def test_the_holiday_country_is_the_one_booking_most_of_the_revenue(store_url):
    with session_scope(store_url) as session:
        from tests.factories import make_customer, make_rep

        alex = make_rep(session, "Alex Rivera")
        for name, country, total in [
            ("Tesco", "United Kingdom", "9000.00"),
            ("Lidl", "Germany", "1000.00"),
        ]:
            customer = make_customer(session, name, alex)
            customer.country = country
            make_quote(session, customer, LAST_DAY, total=total)
        uk = holiday_country(session)
        make_quote(session, customer, LAST_DAY, total="5000.00")
        spread = holiday_country(session)

    assert uk == "GB"
    assert spread is None


@pytest.mark.slow
def test_a_history_too_short_to_reach_far_still_serves_the_lstm_as_tested(sqlite_url):
    with session_scope(sqlite_url) as session:
        from tests.factories import make_customer, make_rep
        from tests.tools.conftest import fill_daily_orders

        acme = make_customer(session, "Acme Corp", make_rep(session, "Alex Rivera"))
        fill_daily_orders(session, acme, days=340, seed=4)
        train_forecasts(session, models=("seasonal_naive", "lstm"))
        lstm = latest_model(session, "revenue_forecast.business.all.lstm")

    assert lstm.params["max_horizon"] == BACKTEST_HORIZON_DAYS
