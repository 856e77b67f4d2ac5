import datetime as dt

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.cli import app
from storage.db import session_scope
from storage.models import ConversationState, Quote
from tests.factories import make_customer, make_orders, make_product, make_rep

TODAY = dt.date(2026, 6, 30)
runner = CliRunner()


@pytest.fixture
def book(sqlite_url):
    with session_scope(sqlite_url) as session:
        alex = make_rep(session, "Alex Rivera")
        make_orders(session, make_customer(session, "Acme Corp", alex), TODAY, 7, 6)
        slipping = make_customer(session, "Globex Corporation", alex)
        make_orders(session, slipping, TODAY - dt.timedelta(days=45), 10, 6)
        make_product(session, "Gateway Hub", "Hardware")
    return sqlite_url


def chat(url: str, *lines: str):
    return runner.invoke(
        app,
        ["chat", "--user", "alex.rivera@example.com", "--db", url],
        input="".join(line + "\n" for line in lines),
    )


def test_chat_drafts_a_quote_over_several_lines(book):
    result = chat(book, "draft a quote", "Acme Corp", "4 gateway hubs", "no discount")

    assert result.exit_code == 0, result.output
    assert "Which customer is it for?" in result.output
    assert "What should the quote include?" in result.output
    assert "Any discount?" in result.output
    assert "for Acme Corp: 1 line" in result.output
    with session_scope(book) as session:
        assert (
            session.scalar(select(func.count(Quote.id)).where(Quote.status == "draft"))
            == 1
        )


def test_chat_follows_up_why_on_the_churn_list_and_stops_at_exit(book):
    result = chat(book, "what's my churn risk list", "why?", "exit", "draft a quote")

    assert result.exit_code == 0, result.output
    assert result.output.count("Globex Corporation") >= 2
    assert "Which customer" not in result.output


def test_chat_keeps_its_state_in_the_store_between_runs(book):
    chat(book, "draft a quote")

    result = chat(book, "Acme Corp")

    assert "What should the quote include?" in result.output
    with session_scope(book) as session:
        assert session.scalar(select(func.count(ConversationState.id))) == 1


def test_chat_as_an_unknown_user_explains_how_to_get_access(book):
    result = runner.invoke(
        app, ["chat", "--user", "nobody@example.com", "--db", book], input="help\n"
    )

    assert result.exit_code == 1
    assert "not set up as a sales rep" in result.output
