"""Who may see what, asked of every tool on the trained demo store.

A rep asking about another rep's account is told it is not one of theirs and
learns none of its numbers; a manager sees every account of the team; a
manager of another team sees none of them.
"""

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from storage.db import session_scope
from storage.models import Customer, Quote, SalesRep
from tests.factories import make_rep
from tests.tools.conftest import MANAGER, REP, another_reps_customer, copy_of
from tools.anomalies import quote_anomalies
from tools.churn import churn_explain, churn_risk_list
from tools.drafts import draft_quote
from tools.errors import AccessError, ToolError
from tools.forecast import revenue_forecast
from tools.people import requester_by_email
from tools.periods import Period
from tools.pricing import price_suggestion
from tools.quotes import quote_lookup
from tools.recommend import product_recommendations
from tools.sales import sales_summary
from tools.segments import customer_segments
from tools.sentiment import customer_sentiment
from tools.value import customer_value

OUTSIDER = "morgan.lee@example.com"
LAST_YEAR = Period(dt.date(2025, 7, 1), dt.date(2026, 7, 1), "the last 12 months")
ABOUT_ONE_ACCOUNT = [
    (churn_explain, {}),
    (customer_segments, {}),
    (customer_value, {}),
    (price_suggestion, {}),
    (price_suggestion, {"product": "Gateway Hub", "quantity": 5}),
    (quote_lookup, {}),
    (quote_lookup, {"period": LAST_YEAR}),
    (customer_sentiment, {}),
    (product_recommendations, {}),
]
ACCOUNT_LISTS = [churn_risk_list, customer_value, quote_anomalies]
SCOPED = [churn_risk_list, customer_value, quote_anomalies, quote_lookup, sales_summary]


CASE_IDS = ["-".join([f.__name__, *sorted(extra)]) for f, extra in ABOUT_ONE_ACCOUNT]


@pytest.fixture(scope="module")
def store(trained_demo, tmp_path_factory) -> str:
    """The trained demo store, plus a manager of another team who owns nothing."""
    url = copy_of(trained_demo, tmp_path_factory.mktemp("permissions"))
    with session_scope(url) as session:
        make_rep(session, "Morgan Lee", role="manager", team="partners")
    return url


@pytest.fixture(scope="module")
def other(store) -> str:
    return another_reps_customer(store)


@pytest.fixture(scope="module")
def own_accounts(store) -> set[str]:
    with session_scope(store) as session:
        return set(
            session.scalars(
                select(Customer.name)
                .join(SalesRep, Customer.owner_rep_id == SalesRep.id)
                .where(SalesRep.email == REP)
            )
        )


def ask(url, email, function, **arguments):
    with session_scope(url) as session:
        return function(session, requester_by_email(session, email), **arguments)


def numbers_in(message: str, *names: str) -> list[str]:
    """The figures a message gives away, once the names it repeats are removed."""
    for name in names:
        message = message.replace(name, "")
    return re.findall(r"\d", message)


@pytest.mark.parametrize(("function", "extra"), ABOUT_ONE_ACCOUNT, ids=CASE_IDS)
def test_a_rep_asking_about_another_reps_account_learns_nothing_of_it(
    store, other, function, extra
):
    with pytest.raises(AccessError, match="is not one of your accounts") as refused:
        ask(store, REP, function, customer=other, **extra)

    assert numbers_in(str(refused.value), other) == []


@pytest.mark.parametrize(("function", "extra"), ABOUT_ONE_ACCOUNT, ids=CASE_IDS)
def test_a_manager_is_answered_about_any_account_of_the_team(
    store, other, function, extra
):
    result = ask(store, MANAGER, function, customer=other, **extra)

    assert result.intent == function.__name__
    assert other in str(result.to_dict())


@pytest.mark.parametrize(("function", "extra"), ABOUT_ONE_ACCOUNT, ids=CASE_IDS)
def test_a_manager_of_another_team_is_refused_the_teams_accounts(
    store, function, extra
):
    with pytest.raises(AccessError, match="Acme Corp is not one of your accounts"):
        ask(store, OUTSIDER, function, customer="Acme Corp", **extra)


def test_a_rep_asking_for_another_reps_quote_learns_nothing_of_it(store, other):
    with session_scope(store) as session:
        number = session.scalar(
            select(Quote.quote_number)
            .join(Customer, Quote.customer_id == Customer.id)
            .where(Customer.name == other)
            .limit(1)
        )

    with pytest.raises(AccessError, match="not one of your accounts") as refused:
        ask(store, REP, quote_lookup, quote_number=number)

    assert numbers_in(str(refused.value), other, number) == []
    assert ask(store, MANAGER, quote_lookup, quote_number=number).rows


def test_a_rep_cannot_draft_a_quote_for_another_reps_account(store, other):
    def quotes() -> int:
        with session_scope(store) as session:
            return session.scalar(select(func.count(Quote.id)))

    before = quotes()

    with pytest.raises(AccessError, match="not one of your accounts"):
        ask(store, REP, draft_quote, customer=other, items=[("Gateway Hub", 2)])

    assert quotes() == before


@pytest.mark.parametrize("function", ACCOUNT_LISTS, ids=lambda f: f.__name__)
def test_a_reps_lists_hold_only_their_own_accounts(store, own_accounts, function):
    result = ask(store, REP, function, top_n=50, scope="team")

    listed = {row["customer"] for row in result.rows}
    assert listed and listed <= own_accounts


@pytest.mark.parametrize("function", ACCOUNT_LISTS, ids=lambda f: f.__name__)
def test_a_managers_lists_hold_the_teams_accounts(store, own_accounts, function):
    result = ask(store, MANAGER, function, top_n=50, scope="team")

    listed = {row["customer"] for row in result.rows}
    assert listed - own_accounts


def test_a_reps_quote_list_holds_only_quotes_of_their_own_accounts(store, own_accounts):
    result = ask(store, REP, quote_lookup, scope="team", period=LAST_YEAR)

    for row in result.rows:
        customer = re.match(r"\S+ for (.+?):", row["summary"]).group(1)
        assert customer in own_accounts


@pytest.mark.parametrize("function", SCOPED, ids=lambda f: f.__name__)
def test_a_rep_asking_for_the_team_gets_their_own_accounts_and_is_told(store, function):
    team = ask(store, REP, function, scope="team")
    mine = ask(store, REP, function, scope="mine")

    assert team.rows == mine.rows
    assert team.data == mine.data
    assert "Only managers see the team's accounts" in " ".join(team.notes)


def test_a_managers_sales_summary_covers_more_than_one_reps(store):
    rep = ask(store, REP, sales_summary, scope="team").data["current"]
    team = ask(store, MANAGER, sales_summary, scope="team").data["current"]

    assert team["quotes"] > rep["quotes"]
    assert team["revenue"] > rep["revenue"]


def test_the_segment_overview_counts_only_the_askers_accounts(store, own_accounts):
    rep = ask(store, REP, customer_segments)
    team = ask(store, MANAGER, customer_segments)

    assert sum(row["customers"] for row in rep.rows) <= len(own_accounts)
    assert sum(row["customers"] for row in team.rows) > len(own_accounts)


def test_a_reps_forecast_for_another_region_stays_on_their_own_book(store):
    result = ask(store, REP, revenue_forecast, region="EMEA")

    assert "Alex Rivera's book" in result.summary


@pytest.mark.parametrize(
    "function",
    [*ACCOUNT_LISTS, quote_lookup, sales_summary, customer_segments],
    ids=lambda f: f.__name__,
)
def test_a_manager_of_another_team_is_told_they_have_no_accounts_to_show(
    store, function
):
    with pytest.raises(ToolError, match="partners team's accounts"):
        ask(store, OUTSIDER, function)
