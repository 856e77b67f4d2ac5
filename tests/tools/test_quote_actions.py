"""Acting on a quote: who may, what each action does, and that repeats do nothing."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from storage.db import session_scope
from storage.drafts import create_draft_quote
from storage.models import AuditEntry, Product, Quote, QuoteItem
from storage.pricing_state import load_arms
from tests.factories import make_customer, make_rep
from tests.tools.conftest import REP, copy_of
from tools.drafts import draft_quote
from tools.errors import AccessError, ToolError
from tools.people import requester_by_email
from tools.quote_actions import (
    discard_draft,
    mark_sent,
    quote_card,
    record_outcome,
    revise_draft,
)
from tools.quotes import UnknownQuoteError

ALEX = "alex.rivera@example.com"
PRIYA = "priya.nair@example.com"
DANA = "dana.whitfield@example.com"
OMAR = "omar.haddad@example.com"


def product(session, name, category, price):
    row = Product(
        sku=name.upper().replace(" ", "-"),
        name=name,
        category=category,
        list_price=Decimal(price),
    )
    session.add(row)
    session.flush()
    return row


@pytest.fixture
def book(store_url) -> str:
    """Alex's draft for Acme: 2 Gateway Hubs and 3 Analytics Suites at list."""
    with session_scope(store_url) as session:
        alex = make_rep(session, "Alex Rivera")
        make_rep(session, "Priya Nair")
        make_rep(session, "Dana Whitfield", role="manager")
        make_rep(session, "Omar Haddad", role="manager", team="north")
        acme = make_customer(session, "Acme Corp", alex)
        hub = product(session, "Gateway Hub", "Hardware", "2400")
        suite = product(session, "Analytics Suite", "Software", "1200")
        create_draft_quote(
            session,
            customer_id=acme.id,
            rep_id=alex.id,
            items=[(hub.id, 2), (suite.id, 3)],
        )
    return store_url


def number_of(url: str) -> str:
    with session_scope(url) as session:
        return session.scalar(select(Quote.quote_number))


def act(url: str, email: str, action, *arguments):
    with session_scope(url) as session:
        return action(session, requester_by_email(session, email), *arguments)


def stored(url: str) -> tuple[str, str, list[tuple[str, int]]]:
    """The quote's status, total and (sku, quantity) lines as stored."""
    with session_scope(url) as session:
        quote = session.scalar(select(Quote))
        lines = sorted((i.product.sku, i.quantity) for i in quote.items)
        return quote.status, str(quote.total), lines


def audited(url: str, action: str) -> int:
    with session_scope(url) as session:
        return session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.intent == action)
        )


def test_the_owner_sees_the_card_with_its_lines_and_totals(book):
    card = act(book, ALEX, quote_card, number_of(book))

    assert (card.customer, card.rep, card.status) == (
        "Acme Corp",
        "Alex Rivera",
        "draft",
    )
    assert [(line.product, line.quantity) for line in card.lines] == [
        ("Gateway Hub", 2),
        ("Analytics Suite", 3),
    ]
    assert card.total == Decimal("8400.00")
    assert not card.checked
    assert card.suggestion is None and card.warning is None


def test_the_quote_number_is_found_whatever_its_case(book):
    card = act(book, ALEX, quote_card, f"  {number_of(book).lower()} ")

    assert card.quote_number == number_of(book)


def test_an_unknown_quote_number_is_refused_with_what_numbers_look_like(book):
    with pytest.raises(UnknownQuoteError, match="look like Q-2026-0042"):
        act(book, ALEX, mark_sent, "Q-1999-0001")


@pytest.mark.parametrize("action", [quote_card, mark_sent, discard_draft])
def test_another_rep_may_neither_see_nor_act_on_the_quote(book, action):
    with pytest.raises(AccessError, match="Alex Rivera's quote, so only Alex Rivera"):
        act(book, PRIYA, action, number_of(book))

    assert stored(book)[0] == "draft"


def test_a_manager_of_another_team_is_refused(book):
    with pytest.raises(AccessError, match="only Alex Rivera or their manager"):
        act(book, OMAR, record_outcome, number_of(book), True)


def test_a_manager_of_the_reps_team_may_mark_it_sent(book):
    change = act(book, DANA, mark_sent, number_of(book))

    assert change.changed
    assert stored(book)[0] == "sent"


def test_marking_sent_twice_changes_it_once_and_says_who_did_it(book):
    number = number_of(book)

    first = act(book, ALEX, mark_sent, number)
    second = act(book, DANA, mark_sent, number)

    assert first.changed and not second.changed
    assert second.message.startswith(
        f"{number} was already marked sent by Alex Rivera on"
    )
    assert audited(book, "quote_sent") == 1


def test_a_draft_cannot_be_won_before_it_is_sent(book):
    change = act(book, ALEX, record_outcome, number_of(book), True)

    assert not change.changed
    assert "still a draft" in change.message and "mark it sent first" in change.message
    assert stored(book)[0] == "draft"


def test_a_won_quote_counts_in_pricing_once_and_stays_won(book):
    number = number_of(book)
    act(book, ALEX, mark_sent, number)

    won = act(book, ALEX, record_outcome, number, True)
    again = act(book, ALEX, record_outcome, number, True)
    lost = act(book, DANA, record_outcome, number, False)

    assert [won.changed, again.changed, lost.changed] == [True, False, False]
    assert "was marked won by Alex Rivera" in lost.message
    assert "cannot be marked lost" in lost.message
    assert stored(book)[0] == "accepted"
    with session_scope(book) as session:
        arms = load_arms(session)
    assert arms[["accepted", "decided"]].sum().tolist() == [1.0, 1.0]


def test_discarding_cancels_the_draft_and_keeps_its_lines_whole(book):
    number = number_of(book)

    first = act(book, ALEX, discard_draft, number)
    second = act(book, ALEX, discard_draft, number)

    assert first.changed and not second.changed
    assert second.message.startswith(f"{number} was already discarded by Alex Rivera")
    assert stored(book) == (
        "cancelled",
        "8400.00",
        [("ANALYTICS-SUITE", 3), ("GATEWAY-HUB", 2)],
    )


def test_a_sent_quote_cannot_be_discarded_or_revised(book):
    number = number_of(book)
    act(book, ALEX, mark_sent, number)

    discarded = act(book, ALEX, discard_draft, number)
    revised = act(book, ALEX, revise_draft, number, [("Gateway Hub", 1)], None)

    assert not discarded.changed and not revised.changed
    assert "cannot be discarded" in discarded.message
    assert "cannot be changed" in revised.message
    assert stored(book)[2] == [("ANALYTICS-SUITE", 3), ("GATEWAY-HUB", 2)]


def test_revising_replaces_the_lines_and_totals_of_the_draft(book):
    number = number_of(book)

    change = act(
        book,
        ALEX,
        revise_draft,
        number,
        [("gateway hub", 5, "2000"), ("ANALYTICS-SUITE", 1)],
        10,
    )

    assert change.changed
    assert change.message == f"{number} now has 2 lines, total $10,080.00."
    assert stored(book) == (
        "draft",
        "10080.00",
        [("ANALYTICS-SUITE", 1), ("GATEWAY-HUB", 5)],
    )
    with session_scope(book) as session:
        assert session.scalar(select(func.count(QuoteItem.id))) == 2


def test_the_same_revision_twice_changes_nothing_the_second_time(book):
    number = number_of(book)
    items = [("Gateway Hub", 4)]

    first = act(book, ALEX, revise_draft, number, items, 5)
    second = act(book, ALEX, revise_draft, number, items, 5)

    assert first.changed and not second.changed
    assert second.message == f"{number} already has these lines."
    assert audited(book, "quote_edit") == 1


def test_a_revision_keeps_the_price_a_line_was_quoted_at_and_lists_new_products(
    book,
):
    number = number_of(book)
    act(book, ALEX, revise_draft, number, [("Gateway Hub", 2, "2000")], None)

    items = [("Gateway Hub", 3), ("Analytics Suite", 1)]
    change = act(book, ALEX, revise_draft, number, items, None)

    card = act(book, ALEX, quote_card, number)
    assert change.changed
    assert {line.sku: line.unit_price for line in card.lines} == {
        "GATEWAY-HUB": Decimal("2000"),
        "ANALYTICS-SUITE": Decimal("1200"),
    }


def test_a_revision_with_a_bad_line_leaves_the_draft_as_it_was(book):
    before = stored(book)

    with pytest.raises(ToolError, match="Line 2: the quantity must be a whole number"):
        act(
            book,
            ALEX,
            revise_draft,
            number_of(book),
            [("Gateway Hub", 1), ("Analytics Suite", 0)],
            None,
        )

    assert stored(book) == before


def test_a_revision_with_no_lines_asks_what_to_include(book):
    with pytest.raises(ToolError, match="Name a product and a quantity"):
        act(book, ALEX, revise_draft, number_of(book), [], None)


def test_two_clicks_at_once_mark_the_quote_sent_once(book):
    number, changes = number_of(book), []
    first_acted = threading.Event()

    def first_click():
        with session_scope(book) as session:
            changes.append(
                mark_sent(session, requester_by_email(session, ALEX), number)
            )
            first_acted.set()
            time.sleep(0.5)  # the second click now waits on this one's lock

    def second_click():
        first_acted.wait(5)
        with session_scope(book) as session:
            changes.append(
                mark_sent(session, requester_by_email(session, ALEX), number)
            )

    threads = [
        threading.Thread(target=first_click),
        threading.Thread(target=second_click),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert [change.changed for change in changes] == [True, False]
    assert audited(book, "quote_sent") == 1


@pytest.fixture(scope="module")
def demo(trained_demo, tmp_path_factory) -> str:
    """A copy of the trained demo store, so drafts leave the shared one as it was."""
    return copy_of(trained_demo, tmp_path_factory.mktemp("quote-actions"))


def test_a_draft_card_carries_the_suggested_discount_and_the_warning(demo):
    with session_scope(demo) as session:
        draft = draft_quote(
            session,
            requester_by_email(session, REP),
            "Acme Corp",
            [("Gateway Hub", 1000)],
        )

    card = act(demo, REP, quote_card, draft.data["quote_number"])

    assert card.checked
    assert card.suggestion.startswith("Suggest ")
    assert "on 1000 × Gateway Hub" in card.suggestion
    assert "may give at most" not in card.suggestion
    assert "times Acme Corp's usual quote" in card.warning
