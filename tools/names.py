"""The names the store knows, for finding them in what people type."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Customer, Product
from storage.queries import latest_activity_date


@dataclass(frozen=True)
class Vocabulary:
    """Customers, regions, product categories and products, as the store names them.

    ``today`` is the store's latest activity day, against which "last month"
    is read; None for an empty store.
    """

    customers: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    today: dt.date | None = None


def store_vocabulary(session: Session) -> Vocabulary:
    """Every customer name, region (or country), category and product name."""
    region = func.coalesce(Customer.region, Customer.country)
    return Vocabulary(
        customers=tuple(session.scalars(select(Customer.name).order_by(Customer.name))),
        regions=_distinct(session, select(region).distinct()),
        categories=_distinct(session, select(Product.category).distinct()),
        products=_distinct(session, select(Product.name).distinct()),
        today=latest_activity_date(session),
    )


def _distinct(session: Session, stmt) -> tuple[str, ...]:
    return tuple(sorted(value for value in session.scalars(stmt) if value))
