import datetime as dt

import pytest
from sqlalchemy import select

from analytics.text import INTENTS
from storage.db import session_scope
from storage.models import Customer, Quote, SalesRep
from tests.factories import add_line, make_customer, make_product, make_quote, make_rep
from tests.tools.conftest import MANAGER, REP
from tools.errors import AccessError, NotEnoughDataError
from tools.people import requester_by_email
from tools.periods import Period
from tools.quotes import SUMMARISER_PATH_VARIABLE, UnknownQuoteError, quote_lookup


def lookup(url, email, **arguments):
    with session_scope(url) as session:
        return quote_lookup(session, requester_by_email(session, email), **arguments)


def a_quote_of(url, email, *, mine: bool) -> str:
    with session_scope(url) as session:
        owner = SalesRep.email == email if mine else SalesRep.email != email
        return session.scalar(
            select(Quote.quote_number)
            .join(Customer, Quote.customer_id == Customer.id)
            .join(SalesRep, Customer.owner_rep_id == SalesRep.id)
            .where(owner, Quote.status == "sent")
            .limit(1)
        )


def test_one_quote_reads_as_a_sentence_with_its_lines_and_approach(trained_demo):
    number = a_quote_of(trained_demo, REP, mine=True)

    result = lookup(trained_demo, REP, quote_number=number.lower())

    assert result.summary.startswith(f"{number} for {result.data['customer']}: ")
    assert "waiting on the customer" in result.summary
    assert "It looks like" in result.summary
    assert result.data["intent"] in INTENTS
    assert result.rows and all(row["product"] for row in result.rows)
    assert result.notes[0].startswith("Approach: ")


def test_an_unknown_quote_number_gets_a_clear_sentence(trained_demo):
    with pytest.raises(UnknownQuoteError, match="No quote is numbered Q-1999-0001"):
        lookup(trained_demo, REP, quote_number="Q-1999-0001")


def test_a_rep_cannot_open_another_rep_s_quote(trained_demo):
    number = a_quote_of(trained_demo, REP, mine=False)

    with pytest.raises(AccessError, match="not one of your accounts"):
        lookup(trained_demo, REP, quote_number=number)


def test_open_quotes_are_the_asker_s_drafts_and_sent_quotes(trained_demo):
    rep = lookup(trained_demo, REP)
    team = lookup(trained_demo, MANAGER)

    assert 0 < rep.data["count"] < team.data["count"]
    assert "open quotes" in rep.summary
    assert all(
        "not sent yet" in row["summary"] or "waiting on the customer" in row["summary"]
        for row in rep.rows
    )
    assert len(rep.rows) == min(rep.data["count"], 10)


def test_quotes_for_a_customer_in_a_period_stay_inside_it(trained_demo):
    may = Period(dt.date(2026, 1, 1), dt.date(2026, 7, 1), "in the first half")

    result = lookup(trained_demo, MANAGER, customer="initech", period=may)

    assert result.summary.startswith("Initech: ")
    assert "quotes created in the first half" in result.summary
    assert all(number.startswith("Q-2026-") for number in result.data["quote_numbers"])


def test_the_store_s_largest_quote_is_an_enterprise_deal(trained_demo):
    with session_scope(trained_demo) as session:
        largest = session.scalar(
            select(Quote.quote_number).order_by(Quote.total.desc()).limit(1)
        )

    result = lookup(trained_demo, MANAGER, quote_number=largest)

    assert result.data["intent"] == "enterprise_deal"
    assert "It looks like an enterprise deal: its total is in the top 10%" in (
        result.summary
    )


def small_book(session, notes: str | None = None):
    alex = make_rep(session, "Alex Rivera")
    acme = make_customer(session, "Acme Corp", alex)
    widget = make_product(session, "Widget", "Hardware")
    for day in range(25):
        quote = make_quote(
            session, acme, dt.date(2026, 6, 1) + dt.timedelta(days=day), "sent"
        )
        add_line(session, quote, widget, "1000.00")
    quote.notes = notes
    return quote.quote_number


def test_a_quote_in_a_small_book_is_found_on_any_store(store_url):
    with session_scope(store_url) as session:
        number = small_book(session, "Short note.")

    result = lookup(store_url, "alex.rivera@example.com", quote_number=number)

    assert result.data["quote_number"] == number
    assert "Notes on the quote: “Short note.”" in result.notes


def test_no_open_quotes_is_a_clear_sentence(store_url):
    with session_scope(store_url) as session:
        make_rep(session, "Alex Rivera")

    with pytest.raises(NotEnoughDataError, match="no open quotes for your accounts"):
        lookup(store_url, "alex.rivera@example.com")


LONG_NOTE = "The buyer wants staged deliveries. " + "More detail follows here. " * 20


def test_without_a_configured_path_no_summariser_is_loaded(sqlite_url, monkeypatch):
    import analytics.text.summariser as summariser

    def refuse(*_):
        raise AssertionError("no summariser may be loaded when none is configured")

    monkeypatch.delenv(SUMMARISER_PATH_VARIABLE, raising=False)
    monkeypatch.setattr(summariser.NoteSummariser, "summarise", refuse)
    monkeypatch.setattr(summariser, "_load", refuse)
    with session_scope(sqlite_url) as session:
        number = small_book(session, LONG_NOTE)

    result = lookup(sqlite_url, "alex.rivera@example.com", quote_number=number)

    assert any("The buyer wants staged deliveries." in n for n in result.notes)


def test_a_configured_summariser_shortens_long_notes(sqlite_url, monkeypatch):
    import analytics.text.summariser as summariser

    monkeypatch.setenv(SUMMARISER_PATH_VARIABLE, "/models/summariser")
    monkeypatch.setattr(
        summariser.NoteSummariser, "summarise", lambda self, text: "Staged deliveries."
    )
    with session_scope(sqlite_url) as session:
        number = small_book(session, LONG_NOTE)

    result = lookup(sqlite_url, "alex.rivera@example.com", quote_number=number)

    assert "Notes on the quote: “Staged deliveries.”" in result.notes


def test_a_missing_summariser_falls_back_to_shortening(sqlite_url, monkeypatch):
    monkeypatch.setenv(SUMMARISER_PATH_VARIABLE, "/nowhere/summariser")
    with session_scope(sqlite_url) as session:
        number = small_book(session, LONG_NOTE)

    result = lookup(sqlite_url, "alex.rivera@example.com", quote_number=number)

    assert any("The buyer wants staged deliveries." in n for n in result.notes)


def test_a_rep_asking_for_the_team_s_quotes_sees_their_own_and_is_told(trained_demo):
    mine = lookup(trained_demo, REP)
    asked_for_team = lookup(trained_demo, REP, scope="team")

    assert asked_for_team.data["count"] == mine.data["count"]
    assert asked_for_team.notes == (
        "Only managers see the team's accounts, so this covers yours.",
    )
