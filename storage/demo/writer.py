"""Bulk inserts of the generated demo data, in the caller's transaction.

Rows go in with one executemany per table. Parents get their primary keys
assigned here, from one past the table's largest id, so children can point at
them without a round trip per row; on PostgreSQL the table's id sequence is
then moved past them, so later inserts keep working.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session

from storage.demo.accounts import Account
from storage.demo.catalog import PRODUCTS
from storage.demo.notes import DemoNote
from storage.demo.people import DEMO_REPS
from storage.demo.quotes import DemoQuote
from storage.models import (
    Customer,
    CustomerNote,
    GroundTruth,
    Product,
    Quote,
    QuoteItem,
    QuoteNumberCounter,
    SalesRep,
)

DEMO_SOURCE = "demo"


def insert_with_ids(session: Session, model, rows: Sequence[dict]) -> list[int]:
    """Insert ``rows`` with fresh primary keys, in one go; return the keys in order."""
    if not rows:
        return []
    first = (session.scalar(select(func.max(model.id))) or 0) + 1
    ids = list(range(first, first + len(rows)))

    numbered = [{**row, "id": i} for i, row in zip(ids, rows, strict=True)]
    session.execute(insert(model), numbered)
    _move_sequence_past(session, model.__tablename__)
    return ids


def _move_sequence_past(session: Session, table: str) -> None:
    """PostgreSQL hands out ids from a sequence that explicit ids do not advance."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(
        text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT max(id) FROM {table}))"
        )
    )


def write_team(session: Session, since: dt.date) -> list[int]:
    """The ids of ``DEMO_REPS``, in order; reps already in the store are reused."""
    emails = [rep.email for rep in DEMO_REPS]
    existing = dict(
        session.execute(
            select(SalesRep.email, SalesRep.id).where(SalesRep.email.in_(emails))
        ).all()
    )
    created_at = dt.datetime.combine(since, dt.time(9))
    rows = [
        {
            "name": rep.name,
            "email": rep.email,
            "role": rep.role,
            "team": "sales",
            "region": rep.region,
            "created_at": created_at,
        }
        for rep in DEMO_REPS
        if rep.email not in existing
    ]
    new_ids = iter(insert_with_ids(session, SalesRep, rows))
    return [existing.get(rep.email) or next(new_ids) for rep in DEMO_REPS]


def write_products(session: Session) -> list[int]:
    rows = [
        {
            "sku": p.sku,
            "name": p.name,
            "category": p.category,
            "list_price": p.list_price,
            "unit_cost": p.unit_cost,
            "active": True,
        }
        for p in PRODUCTS
    ]
    return insert_with_ids(session, Product, rows)


def write_customers(
    session: Session, accounts: list[Account], rep_ids: list[int]
) -> list[int]:
    rows = [
        {
            "name": a.name,
            "external_id": f"DEMO-{i + 1:04d}",
            "country": a.country,
            "region": a.region,
            "industry": a.industry,
            "owner_rep_id": rep_ids[a.owner],
            "created_at": dt.datetime.combine(a.start, dt.time(9)),
        }
        for i, a in enumerate(accounts)
    ]
    return insert_with_ids(session, Customer, rows)


def write_quotes(
    session: Session,
    quotes: list[DemoQuote],
    customer_ids: list[int],
    rep_ids: list[int],
    product_ids: list[int],
) -> tuple[list[int], int]:
    """Insert the quotes and their items; return the quote ids and item count."""
    ids = insert_with_ids(
        session, Quote, [_quote_row(q, customer_ids, rep_ids) for q in quotes]
    )
    items = [
        {
            "quote_id": quote_id,
            "product_id": product_ids[line.product],
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "discount_pct": line.discount_pct,
            "line_total": line.line_total,
        }
        for quote_id, quote in zip(ids, quotes, strict=True)
        for line in quote.lines
    ]
    session.execute(insert(QuoteItem), items)
    return ids, len(items)


def _quote_row(quote: DemoQuote, customer_ids: list[int], rep_ids: list[int]) -> dict:
    return {
        "quote_number": quote.number,
        "customer_id": customer_ids[quote.account],
        "rep_id": rep_ids[quote.rep],
        "status": quote.status,
        "created_at": quote.created_at,
        "decided_at": quote.decided_at,
        "valid_until": quote.valid_until,
        "currency": "USD",
        "subtotal": quote.subtotal,
        "discount_pct": quote.discount_pct,
        "total": quote.total,
        "source": DEMO_SOURCE,
    }


def write_counters(session: Session, last_by_year: dict[int, int]) -> None:
    """Make later drafts continue each year's numbering after the demo quotes."""
    years = list(last_by_year)
    session.execute(
        delete(QuoteNumberCounter).where(QuoteNumberCounter.year.in_(years))
    )
    rows = [{"year": y, "last_value": last} for y, last in last_by_year.items()]
    if rows:
        session.execute(insert(QuoteNumberCounter), rows)


def write_notes(
    session: Session,
    notes: list[DemoNote],
    customer_ids: list[int],
    rep_ids: list[int],
    quote_ids: list[int],
) -> list[int]:
    rows = [
        {
            "customer_id": customer_ids[n.account],
            "rep_id": rep_ids[n.rep],
            "quote_id": quote_ids[n.quote] if n.quote is not None else None,
            "created_at": n.created_at,
            "body": n.body,
        }
        for n in notes
    ]
    return insert_with_ids(session, CustomerNote, rows)


def write_ground_truth(session: Session, facts: list[tuple[str, str, dict]]) -> None:
    rows = [
        {"kind": kind, "entity_id": entity, "value": value}
        for kind, entity, value in facts
    ]
    session.execute(insert(GroundTruth), rows)
