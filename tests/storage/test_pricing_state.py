"""The pricing bandit's stored state: recounted from history, moved by decisions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from storage.db import session_scope
from storage.errors import StorageError, UnknownRecordError
from storage.models import Prediction, PricingBanditArm, Product, Quote, QuoteItem
from storage.pricing_state import (
    ALL_SEGMENTS,
    UNCATEGORISED,
    decided_quotes,
    load_arms,
    rebuild_pricing_state,
    record_quote_decision,
    replace_arms,
)
from tests.factories import make_customer, make_quote, make_rep

DAY = dt.date(2026, 3, 2)


def product(session, name, category, price="100"):
    row = Product(
        sku=name.upper(), name=name, category=category, list_price=Decimal(price)
    )
    session.add(row)
    session.flush()
    return row


def quote_of(session, customer, lines, discount_pct="0", status="sent"):
    """A quote of ``lines`` (product, quantity) at list, less ``discount_pct``."""
    list_value = sum(p.list_price * q for p, q in lines)
    total = list_value * (1 - Decimal(discount_pct) / 100)
    quote = make_quote(session, customer, DAY, status=status, total=f"{total:.2f}")
    quote.discount_pct = Decimal(discount_pct)
    for item, quantity in lines:
        session.add(
            QuoteItem(
                quote_id=quote.id,
                product_id=item.id,
                quantity=quantity,
                unit_price=item.list_price,
                line_total=item.list_price * quantity,
            )
        )
    session.flush()
    return quote


def segment(session, customer, name):
    session.add(
        Prediction(
            model_name="segments.kmeans",
            entity_type="customer",
            entity_id=str(customer.id),
            predicted_value=0.0,
            details={"segment": name},
        )
    )
    session.flush()


@pytest.fixture
def book(store_url):
    with session_scope(store_url) as session:
        alex = make_rep(session, "Alex Rivera")
        acme = make_customer(session, "Acme Corp", alex)
        initech = make_customer(session, "Initech", alex)
        segment(session, acme, "Growing")
        software = product(session, "Analytics Suite", "Software")
        hardware = product(session, "Gateway Hub", "Hardware", "2400")
        for status in ("accepted", "accepted", "rejected"):
            quote_of(session, acme, [(software, 3)], "10", status)
        quote_of(session, acme, [(software, 1), (hardware, 1)], "0", "expired")
        quote_of(session, initech, [(software, 2)], "20", "accepted")
        quote_of(session, initech, [(software, 2)], "60", "accepted")
        quote_of(session, initech, [(software, 2)], "5", "draft")
    return store_url


def arms_of(url):
    with session_scope(url) as session:
        arms = load_arms(session)
    return {
        (r.segment, r.category, r.discount_pct): (r.accepted, r.decided)
        for r in arms.itertuples()
    }


def test_decided_quotes_name_segment_main_category_and_snapped_discount(book):
    with session_scope(book) as session:
        quotes = decided_quotes(session)

    assert len(quotes) == 5  # the draft is undecided, the 60% quote off the grid
    mixed = quotes[quotes["status"] == "expired"].iloc[0]
    assert (mixed["segment"], mixed["category"]) == ("Growing", "Hardware")
    assert set(
        quotes.loc[quotes["customer_id"] != mixed["customer_id"], "segment"]
    ) == {ALL_SEGMENTS}
    assert sorted(quotes["discount_pct"]) == [0.0, 10.0, 10.0, 10.0, 20.0]


def test_rebuild_counts_every_decided_quote_once(book):
    with session_scope(book) as session:
        assert rebuild_pricing_state(session) == 5

    assert arms_of(book) == {
        ("Growing", "Software", 10.0): (2.0, 3.0),
        ("Growing", "Hardware", 0.0): (0.0, 1.0),
        ("all", "Software", 20.0): (1.0, 1.0),
    }
    with session_scope(book) as session:
        stored = session.scalar(
            select(PricingBanditArm).where(PricingBanditArm.category == "Hardware")
        )
        assert (stored.alpha, stored.beta) == (1.0, 2.0)


def test_a_rebuild_replaces_what_was_stored(book):
    with session_scope(book) as session:
        rebuild_pricing_state(session)
        rebuild_pricing_state(session)
        assert session.scalar(select(func.count(PricingBanditArm.id))) == 3


def test_deciding_a_quote_sets_its_status_and_counts_it_in_its_arm(book):
    with session_scope(book) as session:
        rebuild_pricing_state(session)
        draft = session.scalar(select(Quote).where(Quote.status == "draft"))
        at = dt.datetime(2026, 3, 9, 10)
        assert record_quote_decision(session, draft.id, "accepted", at) is True
        assert (draft.status, draft.decided_at) == ("accepted", at)

    assert arms_of(book)[("all", "Software", 5.0)] == (1.0, 1.0)


def test_deciding_the_same_quote_twice_counts_once(book):
    with session_scope(book) as session:
        rebuild_pricing_state(session)
        draft_id = session.scalar(select(Quote.id).where(Quote.status == "draft"))
    for _ in range(2):
        with session_scope(book) as session:
            record_quote_decision(session, draft_id, "rejected")

    assert arms_of(book)[("all", "Software", 5.0)] == (0.0, 1.0)


def test_a_changed_outcome_moves_the_count_instead_of_adding_one(book):
    with session_scope(book) as session:
        rebuild_pricing_state(session)
        accepted = session.scalar(
            select(Quote).where(Quote.status == "accepted", Quote.discount_pct == 20)
        )
        assert record_quote_decision(session, accepted.id, "expired") is True

    assert arms_of(book)[("all", "Software", 20.0)] == (0.0, 1.0)


def test_a_decision_and_a_rebuild_agree(book):
    with session_scope(book) as session:
        rebuild_pricing_state(session)
        draft_id = session.scalar(select(Quote.id).where(Quote.status == "draft"))
        record_quote_decision(session, draft_id, "accepted")
    incremental = arms_of(book)
    with session_scope(book) as session:
        rebuild_pricing_state(session)

    assert arms_of(book) == incremental


def test_deciding_rolls_back_with_the_transaction(book):
    with session_scope(book) as session:
        draft_id = session.scalar(select(Quote.id).where(Quote.status == "draft"))
    with pytest.raises(RuntimeError), session_scope(book) as session:
        record_quote_decision(session, draft_id, "accepted")
        raise RuntimeError("the caller failed after deciding")

    with session_scope(book) as session:
        assert session.get(Quote, draft_id).status == "draft"
    assert arms_of(book) == {}


def test_an_uncategorised_quote_counts_under_its_own_name(store_url):
    with session_scope(store_url) as session:
        acme = make_customer(session, "Acme Corp", None)
        loose = product(session, "Widget", None)
        quote = quote_of(session, acme, [(loose, 1)], "0", "sent")
        record_quote_decision(session, quote.id, "accepted")

    assert arms_of(store_url) == {(ALL_SEGMENTS, UNCATEGORISED, 0.0): (1.0, 1.0)}


def test_bad_decisions_are_refused_with_what_is_allowed(book):
    with session_scope(book) as session:
        quote_id = session.scalar(select(Quote.id).limit(1))
        with pytest.raises(StorageError, match="accepted, rejected or expired"):
            record_quote_decision(session, quote_id, "maybe")
        with pytest.raises(UnknownRecordError, match="No quote has id"):
            record_quote_decision(session, 10_000, "accepted")


def test_replace_arms_round_trips(store_url):
    import pandas as pd

    arms = pd.DataFrame(
        [("smb", "Software", 10.0, 3.0, 5.0)],
        columns=["segment", "category", "discount_pct", "accepted", "decided"],
    )
    with session_scope(store_url) as session:
        assert replace_arms(session, arms) == 1

    assert arms_of(store_url) == {("smb", "Software", 10.0): (3.0, 5.0)}


def test_two_decisions_creating_the_same_arm_at_once_both_count(postgres_url):
    import threading
    import time

    with session_scope(postgres_url) as session:
        acme = make_customer(session, "Acme Corp", None)
        gadget = product(session, "Gadget", "Hardware")
        ids = [quote_of(session, acme, [(gadget, 1)]).id for _ in range(2)]

    first_written, second_started = threading.Event(), threading.Event()

    def first():
        with session_scope(postgres_url) as session:
            record_quote_decision(session, ids[0], "accepted")
            session.flush()
            first_written.set()
            second_started.wait(5)
            time.sleep(0.5)  # the second insert now waits on this one's row

    def second():
        first_written.wait(5)
        second_started.set()
        with session_scope(postgres_url) as session:
            record_quote_decision(session, ids[1], "rejected")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    assert arms_of(postgres_url) == {(ALL_SEGMENTS, "Hardware", 0.0): (1.0, 2.0)}
