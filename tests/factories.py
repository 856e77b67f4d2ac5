"""Small builders for test data; each returns the row it added."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from sqlalchemy.orm import Session

from storage.models import Customer, Product, Quote, QuoteItem, SalesRep

_numbers = itertools.count(1)


def make_rep(session: Session, name: str, role: str = "rep", team="sales") -> SalesRep:
    email = name.lower().replace(" ", ".") + "@example.com"
    rep = SalesRep(name=name, email=email, role=role, team=team)
    session.add(rep)
    session.flush()
    return rep


def make_customer(
    session: Session, name: str, owner: SalesRep | None, region: str | None = None
) -> Customer:
    customer = Customer(
        name=name, owner_rep_id=owner.id if owner else None, region=region
    )
    session.add(customer)
    session.flush()
    return customer


def make_quote(
    session: Session,
    customer: Customer,
    created_at: dt.date | dt.datetime,
    status: str = "accepted",
    total: str = "1000.00",
) -> Quote:
    if not isinstance(created_at, dt.datetime):
        created_at = dt.datetime.combine(created_at, dt.time(10))
    quote = Quote(
        quote_number=f"T-{next(_numbers):06d}",
        customer_id=customer.id,
        rep_id=customer.owner_rep_id,
        status=status,
        created_at=created_at,
        subtotal=Decimal(total),
        total=Decimal(total),
        source="test",
    )
    session.add(quote)
    session.flush()
    return quote


def make_orders(
    session: Session, customer: Customer, last: dt.date, every_days: int, count: int
) -> None:
    """``count`` accepted orders, ``every_days`` apart, the newest on ``last``."""
    for index in range(count):
        make_quote(session, customer, last - dt.timedelta(days=every_days * index))


def make_product(session: Session, name: str, category: str | None) -> Product:
    sku = name.upper().replace(" ", "-")
    product = Product(sku=sku, name=name, category=category, list_price=Decimal(100))
    session.add(product)
    session.flush()
    return product


def add_line(session: Session, quote: Quote, product: Product, total: str) -> None:
    """One line of ``quote`` selling ``product`` for ``total``, undiscounted."""
    session.add(
        QuoteItem(
            quote_id=quote.id,
            product_id=product.id,
            quantity=1,
            unit_price=Decimal(total),
            line_total=Decimal(total),
        )
    )
    session.flush()


def make_team(session: Session) -> dict[str, SalesRep]:
    """Dana Whitfield, the sales manager, and her reps Alex Rivera and Priya Nair."""
    dana = make_rep(session, "Dana Whitfield", role="manager")
    reps = {name: make_rep(session, name) for name in ("Alex Rivera", "Priya Nair")}
    return {"Dana Whitfield": dana} | reps


def make_book(
    session: Session, today: dt.date, team: dict[str, SalesRep] | None = None
) -> dict[str, Customer]:
    """Each rep of ``team`` owns ``<First> Slipping Ltd`` and ``<First> Healthy Inc``.

    Both accounts ordered every two weeks, eight times; the healthy one's last
    order is on ``today``, the slipping one's sixty days before. Without a
    ``team``, Alex Rivera and Priya Nair are added, with no manager. Returns
    the accounts by name.
    """
    if team is None:
        team = {name: make_rep(session, name) for name in ("Alex Rivera", "Priya Nair")}
    reps = [rep for rep in team.values() if rep.role == "rep"]

    accounts = {}
    for rep in reps:
        first = rep.name.split()[0]
        slipping = make_customer(session, f"{first} Slipping Ltd", rep)
        make_orders(session, slipping, today - dt.timedelta(days=60), 14, 8)
        healthy = make_customer(session, f"{first} Healthy Inc", rep)
        make_orders(session, healthy, today, 14, 8)
        accounts |= {slipping.name: slipping, healthy.name: healthy}
    return accounts
