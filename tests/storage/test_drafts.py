from decimal import Decimal

import pytest
from sqlalchemy import func, select

import storage.drafts
from storage.db import session_scope
from storage.drafts import DraftError, DraftLine, create_draft_quote
from storage.models import AuditEntry, Product, Quote, QuoteItem, QuoteNumberCounter
from tests.factories import make_customer, make_rep


@pytest.fixture
def book(store_url):
    """A rep, one of their customers and two products; their ids."""
    with session_scope(store_url) as session:
        alex = make_rep(session, "Alex Rivera")
        acme = make_customer(session, "Acme Corp", alex)
        hub = Product(sku="HUB-1", name="Gateway Hub", list_price=Decimal("250"))
        suite = Product(sku="SW-1", name="Analytics Suite", list_price=Decimal("1200"))
        session.add_all([hub, suite])
        session.flush()
        return store_url, {
            "rep": alex.id,
            "customer": acme.id,
            "hub": hub.id,
            "suite": suite.id,
        }


def draft(session, ids, items, **options):
    return create_draft_quote(
        session, customer_id=ids["customer"], rep_id=ids["rep"], items=items, **options
    )


def counts(url) -> tuple[int, int]:
    with session_scope(url) as session:
        quotes = session.scalar(select(func.count(Quote.id)))
        return quotes, session.scalar(select(func.count(QuoteItem.id)))


def test_a_draft_is_priced_at_list_unless_a_price_is_given(book):
    url, ids = book
    with session_scope(url) as session:
        quote = draft(
            session,
            ids,
            [(ids["hub"], 4, None), DraftLine(ids["suite"], 1, Decimal("1000"))],
            discount_pct=10,
        )
        number, status = quote.quote_number, quote.status
        subtotal, total = quote.subtotal, quote.total
        prices = sorted(item.unit_price for item in quote.items)

    assert number.startswith("Q-") and status == "draft"
    assert prices == [Decimal("250"), Decimal("1000")]
    assert subtotal == Decimal("2000.00") and total == Decimal("1800.00")


def test_a_retry_with_the_same_key_returns_the_first_quote(book):
    url, ids = book
    with session_scope(url) as session:
        first = draft(session, ids, [(ids["hub"], 2)], idempotency_key="slack-1").id
    with session_scope(url) as session:
        again = draft(session, ids, [(ids["hub"], 5)], idempotency_key="slack-1").id

    assert again == first
    assert counts(url) == (1, 1)


@pytest.mark.parametrize("earlier_work", [True, False], ids=["after", "first"])
def test_a_failure_midway_leaves_no_half_written_quote(book, monkeypatch, earlier_work):
    url, ids = book

    def broken(*_args):
        raise RuntimeError("the connection dropped")

    monkeypatch.setattr(storage.drafts, "_add_items", broken)
    with session_scope(url) as session:
        if earlier_work:
            session.add(AuditEntry(surface="cli", text="draft", outcome="ok"))
            session.flush()
        with pytest.raises(RuntimeError):
            draft(session, ids, [(ids["hub"], 2)])
        session.add(AuditEntry(surface="cli", text="failed", outcome="error"))

    assert counts(url) == (0, 0)
    with session_scope(url) as session:
        audited = session.scalar(select(func.count(AuditEntry.id)))
        assert audited == 1 + earlier_work
        counters = session.scalars(select(QuoteNumberCounter.last_value)).all()
    assert all(value == 0 for value in counters)


@pytest.mark.parametrize(
    ("items", "options", "message"),
    [
        ([], {}, "at least one line"),
        ([(999, 1)], {}, "no product has id 999"),
        ([("hub", 0)], {}, "whole number of at least 1"),
        ([("hub", 2, Decimal("-1"))], {}, "cannot be negative"),
        ([("hub", 2)], {"discount_pct": 120}, "between 0 and 100"),
    ],
)
def test_bad_lines_are_refused_before_anything_is_written(
    book, items, options, message
):
    url, ids = book
    items = [(ids.get(p, p), *rest) for p, *rest in items]

    with session_scope(url) as session, pytest.raises(DraftError, match=message):
        draft(session, ids, items, **options)

    assert counts(url) == (0, 0)


def test_a_draft_is_undone_with_the_callers_transaction(book):
    url, ids = book

    with pytest.raises(RuntimeError), session_scope(url) as session:
        draft(session, ids, [(ids["hub"], 2)])
        raise RuntimeError("the answer could not be sent")

    assert counts(url) == (0, 0)
