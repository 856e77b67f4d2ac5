import datetime as dt

import pytest
from sqlalchemy import func, select

from storage.db import session_scope
from storage.models import Customer, Product, Quote, QuoteItem, SalesRep
from tests.factories import make_customer, make_rep
from tests.tools.conftest import MANAGER, REP, copy_of
from tools.drafts import NOT_CHECKED, draft_quote
from tools.errors import AccessError, ToolError
from tools.people import requester_by_email
from tools.products import UnknownProductError


@pytest.fixture(scope="module")
def store(trained_demo, tmp_path_factory) -> str:
    """A copy of the trained demo store, so drafts leave the shared one as it was."""
    return copy_of(trained_demo, tmp_path_factory.mktemp("drafts"))


def draft_for(url, email, customer, items, **options):
    with session_scope(url) as session:
        return draft_quote(
            session, requester_by_email(session, email), customer, items, **options
        )


def quote_count(url) -> tuple[int, int]:
    with session_scope(url) as session:
        return (
            session.scalar(select(func.count(Quote.id))),
            session.scalar(select(func.count(QuoteItem.id))),
        )


def test_an_unknown_product_is_refused_with_the_closest_names(store):
    before = quote_count(store)

    with pytest.raises(
        UnknownProductError, match="Did you mean .*24-port or .*48-port"
    ):
        draft_for(
            store, REP, "Acme Corp", [("Analytics Suite", 2), ("Network Switch", 3)]
        )

    assert quote_count(store) == before


def test_a_bad_line_leaves_no_half_written_quote(store):
    before = quote_count(store)

    with pytest.raises(ToolError, match="whole number of at least 1"):
        draft_for(store, REP, "Acme Corp", [("Analytics Suite", 2), ("Gateway Hub", 0)])

    assert quote_count(store) == before


def test_a_retry_with_the_same_key_creates_one_quote(store):
    before = quote_count(store)
    items = [("Analytics Suite", 10)]

    first = draft_for(store, REP, "acme", items, idempotency_key="slack:retry-1")
    again = draft_for(store, REP, "acme", items, idempotency_key="slack:retry-1")

    assert again.data["quote_number"] == first.data["quote_number"]
    assert quote_count(store) == (before[0] + 1, before[1] + 1)


def test_an_oversized_draft_carries_the_warning_in_numbers(store):
    result = draft_for(
        store, REP, "Acme Corp", [("Gateway Hub", 1000)], discount_pct=10
    )

    assert result.data["unusual"]
    assert "Check it before sending" in result.summary
    assert "times Acme Corp's usual quote" in result.summary
    assert result.data["quote_number"].startswith(f"Q-{dt.date.today().year}-")


def test_an_ordinary_draft_carries_no_warning(store):
    result = draft_for(
        store, REP, "Acme Corp", [("Analytics Suite", 20)], discount_pct=10
    )

    assert not result.data["unusual"]
    assert "Check it" not in result.summary
    assert result.notes[0].startswith("This quote looks ordinary for the account")
    assert [row["quantity"] for row in result.rows] == [20]


def test_a_rep_cannot_quote_another_rep_s_account(store):
    with session_scope(store) as session:
        other = session.scalar(
            select(Customer.name)
            .join(SalesRep, Customer.owner_rep_id == SalesRep.id)
            .where(SalesRep.email.not_in([REP, MANAGER]))
            .limit(1)
        )

    with pytest.raises(AccessError, match="not one of your accounts"):
        draft_for(store, REP, other, [("Analytics Suite", 1)])


def test_before_training_the_draft_says_it_was_not_checked(sqlite_url):
    with session_scope(sqlite_url) as session:
        make_customer(session, "Acme Corp", make_rep(session, "Alex Rivera"))
        session.add(Product(sku="HUB-1", name="Gateway Hub", list_price=250))

    result = draft_for(sqlite_url, REP, "Acme Corp", [("HUB-1", 4, 200)])

    assert result.notes == (NOT_CHECKED,)
    assert not result.data["checked"] and not result.data["unusual"]
    assert result.rows[0]["unit_price"] == "$200"
