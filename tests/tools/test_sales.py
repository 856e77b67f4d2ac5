import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from bot.answer import answer
from storage.db import session_scope
from storage.importers import import_online_retail
from storage.queries import quote_history
from tests.factories import add_line, make_customer, make_product, make_quote, make_rep
from tests.shared_files import shared_file
from tests.tools.conftest import MANAGER
from tools.errors import NotEnoughDataError
from tools.people import requester_by_email
from tools.periods import Period
from tools.sales import change_in_words, sales_summary

ALEX = "alex.rivera@example.com"
DANA = "dana.whitfield@example.com"
D = dt.date


def quote(session, customer, day, status, total, product=None, discount=0):
    made = make_quote(session, customer, day, status=status, total=total)
    made.discount_pct = Decimal(discount)
    if product is not None:
        before_discount = Decimal(total) / (1 - Decimal(discount) / 100)
        add_line(session, made, product, f"{before_discount:.2f}")
    return made


@pytest.fixture
def book(store_url):
    """May 2026 against the 31 days before, the newest quote on 10 June."""
    with session_scope(store_url) as session:
        alex, priya = make_rep(session, "Alex Rivera"), make_rep(session, "Priya Nair")
        make_rep(session, "Dana Whitfield", role="manager")
        hub = make_product(session, "Gateway Hub", "Hardware")
        suite = make_product(session, "Analytics Suite", "Software")
        acme = make_customer(session, "Acme Corp", alex)
        initech = make_customer(session, "Initech", priya)
        quote(session, acme, D(2026, 4, 10), "accepted", "2000.00", suite)
        quote(session, acme, D(2026, 4, 15), "rejected", "1000.00")
        quote(session, acme, D(2026, 5, 5), "accepted", "1000.00", hub)
        quote(session, acme, D(2026, 5, 12), "accepted", "2700.00", suite, 10)
        quote(session, acme, D(2026, 5, 20), "rejected", "500.00")
        quote(session, acme, D(2026, 5, 25), "sent", "800.00")
        quote(session, acme, D(2026, 5, 26), "cancelled", "9999.00")
        quote(session, initech, D(2026, 5, 8), "accepted", "5000.00", hub)
        quote(session, acme, D(2026, 6, 10), "accepted", "100.00")
    return store_url


def summary_for(url, email, **arguments):
    with session_scope(url) as session:
        return sales_summary(session, requester_by_email(session, email), **arguments)


def test_a_rep_sees_their_own_accounts_last_full_month_against_the_days_before(book):
    result = summary_for(book, ALEX)

    data = result.data
    assert data["period"] == {
        "start": "2026-05-01",
        "end": "2026-06-01",
        "label": "in May 2026",
    }
    assert data["current"] == {
        "revenue": 3700.0,
        "quotes": 4,
        "decided": 3,
        "win_rate": pytest.approx(2 / 3),
        "average_discount": pytest.approx(2.5),
    }
    assert data["previous"]["revenue"] == 2000.0
    assert data["previous"]["win_rate"] == pytest.approx(0.5)


def test_the_change_is_told_in_words(book):
    summary = summary_for(book, ALEX).summary

    assert summary.startswith("Your accounts in May 2026: revenue $3,700, up 85% on")
    assert "the 31 days before" in summary
    assert "win rate 67% of 3 decided (was 50%)" in summary
    assert "average discount 2.5% (was 0.0%)" in summary


def test_a_manager_sees_the_team_and_its_top_products_after_discounts(book):
    result = summary_for(book, DANA)

    assert result.data["current"]["revenue"] == 8700.0
    assert result.data["current"]["win_rate"] == pytest.approx(0.75)
    assert [(row["product"], row["revenue"]) for row in result.rows] == [
        ("Gateway Hub", "$6,000"),
        ("Analytics Suite", "$2,700"),
    ]
    assert result.rows[1]["previous_revenue"] == "$2,000"
    assert result.chart.data["values"] == [6000.0, 2700.0]


def test_a_stated_period_is_summarised_instead_of_last_month(book):
    april = Period(D(2026, 4, 1), D(2026, 5, 1), "in April 2026")

    result = summary_for(book, ALEX, period=april)

    assert result.data["current"]["revenue"] == 2000.0
    assert result.data["current"]["quotes"] == 2
    assert "with nothing booked in the 30 days before" in result.summary


def test_a_rep_asking_for_the_team_is_told_they_see_their_own(book):
    result = summary_for(book, ALEX, scope="team")

    assert result.data["current"]["revenue"] == 3700.0
    assert any("Only managers" in note for note in result.notes)


def test_a_period_without_quotes_says_which_dates_the_store_covers(book):
    empty = Period(D(2025, 1, 1), D(2025, 2, 1), "in January 2025")

    with pytest.raises(NotEnoughDataError) as refused:
        summary_for(book, ALEX, period=empty)

    assert "no quotes of your accounts in January 2025" in str(refused.value)
    assert "10 Apr 2026 to 10 Jun 2026" in str(refused.value)


def test_an_empty_store_is_asked_to_import_quotes(sqlite_url):
    with session_scope(sqlite_url) as session:
        make_rep(session, "Alex Rivera")

    with pytest.raises(NotEnoughDataError, match="quotebot import quotes"):
        summary_for(sqlite_url, ALEX)


@pytest.mark.parametrize(
    ("now", "before", "words"),
    [
        (108.0, 100.0, "up 8% on the 30 days before"),
        (97.0, 100.0, "down 3% on the 30 days before"),
        (100.2, 100.0, "flat on the 30 days before"),
        (50.0, 0.0, "with nothing booked in the 30 days before"),
        (0.0, 0.0, "as before"),
    ],
)
def test_change_in_words_says_up_down_flat_or_from_nothing(now, before, words):
    assert change_in_words(now, before, "the 30 days before") == words


def test_demo_month_revenue_matches_its_accepted_quotes(trained_demo):
    with session_scope(trained_demo) as session:
        result = sales_summary(session, requester_by_email(session, MANAGER))
        book = quote_history(session)

    period = result.data["period"]
    day = book["created_at"].dt.normalize()
    inside = (day >= period["start"]) & (day < period["end"])
    accepted = book[inside & (book["status"] == "accepted")]
    assert period["label"] == "in May 2026"
    assert result.data["current"]["revenue"] == pytest.approx(
        accepted["total"].sum(), abs=0.01
    )
    assert len(result.rows) == 5


def test_asking_how_we_did_last_month_answers_with_the_sales_summary(trained_demo):
    with session_scope(trained_demo) as session:
        result = answer(
            session, requester_by_email(session, MANAGER), "how did we do last month"
        )

    assert result.intent == "sales_summary"
    assert result.data["period"]["label"] == "last month (May 2026)"


def test_a_quarter_in_the_question_is_the_period_summarised(trained_demo):
    with session_scope(trained_demo) as session:
        result = answer(
            session, requester_by_email(session, MANAGER), "sales recap for Q1"
        )

    assert result.data["period"]["start"] == "2026-01-01"
    assert result.data["previous_period"]["start"] == "2025-10-03"


@pytest.mark.slow
def test_online_retail_november_2011_matches_the_raw_invoices(sqlite_url):
    path = shared_file("datasets/online_retail/online_retail.csv.gz")
    with session_scope(sqlite_url) as session:
        import_online_retail(session, path)
    with session_scope(sqlite_url) as session:
        manager = requester_by_email(session, "retail.manager@example.com")
        result = sales_summary(session, manager)

    raw = pd.read_csv(path, encoding="latin-1", parse_dates=["InvoiceDate"])
    sold = raw[
        raw["CustomerID"].notna()
        & ~raw["InvoiceNo"].astype(str).str.startswith("C")
        & (raw["Quantity"] > 0)
        & (raw["UnitPrice"] >= 0)
    ]
    month = sold["InvoiceDate"].dt.to_period("M")
    november = sold[month == "2011-11"]
    october_end = sold[sold["InvoiceDate"].between("2011-10-02", "2011-10-31 23:59")]
    assert result.data["period"]["label"] == "in November 2011"
    current, previous = result.data["current"], result.data["previous"]
    revenue = (november["Quantity"] * november["UnitPrice"]).sum()
    assert current["revenue"] == pytest.approx(revenue, rel=1e-4)
    assert current["quotes"] == november["InvoiceNo"].nunique()
    assert current["win_rate"] == 1.0
    before = (october_end["Quantity"] * october_end["UnitPrice"]).sum()
    assert previous["revenue"] == pytest.approx(before, rel=1e-4)
    assert result.summary.startswith("The online-retail team's accounts in November")
