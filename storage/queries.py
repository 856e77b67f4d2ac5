"""Set-based reads that feed analytics: one query per question, as frames."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import pandas as pd
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from storage.models import Customer, Product, Quote, QuoteItem, SalesRep


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
    frame = pd.read_sql(stmt, session.connection())
    frame["created_at"] = pd.to_datetime(frame["created_at"])
    for column in ("subtotal", "discount_pct", "total"):
        frame[column] = frame[column].astype(float)
    return frame


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
    frame = pd.read_sql(stmt, session.connection())
    frame["created_at"] = pd.to_datetime(frame["created_at"])
    frame["total"] = frame["total"].astype(float)
    return frame


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
    frame = pd.read_sql(stmt, session.connection())
    frame["created_at"] = pd.to_datetime(frame["created_at"])
    frame["quantity"] = frame["quantity"].astype(float)
    return frame


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
