"""Stores for the tool tests: a book of daily orders, and a trained demo store."""

import datetime as dt
import sqlite3

import numpy as np
import pytest
from sqlalchemy import select

from storage.db import session_scope
from storage.models import Customer, SalesRep
from tests.demo_stores import demo_store
from tests.factories import make_customer, make_quote, make_rep
from tools.customer_training import train_customer_models
from tools.forecast import revenue_forecast
from tools.people import requester_by_email

LAST_DAY = dt.date(2026, 6, 30)
FAST_MODELS = ("seasonal_naive", "linear")
REP = "alex.rivera@example.com"
MANAGER = "dana.whitfield@example.com"


def fill_daily_orders(session, customer, days: int, seed: int) -> None:
    """Weekday orders with a weekly rhythm and noise, ending on LAST_DAY."""
    rng = np.random.default_rng(seed)
    for offset in range(days):
        day = LAST_DAY - dt.timedelta(days=offset)
        if day.weekday() < 5:
            amount = 1000 + 300 * day.weekday() + rng.normal(0, 50)
            make_quote(session, customer, day, total=f"{amount:.2f}")


@pytest.fixture
def daily_book(store_url):
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


@pytest.fixture(scope="session")
def trained_demo(tmp_path_factory) -> str:
    """The URL of a seeded demo store whose customer models are trained."""
    url = demo_store(tmp_path_factory, LAST_DAY)
    with session_scope(url) as session:
        train_customer_models(session)
    return url


def another_reps_customer(url: str) -> str:
    """The name of an account that REP does not own."""
    with session_scope(url) as session:
        return session.scalar(
            select(Customer.name)
            .join(SalesRep, Customer.owner_rep_id == SalesRep.id)
            .where(SalesRep.email != REP)
            .limit(1)
        )


def copy_of(url: str, folder) -> str:
    """A copy of the SQLite store at ``url`` in ``folder``, for tests that write.

    The ``trained_demo`` store is shared by the whole session, so a test that
    adds quotes or people works on a copy and leaves it as it was.
    """
    target = folder / "quotebot.db"
    with (
        sqlite3.connect(url.removeprefix("sqlite:///")) as original,
        sqlite3.connect(target) as copy,
    ):
        original.backup(copy)
    return f"sqlite:///{target}"
