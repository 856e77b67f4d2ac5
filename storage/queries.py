"""Set-based reads that feed analytics: one query per question, as frames."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection

import pandas as pd
from sqlalchemy import Select, func, literal, select, union_all
from sqlalchemy.orm import Session

from storage.models import (
    Customer,
    CustomerNote,
    GroundTruth,
    Product,
    Quote,
    QuoteItem,
    SalesRep,
)

OPEN_STATUSES = ("draft", "sent")


def quote_history(
    session: Session, rep_ids: Collection[int] | None = None
) -> pd.DataFrame:
    """Every quote of the accounts owned by ``rep_ids`` (all accounts if None).

    Columns: ``quote_id, customer_id, customer, owner, owner_rep_id, region,
    created_at, status, subtotal, discount_pct, total, currency`` (money and
    percentages as floats, for modelling). ``region`` is the customer's region,
    or its country where no region is recorded.
    """
    stmt: Select = (
        select(
            Quote.id.label("quote_id"),
            Customer.id.label("customer_id"),
            Customer.name.label("customer"),
            SalesRep.name.label("owner"),
            Customer.owner_rep_id,
            func.coalesce(Customer.region, Customer.country).label("region"),
            Quote.created_at,
            Quote.status,
            Quote.subtotal,
            Quote.discount_pct,
            Quote.total,
            Quote.currency,
        )
        .join(Customer, Quote.customer_id == Customer.id)
        .outerjoin(SalesRep, Customer.owner_rep_id == SalesRep.id)
    )
    if rep_ids is not None:
        stmt = stmt.where(Customer.owner_rep_id.in_(list(rep_ids)))
    return _read_frame(
        session, stmt, ("created_at",), ("subtotal", "discount_pct", "total")
    )


def customer_owners(
    session: Session, rep_ids: Collection[int] | None = None
) -> pd.DataFrame:
    """Every customer (of ``rep_ids``' books if given) and who owns it.

    Columns: ``customer_id, customer, owner_rep_id, owner``.
    """
    stmt = select(
        Customer.id.label("customer_id"),
        Customer.name.label("customer"),
        Customer.owner_rep_id,
        SalesRep.name.label("owner"),
    ).outerjoin(SalesRep, Customer.owner_rep_id == SalesRep.id)
    if rep_ids is not None:
        stmt = stmt.where(Customer.owner_rep_id.in_(list(rep_ids)))
    return pd.read_sql(stmt.order_by(Customer.id), session.connection())


def quote_lines(session: Session) -> pd.DataFrame:
    """Every quote line with its product's category, as revenue after discounts.

    Columns: ``quote_id, customer_id, owner_rep_id, created_at, status,
    category, total``. ``total`` is the line total less the quote-level
    discount, so the lines of an accepted quote add up to its total (to the
    cent, before rounding); lines of uncategorised products have ``category``
    None.
    """
    net = QuoteItem.line_total * (1 - Quote.discount_pct / 100)
    stmt = (
        select(
            Quote.id.label("quote_id"),
            Customer.id.label("customer_id"),
            Customer.owner_rep_id,
            Quote.created_at,
            Quote.status,
            Product.category,
            net.label("total"),
        )
        .join(Quote, QuoteItem.quote_id == Quote.id)
        .join(Customer, Quote.customer_id == Customer.id)
        .join(Product, QuoteItem.product_id == Product.id)
    )
    return _read_frame(session, stmt, ("created_at",), ("total",))


def accepted_lines(
    session: Session, customer_ids: Collection[int] | None = None
) -> pd.DataFrame:
    """Every line of an accepted quote (of ``customer_ids`` only, if given).

    Columns: ``quote_id, customer_id, product_id, product, sku, category,
    quantity, created_at``: what each customer bought, when and in which
    order, for recommendations and bought-together rules.
    """
    stmt = (
        select(
            Quote.id.label("quote_id"),
            Quote.customer_id,
            Product.id.label("product_id"),
            Product.name.label("product"),
            Product.sku,
            Product.category,
            QuoteItem.quantity,
            Quote.created_at,
        )
        .join(Quote, QuoteItem.quote_id == Quote.id)
        .join(Product, QuoteItem.product_id == Product.id)
        .where(Quote.status == "accepted")
        .order_by(Quote.created_at, Quote.id)
    )
    if customer_ids is not None:
        stmt = stmt.where(Quote.customer_id.in_(list(customer_ids)))
    return _read_frame(session, stmt, ("created_at",), ("quantity",))


def revenue_by_country(session: Session) -> pd.Series:
    """Accepted revenue per customer country (float), largest first."""
    stmt = (
        select(Customer.country, func.sum(Quote.total))
        .join(Customer, Quote.customer_id == Customer.id)
        .where(Quote.status == "accepted", Customer.country.is_not(None))
        .group_by(Customer.country)
    )
    rows = session.execute(stmt).all()
    revenue = pd.Series({country: float(total) for country, total in rows}, dtype=float)
    return revenue.sort_values(ascending=False)


def latest_activity_date(session: Session) -> dt.date | None:
    """The day of the newest quote: the store's 'today' for historical data."""
    latest = session.scalar(select(func.max(Quote.created_at)))
    if latest is None:
        return None
    if isinstance(latest, str):
        latest = dt.datetime.fromisoformat(latest)
    return latest.date()


def store_is_empty(session: Session) -> bool:
    """True when the store has neither customers nor quotes."""
    has_customer = session.scalar(select(Customer.id).limit(1)) is not None
    return not has_customer and session.scalar(select(Quote.id).limit(1)) is None


def quotes_between(
    session: Session,
    start: dt.date,
    end: dt.date,
    rep_ids: Collection[int] | None = None,
) -> pd.DataFrame:
    """The quotes created from ``start`` up to ``end`` (exclusive), but cancelled.

    Of the accounts owned by ``rep_ids`` (all if None). Columns: ``quote_id,
    created_at, status, discount_pct, total, currency``.
    """
    stmt = (
        select(
            Quote.id.label("quote_id"),
            Quote.created_at,
            Quote.status,
            Quote.discount_pct,
            Quote.total,
            Quote.currency,
        )
        .join(Customer, Quote.customer_id == Customer.id)
        .where(*_created_between(start, end), Quote.status != "cancelled")
    )
    if rep_ids is not None:
        stmt = stmt.where(Customer.owner_rep_id.in_(list(rep_ids)))
    return _read_frame(session, stmt, ("created_at",), ("discount_pct", "total"))


def product_revenue(
    session: Session,
    start: dt.date,
    split: dt.date,
    end: dt.date,
    rep_ids: Collection[int] | None = None,
) -> pd.DataFrame:
    """Accepted revenue per product before ``split`` and from it, after discounts.

    Quotes created from ``start`` up to ``end`` (exclusive), of the accounts
    owned by ``rep_ids`` (all if None). Columns: ``product, category, later``
    (True from ``split`` on), ``revenue, quantity``.
    """
    later = Quote.created_at >= dt.datetime.combine(split, dt.time())
    net = QuoteItem.line_total * (1 - Quote.discount_pct / 100)
    stmt = (
        select(
            Product.name.label("product"),
            Product.category,
            later.label("later"),
            func.sum(net).label("revenue"),
            func.sum(QuoteItem.quantity).label("quantity"),
        )
        .join(Quote, QuoteItem.quote_id == Quote.id)
        .join(Customer, Quote.customer_id == Customer.id)
        .join(Product, QuoteItem.product_id == Product.id)
        .where(*_created_between(start, end), Quote.status == "accepted")
        .group_by(Product.name, Product.category, later)
    )
    if rep_ids is not None:
        stmt = stmt.where(Customer.owner_rep_id.in_(list(rep_ids)))
    frame = _read_frame(session, stmt, numbers=("revenue", "quantity"))
    frame["later"] = frame["later"].astype(bool)
    return frame


def quote_span(
    session: Session, rep_ids: Collection[int] | None = None
) -> tuple[dt.date, dt.date] | None:
    """The days of the first and the newest quote (of ``rep_ids``' accounts)."""
    stmt = select(func.min(Quote.created_at), func.max(Quote.created_at)).join(
        Customer, Quote.customer_id == Customer.id
    )
    if rep_ids is not None:
        stmt = stmt.where(Customer.owner_rep_id.in_(list(rep_ids)))
    first, last = session.execute(stmt).one()
    if first is None:
        return None
    return pd.Timestamp(first).date(), pd.Timestamp(last).date()


def _created_between(start: dt.date, end: dt.date) -> tuple:
    return (
        Quote.created_at >= dt.datetime.combine(start, dt.time()),
        Quote.created_at < dt.datetime.combine(end, dt.time()),
    )


def quote_profiles(
    session: Session, *, customer_id: int | None = None, rep_id: int | None = None
) -> pd.DataFrame:
    """One row per quote with its lines summed, for judging how usual it is.

    All quotes but cancelled ones; with ``customer_id`` or ``rep_id``, only the
    quotes of that customer or by that rep (either). Columns: ``quote_id,
    quote_number, customer_id, customer, rep_id, rep, owner_rep_id,
    created_at, status, subtotal, discount_pct, total, currency, lines,
    quantity, line_value, list_value``. ``rep_id`` is the quote's rep, or the
    account owner's when none is recorded; ``line_value`` is quantity times
    unit price and ``list_value`` quantity times list price, summed over lines.
    """
    rep = func.coalesce(Quote.rep_id, Customer.owner_rep_id)
    wanted = [Quote.status != "cancelled"]
    if customer_id is not None or rep_id is not None:
        wanted.append((Quote.customer_id == customer_id) | (rep == rep_id))
    lines = (
        select(
            QuoteItem.quote_id,
            func.count(QuoteItem.id).label("lines"),
            func.sum(QuoteItem.quantity).label("quantity"),
            func.sum(QuoteItem.quantity * QuoteItem.unit_price).label("line_value"),
            func.sum(QuoteItem.quantity * Product.list_price).label("list_value"),
        )
        .join(Product, QuoteItem.product_id == Product.id)
        .join(Quote, QuoteItem.quote_id == Quote.id)
        .join(Customer, Quote.customer_id == Customer.id)
        .where(*wanted)
        .group_by(QuoteItem.quote_id)
        .subquery()
    )
    stmt = (
        select(
            Quote.id.label("quote_id"),
            Quote.quote_number,
            Customer.id.label("customer_id"),
            Customer.name.label("customer"),
            rep.label("rep_id"),
            SalesRep.name.label("rep"),
            Customer.owner_rep_id,
            Quote.created_at,
            Quote.status,
            Quote.subtotal,
            Quote.discount_pct,
            Quote.total,
            Quote.currency,
            func.coalesce(lines.c.lines, 0).label("lines"),
            func.coalesce(lines.c.quantity, 0).label("quantity"),
            func.coalesce(lines.c.line_value, 0).label("line_value"),
            func.coalesce(lines.c.list_value, 0).label("list_value"),
        )
        .join(Customer, Quote.customer_id == Customer.id)
        .outerjoin(SalesRep, rep == SalesRep.id)
        .outerjoin(lines, lines.c.quote_id == Quote.id)
        .where(*wanted)
        .order_by(Quote.created_at, Quote.id)
    )
    numbers = ("subtotal", "discount_pct", "total", "quantity")
    numbers += ("line_value", "list_value")
    return _read_frame(session, stmt, ("created_at",), numbers)


def quote_terms(session: Session, quote_ids: Collection[int]) -> pd.DataFrame:
    """When each of ``quote_ids`` was decided, how long it is valid, its notes.

    Columns: ``quote_id, decided_at, valid_until, notes``.
    """
    stmt = select(
        Quote.id.label("quote_id"), Quote.decided_at, Quote.valid_until, Quote.notes
    ).where(Quote.id.in_(list(quote_ids)))
    frame = _read_frame(session, stmt, ("decided_at",))
    frame["valid_until"] = pd.to_datetime(frame["valid_until"]).dt.date
    return frame


def quote_items(session: Session, quote_ids: Collection[int]) -> pd.DataFrame:
    """The lines of ``quote_ids``: ``quote_id, product, quantity, line_total``."""
    stmt = (
        select(
            QuoteItem.quote_id,
            Product.name.label("product"),
            QuoteItem.quantity,
            QuoteItem.line_total,
        )
        .join(Product, QuoteItem.product_id == Product.id)
        .where(QuoteItem.quote_id.in_(list(quote_ids)))
        .order_by(QuoteItem.quote_id, QuoteItem.line_total.desc())
    )
    return _read_frame(session, stmt, numbers=("line_total",))


def open_quotes(
    session: Session, rep_ids: Collection[int] | None = None
) -> pd.DataFrame:
    """Drafts and sent quotes of the accounts owned by ``rep_ids`` (all if None).

    Columns: ``quote_number, customer, status, total, created_at, currency``
    (``total`` as a float), newest first.
    """
    stmt: Select = (
        select(
            Quote.quote_number,
            Customer.name.label("customer"),
            Quote.status,
            Quote.total,
            Quote.created_at,
            Quote.currency,
        )
        .join(Customer, Customer.id == Quote.customer_id)
        .where(Quote.status.in_(OPEN_STATUSES))
        .order_by(Quote.created_at.desc(), Quote.id.desc())
    )
    if rep_ids is not None:
        stmt = stmt.where(Customer.owner_rep_id.in_(list(rep_ids)))
    return _read_frame(session, stmt, ("created_at",), ("total",))


def book_currency(session: Session) -> str:
    """The currency most quotes are in; USD for an empty store."""
    currency = session.scalar(
        select(Quote.currency)
        .group_by(Quote.currency)
        .order_by(func.count().desc())
        .limit(1)
    )
    return currency or "USD"


def customer_notes(session: Session, customer_ids: Collection[int]) -> pd.DataFrame:
    """What reps wrote about ``customer_ids``: account notes and quote notes.

    Columns: ``source`` ("note" or "quote"), ``source_id``, ``customer_id,
    created_at, body, quote_number`` (the quote a note is about, if any),
    oldest first.
    """
    ids = list(customer_ids)
    account_notes = (
        select(
            literal("note").label("source"),
            CustomerNote.id.label("source_id"),
            CustomerNote.customer_id,
            CustomerNote.created_at,
            CustomerNote.body,
            Quote.quote_number,
        )
        .outerjoin(Quote, CustomerNote.quote_id == Quote.id)
        .where(CustomerNote.customer_id.in_(ids))
    )
    quote_notes = select(
        literal("quote").label("source"),
        Quote.id.label("source_id"),
        Quote.customer_id,
        Quote.created_at,
        Quote.notes.label("body"),
        Quote.quote_number,
    ).where(Quote.customer_id.in_(ids), func.length(func.trim(Quote.notes)) > 0)
    stmt = union_all(account_notes, quote_notes)
    frame = _read_frame(session, stmt, ("created_at",))
    return frame.sort_values(["created_at", "source_id"], ignore_index=True)


def demo_note_tones(session: Session) -> pd.DataFrame:
    """The demo notes with the tone the generator gave them: ``text, tone``.

    Empty for a store that was not filled by ``quotebot demo-data``.
    """
    truth = pd.read_sql(
        select(GroundTruth.entity_id, GroundTruth.value).where(
            GroundTruth.kind == "note"
        ),
        session.connection(),
    )
    notes = pd.read_sql(
        select(CustomerNote.id, CustomerNote.body), session.connection()
    )
    if truth.empty:
        return pd.DataFrame({"text": [], "tone": []})
    truth["id"] = truth["entity_id"].astype(int)
    truth["tone"] = [_json(value)["tone"] for value in truth["value"]]
    merged = notes.merge(truth, on="id")
    return merged.rename(columns={"body": "text"})[["text", "tone"]]


def _read_frame(
    session: Session,
    stmt,
    times: tuple[str, ...] = (),
    numbers: tuple[str, ...] = (),
) -> pd.DataFrame:
    """``stmt``'s rows as a frame: ``times`` as datetimes, ``numbers`` as floats.

    SQLite hands back times as text and PostgreSQL money as ``Decimal``; the
    models want the same dtypes from both.
    """
    frame = pd.read_sql(stmt, session.connection())
    for column in times:
        frame[column] = pd.to_datetime(frame[column])
    for column in numbers:
        frame[column] = frame[column].astype(float)
    return frame


def _json(value) -> dict:
    return json.loads(value) if isinstance(value, str) else value
