"""Writing a validated import in bulk, the same way for every file format.

An importer reads and validates a whole file first and describes what it holds
as an ``ImportBatch`` keyed by natural keys only (rep emails, customer names,
SKUs, quote numbers). ``write_batch`` then refuses quote numbers the store
already has, reuses the reps, customers and products that exist, creates the
others, and inserts quotes and their lines with Core ``INSERT`` statements over
lists of rows, never one ORM object per line. Everything happens in the caller's
transaction, so an error leaves the store as it was.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, Table, func, insert, select
from sqlalchemy.orm import Session

from storage.errors import ImportFileError
from storage.importers.report import ImportReport
from storage.models import Customer, Product, Quote, QuoteItem, SalesRep
from storage.quote_math import line_total, quote_totals

logger = logging.getLogger(__name__)

LOOKUP_CHUNK = 500
PROGRESS_STEP = 5_000

Progress = Callable[[int], None]


@dataclass
class ImportBatch:
    """Everything a validated file will write, by natural keys.

    ``reps``: dicts of ``email`` (lower case), ``name``, ``role``, ``team``.
    ``customers``: dicts of ``name``, ``external_id``, ``country``, ``owner_email``.
    ``products``: dicts of ``sku``, ``name``, ``list_price``.
    ``quotes``: dicts of ``quote_number``, ``line`` (first file line, for errors),
    ``customer`` (a customer name), ``rep_email`` (None: the customer's owner)
    and the remaining ``quotes`` columns except totals, which are computed here.
    ``items``: one row per imported line, sorted by ``row`` (0-based record
    number), with ``quote_number, sku, quantity, unit_price, discount_pct``.
    """

    path: str
    lines_read: int
    skipped: dict[str, int]
    reps: list[dict[str, Any]]
    customers: list[dict[str, Any]]
    products: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    items: pd.DataFrame


def write_batch(
    session: Session, batch: ImportBatch, progress: Progress | None, started: float
) -> ImportReport:
    """Write ``batch`` in the session's transaction and report what was done."""
    _refuse_known_quote_numbers(session, batch)

    rep_ids, reps_created = _ensure_reps(session, batch.reps)
    customers, customers_created = _ensure_customers(session, batch.customers, rep_ids)
    product_ids, products_created = _ensure_products(session, batch.products)

    line_totals = _line_totals(batch.items)
    quote_ids = _insert_quotes(session, batch, customers, rep_ids, line_totals)
    _insert_items(session, batch, quote_ids, product_ids, line_totals, progress)

    return ImportReport(
        lines_read=batch.lines_read,
        lines_imported=len(batch.items),
        skipped=dict(batch.skipped),
        quotes=len(quote_ids),
        customers_created=customers_created,
        products_created=products_created,
        reps_created=reps_created,
        seconds=time.perf_counter() - started,
    )


def _refuse_known_quote_numbers(session: Session, batch: ImportBatch) -> None:
    lines = {quote["quote_number"]: quote["line"] for quote in batch.quotes}
    rows = _select_in(session, [Quote.quote_number], Quote.quote_number, lines)
    known = {number for (number,) in rows}
    if not known:
        return

    first = min(known, key=lines.__getitem__)
    others = f" (and {len(known) - 1:,} more)" if len(known) > 1 else ""
    raise ImportFileError(
        batch.path,
        lines[first],
        f"quote {first}{others} is already in the store; the file, or part of it, "
        "was imported before, and importing a quote twice is refused",
    )


def _ensure_reps(
    session: Session, reps: list[dict[str, Any]]
) -> tuple[dict[str, int], int]:
    email = func.lower(SalesRep.email)
    emails = [rep["email"] for rep in reps]
    ids = dict(_select_in(session, [email, SalesRep.id], email, emails))

    missing = [rep for rep in reps if rep["email"] not in ids]
    ids |= _insert_with_ids(session, SalesRep.__table__, missing, "email")
    return ids, len(missing)


def _ensure_customers(
    session: Session, customers: list[dict[str, Any]], rep_ids: dict[str, int]
) -> tuple[dict[str, tuple[int, int | None]], int]:
    """Customer name -> (id, owner rep id); matched by external id, then name."""
    found = _existing_customers(session, customers)

    missing = [customer for customer in customers if customer["name"] not in found]
    rows = [
        {
            "name": customer["name"],
            "external_id": customer["external_id"],
            "country": customer["country"],
            "owner_rep_id": rep_ids[customer["owner_email"]],
        }
        for customer in missing
    ]
    ids = _insert_with_ids(session, Customer.__table__, rows, "name")

    found |= {row["name"]: (ids[row["name"]], row["owner_rep_id"]) for row in rows}
    return found, len(missing)


def _existing_customers(
    session: Session, customers: list[dict[str, Any]]
) -> dict[str, tuple[int, int | None]]:
    columns = [Customer.external_id, Customer.name, Customer.id, Customer.owner_rep_id]
    external_ids = [c["external_id"] for c in customers if c["external_id"]]
    by_external_id = {
        row[0]: row[2:]
        for row in _select_in(session, columns, Customer.external_id, external_ids)
    }
    names = [c["name"] for c in customers]
    by_name = {
        row[1]: row[2:] for row in _select_in(session, columns, Customer.name, names)
    }

    found = {}
    for customer in customers:
        match = by_external_id.get(customer["external_id"]) or by_name.get(
            customer["name"]
        )
        if match is not None:
            found[customer["name"]] = tuple(match)
    return found


def _ensure_products(
    session: Session, products: list[dict[str, Any]]
) -> tuple[dict[str, int], int]:
    skus = [product["sku"] for product in products]
    ids = dict(_select_in(session, [Product.sku, Product.id], Product.sku, skus))

    missing = [product for product in products if product["sku"] not in ids]
    ids |= _insert_with_ids(session, Product.__table__, missing, "sku")
    return ids, len(missing)


def _line_totals(items: pd.DataFrame) -> list[Decimal]:
    return [
        line_total(quantity, unit_price, discount_pct)
        for quantity, unit_price, discount_pct in zip(
            items["quantity"].tolist(),
            items["unit_price"].tolist(),
            items["discount_pct"].tolist(),
            strict=True,
        )
    ]


def _insert_quotes(
    session: Session,
    batch: ImportBatch,
    customers: dict[str, tuple[int, int | None]],
    rep_ids: dict[str, int],
    line_totals: list[Decimal],
) -> dict[str, int]:
    totals = _quote_totals(batch.items["quote_number"].tolist(), line_totals)
    rows = []
    for quote in batch.quotes:
        row = {k: v for k, v in quote.items() if k not in ("line", "customer")}
        customer_id, owner_rep_id = customers[quote["customer"]]
        rep_email = row.pop("rep_email")
        row["customer_id"] = customer_id
        row["rep_id"] = rep_ids[rep_email] if rep_email else owner_rep_id
        row["subtotal"], row["total"] = totals[quote["quote_number"]]
        row["discount_pct"] = Decimal(0)
        rows.append(row)
    return _insert_with_ids(session, Quote.__table__, rows, "quote_number")


def _quote_totals(
    numbers: Sequence[str], line_totals: Sequence[Decimal]
) -> dict[str, tuple[Decimal, Decimal]]:
    lines_by_quote: dict[str, list[Decimal]] = defaultdict(list)
    for number, total in zip(numbers, line_totals, strict=True):
        lines_by_quote[number].append(total)
    return {number: quote_totals(lines) for number, lines in lines_by_quote.items()}


def _insert_items(
    session: Session,
    batch: ImportBatch,
    quote_ids: dict[str, int],
    product_ids: dict[str, int],
    line_totals: list[Decimal],
    progress: Progress | None,
) -> None:
    items = batch.items
    rows = [
        {
            "quote_id": quote_id,
            "product_id": product_id,
            "quantity": quantity,
            "unit_price": unit_price,
            "discount_pct": discount_pct,
            "line_total": total,
        }
        for quote_id, product_id, quantity, unit_price, discount_pct, total in zip(
            items["quote_number"].map(quote_ids).tolist(),
            items["sku"].map(product_ids).tolist(),
            items["quantity"].tolist(),
            items["unit_price"].tolist(),
            items["discount_pct"].tolist(),
            line_totals,
            strict=True,
        )
    ]

    record_numbers = items["row"].to_numpy()
    for first_row, last_row in _row_ranges(batch.lines_read):
        start, stop = np.searchsorted(record_numbers, [first_row, last_row])
        if stop > start:
            session.execute(insert(QuoteItem.__table__), rows[start:stop])
        if progress is not None:
            progress(last_row - first_row)


def _row_ranges(lines_read: int) -> Iterator[tuple[int, int]]:
    """Consecutive [first, last) record ranges of ``PROGRESS_STEP`` covering all."""
    for first in range(0, lines_read, PROGRESS_STEP):
        yield first, min(first + PROGRESS_STEP, lines_read)


def _select_in(
    session: Session,
    columns: list[Any],
    key: ColumnElement[Any],
    values: Iterable[Any],
) -> Iterator[tuple[Any, ...]]:
    """Rows of ``columns`` whose ``key`` is one of ``values``, in small IN lists."""
    values = list(dict.fromkeys(values))
    for start in range(0, len(values), LOOKUP_CHUNK):
        chunk = values[start : start + LOOKUP_CHUNK]
        yield from session.execute(select(*columns).where(key.in_(chunk)))


def _insert_with_ids(
    session: Session, table: Table, rows: list[dict[str, Any]], key: str
) -> dict[Any, int]:
    """Insert ``rows`` under ids reserved up front; map each ``key`` value to its id.

    Plain ``executemany`` with the ids in hand is several times faster than
    ``INSERT ... RETURNING`` over many rows, on PostgreSQL above all.
    """
    if not rows:
        return {}
    ids = _reserve_ids(session, table, len(rows))
    session.execute(
        insert(table), [{**row, "id": id_} for row, id_ in zip(rows, ids, strict=True)]
    )
    return {row[key]: id_ for row, id_ in zip(rows, ids, strict=True)}


def _reserve_ids(session: Session, table: Table, count: int) -> list[int]:
    """``count`` unused ids of ``table``.

    PostgreSQL takes them from the column's sequence, so concurrent writers never
    get the same ones and the sequence stays ahead of them. SQLite takes the ids
    after the largest; should another writer take one first, the insert fails on
    the primary key and the transaction rolls back, nothing is overwritten.
    """
    if session.get_bind().dialect.name == "postgresql":
        sequence = func.pg_get_serial_sequence(table.name, "id")
        numbers = select(func.nextval(sequence)).select_from(
            func.generate_series(1, count)
        )
        return sorted(session.scalars(numbers))
    start = (session.scalar(select(func.max(table.c.id))) or 0) + 1
    return list(range(start, start + count))
