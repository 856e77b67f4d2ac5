import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import update

from bot.render.home import HomeContent, OpenQuotes, home_view, unlinked_home_view
from bot.render.limits import violations
from bot.slack.home import home_content, latest_forecast, publish_home_for
from storage.db import session_scope
from storage.models import SalesRep
from storage.prediction_log import log_predictions
from tests.bot.slack.fakes import RecordingClient
from tests.factories import make_book, make_quote, make_team
from tools.people import requester_by_email
from tools.results import ToolResult

TODAY = dt.date(2026, 6, 30)
NOW = dt.datetime(2026, 7, 1, 9, 30)
ALEX = "alex.rivera@example.com"
DANA = "dana.whitfield@example.com"


@pytest.fixture
def book(sqlite_url):
    """Dana manages Alex and Priya; each rep has a slipping account and a draft."""
    with session_scope(sqlite_url) as session:
        accounts = make_book(session, TODAY, make_team(session))
        for name in ("Alex Healthy Inc", "Priya Healthy Inc"):
            make_quote(session, accounts[name], TODAY, status="draft", total="2500.00")
        session.execute(
            update(SalesRep)
            .where(SalesRep.email == ALEX)
            .values(slack_user_id="U0ALEX")
        )
    return sqlite_url


def content(url, email=ALEX) -> HomeContent:
    with session_scope(url) as session:
        return home_content(session, requester_by_email(session, email), NOW)


def at_risk_rows(count: int) -> ToolResult:
    rows = tuple(
        {"customer": f"Account {n}", "risk": "70%", "reason": "no order in 60 days"}
        for n in range(count)
    )
    return ToolResult(intent="churn_risk_list", summary="3 at risk.", rows=rows)


def served_forecast(url, entity_type: str, entity_id: str, model: str) -> None:
    days = pd.date_range("2026-07-01", periods=30, freq="D")
    forecast = pd.DataFrame(
        {"yhat": 1000.0, "lower_80": 800.0, "upper_80": 1200.0}, index=days
    )
    with session_scope(url) as session:
        log_predictions(
            session,
            model=None,
            model_name=f"revenue_forecast.{entity_type}.{entity_id}.{model}",
            entity_type=entity_type,
            entity_id=entity_id,
            forecast=forecast,
        )


def published_home(url, user: str) -> dict:
    """The one ``views.publish`` call made when ``user`` opens the Home tab."""
    client = RecordingClient()
    publish_home_for(url, client, user)
    (published,) = client.views
    return published


def texts(view: dict) -> str:
    return str(view["blocks"])


def test_the_home_shows_a_reps_own_at_risk_accounts_with_why_buttons(book):
    view = home_view(content(book))

    buttons = [b["accessory"] for b in view["blocks"] if "accessory" in b]
    assert view["type"] == "home" and violations(view) == []
    assert view["blocks"][0]["text"]["text"].startswith("Hi Alex")
    assert [b["value"] for b in buttons] == ["Alex Slipping Ltd"]
    assert buttons[0]["action_id"] == "churn_explain:0"
    assert "Priya" not in texts(view)


def test_the_home_lists_open_quotes_of_the_scope_newest_first(book):
    alex, dana = content(book).open_quotes, content(book, DANA).open_quotes

    assert alex.summary == "1 open for your accounts, worth $2,500 (1 draft, 0 sent)."
    assert "Alex Healthy Inc" in alex.lines[0]
    assert dana.summary.startswith("2 open for the sales team's accounts")


def test_the_home_says_when_it_was_updated(book):
    view = home_view(content(book))

    assert view["blocks"][-1]["elements"][0]["text"] == "Updated 09:30 UTC"


def test_the_latest_forecast_is_the_one_last_served_for_the_scope(book):
    with session_scope(book) as session:
        alex_id = requester_by_email(session, ALEX).rep_id
    served_forecast(book, "rep", str(alex_id), "prophet")
    served_forecast(book, "business", "all", "linear")

    with session_scope(book) as session:
        alex = latest_forecast(session, requester_by_email(session, ALEX))
        dana = latest_forecast(session, requester_by_email(session, DANA))

    assert alex.startswith("Alex Rivera's book from 01 Jul to 30 Jul 2026: $30k")
    assert "likely between $24k and $36k (prophet" in alex
    assert dana.startswith("The whole business from 01 Jul") and "(linear" in dana


def test_without_a_served_forecast_the_home_says_how_to_ask_for_one(book):
    with session_scope(book) as session:
        sentence = latest_forecast(session, requester_by_email(session, ALEX))

    assert sentence.startswith("No forecast has been asked for Alex Rivera's book")


def test_a_long_at_risk_list_keeps_to_five_accounts_and_the_view_limit():
    home = HomeContent(
        name="Alex Rivera",
        at_risk=at_risk_rows(60),
        open_quotes=OpenQuotes("60 open.", tuple(f"Q-{n}" for n in range(60))),
        forecast="$1M.",
        updated_at=NOW,
    )

    view = home_view(home)

    assert violations(view) == []
    assert sum("accessory" in block for block in view["blocks"]) == 5


def test_a_slack_user_who_is_not_a_rep_gets_a_home_saying_how_to_get_linked(book):
    published = published_home(book, "U0STRANGER")

    assert published["user_id"] == "U0STRANGER"
    assert "don't know which rep you are" in texts(published["view"])
    assert "Ask your sales manager to add your work email" in texts(published["view"])


def test_opening_the_home_publishes_the_linked_reps_view(book):
    published = published_home(book, "U0ALEX")

    assert published["user_id"] == "U0ALEX"
    assert "Alex Slipping Ltd" in texts(published["view"])


def test_the_unlinked_home_is_a_valid_home_view():
    view = unlinked_home_view("Ask your manager.", NOW)

    assert view["type"] == "home" and violations(view) == []
    assert view["blocks"][-1]["elements"][0]["text"] == "Updated 09:30 UTC"
