"""The searches behind a search-as-you-type picker: accounts to quote, products.

A picker asks again at every keystroke, so each search is one query that
holds ``typed`` in any case (``%`` and ``_`` are plain letters), names
starting with it first. A rep finds only their own accounts, a manager the
team's (``tools.people.account_scope``); a misspelt name with no match
falls back to the closest names by spelling.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process, utils
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from storage.models import Customer, Product
from tools.people import Requester, account_scope

FUZZY_CUTOFF = 70
"""A misspelt name ('inetch', 'glbex') scores 72-90 against the intended one
and at most 68 against the demo store's others."""
FUZZY_LIMIT = 10


def matching_customers(
    session: Session, requester: Requester, typed: str, limit: int
) -> list[tuple[int, str]]:
    """``(id, name)`` of the accounts the requester may quote holding ``typed``.

    With no such name, the closest names by spelling, so a typo still finds
    the account.
    """
    scope = account_scope(session, requester, "team")
    query = select(Customer.id, Customer.name)
    if scope.rep_ids is not None:
        query = query.where(Customer.owner_rep_id.in_(scope.rep_ids))
    wanted = typed.strip().lower()

    holding = query.where(_holds(Customer.name, wanted))
    rows = _starting_first(session, holding, Customer.name, wanted, limit)
    if rows:
        return rows
    return _closest(session, query, wanted)


def matching_products(
    session: Session, typed: str, limit: int
) -> list[tuple[str, str]]:
    """``(sku, name)`` of the active products whose name or SKU holds ``typed``."""
    wanted = typed.strip().lower()
    query = select(Product.sku, Product.name).where(
        Product.active.is_(True),
        or_(_holds(Product.name, wanted), _holds(Product.sku, wanted)),
    )
    return _starting_first(session, query, Product.name, wanted, limit)


def _holds(column, wanted: str):
    """``column`` holds ``wanted`` in any case; ``%`` and ``_`` are plain letters."""
    return func.lower(column).contains(wanted, autoescape=True)


def _starting_first(session, query, column, wanted: str, limit: int) -> list:
    """The first ``limit`` rows, names starting with ``wanted`` first."""
    starts = case((func.lower(column).startswith(wanted, autoescape=True), 0), else_=1)
    rows = session.execute(query.order_by(starts, column).limit(limit))
    return [tuple(row) for row in rows]


def _closest(session, query, wanted: str) -> list[tuple[int, str]]:
    rows = {name: id_ for id_, name in session.execute(query)}
    ranked = process.extract(
        wanted,
        list(rows),
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=FUZZY_LIMIT,
        score_cutoff=FUZZY_CUTOFF,
    )
    return [(rows[name], name) for name, _, _ in ranked]
