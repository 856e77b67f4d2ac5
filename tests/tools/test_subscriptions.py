import datetime as dt

import pytest
from sqlalchemy import select

from storage.db import session_scope
from storage.models import ReportSubscription
from tests.factories import make_rep
from tools.errors import ToolError
from tools.people import requester_by_email
from tools.subscriptions import (
    UnknownReportError,
    next_run,
    report_for,
    subscribe_snapshot,
)

ALEX = "alex.rivera@example.com"
PRIYA = "priya.nair@example.com"
WEDNESDAY = dt.datetime(2026, 7, 1, 9, 30)


@pytest.fixture
def team(store_url):
    with session_scope(store_url) as session:
        make_rep(session, "Alex Rivera")
        make_rep(session, "Priya Nair")
    return store_url


def ask(url, email, **arguments):
    with session_scope(url) as session:
        return subscribe_snapshot(
            session, requester_by_email(session, email), **arguments
        )


def active_rows(url) -> list[tuple[str, str, str]]:
    with session_scope(url) as session:
        rows = session.scalars(
            select(ReportSubscription).where(ReportSubscription.active.is_(True))
        )
        return sorted((row.report, row.channel_id, row.frequency) for row in rows)


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [
        ("daily", dt.datetime(2026, 7, 2, 8, 0)),
        ("weekly", dt.datetime(2026, 7, 6, 8, 0)),
        ("weekly:friday", dt.datetime(2026, 7, 3, 8, 0)),
        ("monthly", dt.datetime(2026, 8, 1, 8, 0)),
    ],
)
def test_the_next_run_is_the_next_due_morning(frequency, expected):
    assert next_run(frequency, WEDNESDAY) == expected


def test_a_daily_report_asked_before_eight_goes_out_the_same_morning():
    assert next_run("daily", dt.datetime(2026, 7, 1, 7, 0)) == dt.datetime(
        2026, 7, 1, 8, 0
    )


def test_an_unknown_frequency_is_refused_with_the_ones_that_work():
    with pytest.raises(ToolError, match="daily, weekly .* or monthly"):
        next_run("fortnightly", WEDNESDAY)


def test_report_words_name_the_report_and_unknown_ones_list_the_choices():
    assert report_for("forecast snapshot") == "revenue_forecast"
    assert report_for("the churn risks") == "churn_risk_list"
    with pytest.raises(UnknownReportError, match="I can send the revenue forecast"):
        report_for("lunch menu")


def test_a_subscription_is_recorded_once_and_updated_when_asked_again(team):
    first = ask(team, ALEX, report="forecast", frequency="weekly", channel="#sales")
    ask(team, ALEX, report="forecast", frequency="daily", channel="#sales")

    assert "revenue forecast to #sales every Monday" in first.summary
    assert active_rows(team) == [("revenue_forecast", "#sales", "daily")]


def test_a_person_lists_and_stops_only_their_own_subscriptions(team):
    ask(team, ALEX, report="churn", frequency="weekly", channel="C01")
    ask(team, ALEX, report="sales", frequency="monthly", channel="C01")
    ask(team, PRIYA, report="churn", frequency="daily", channel="C02")

    listed = ask(team, ALEX, action="list")
    stopped = ask(team, ALEX, report="churn risk list", action="stop")

    assert [row["report"] for row in listed.rows] == [
        "churn risk list",
        "sales summary",
    ]
    assert stopped.summary == "Stopped 1 scheduled report: the churn risk list."
    assert active_rows(team) == [
        ("churn_risk_list", "C02", "daily"),
        ("sales_summary", "C01", "monthly"),
    ]


def test_stopping_what_does_not_exist_says_nothing_was_stopped(team):
    result = ask(team, ALEX, report="forecast", action="stop")

    assert "nothing was stopped" in result.summary
