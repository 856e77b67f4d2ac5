import datetime as dt

import pytest

from bot.answer import answer
from storage.db import session_scope
from tests.factories import make_customer, make_orders, make_product, make_rep
from tools.people import requester_by_email

TODAY = dt.date(2026, 6, 30)


@pytest.fixture
def book(sqlite_url):
    with session_scope(sqlite_url) as session:
        alex = make_rep(session, "Alex Rivera")
        make_orders(session, make_customer(session, "Acme Corp", alex), TODAY, 7, 6)
        make_product(session, "Gateway Hub", "Hardware")
        make_product(session, "Analytics Suite", "Software")
    return sqlite_url


def ask(url, text):
    with session_scope(url) as session:
        requester = requester_by_email(session, "alex.rivera@example.com")
        return answer(session, requester, text)


def test_one_message_naming_customer_lines_and_discount_drafts_the_quote(book):
    result = ask(
        book,
        "draft a quote for Acme Corp: 10 gateway hubs and 2 analytics suite, 5% off",
    )

    assert result.intent == "draft_quote"
    assert "for Acme Corp: 2 lines" in result.summary
    assert "5% discount" in result.summary


def test_a_draft_without_a_customer_says_how_to_ask(book):
    result = ask(book, "draft a quote with 10 gateway hubs")

    assert result.intent == "error"
    assert "Which customer is the quote for?" in result.summary
