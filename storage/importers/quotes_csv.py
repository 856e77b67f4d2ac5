"""Importing quotes from a CSV file with one row per quote line.

The header names the columns ``quote_number, created_at, status, customer,
rep_email, sku, product, quantity, unit_price, discount_pct, notes`` (in any
order). Rows with the same ``quote_number`` form one quote and must agree on
``created_at, status, customer, rep_email``; their non-empty ``notes`` become the
quote's notes. ``discount_pct`` is per line and may be empty (no discount).

Reps are matched by email (case-insensitive) and created with a name taken from
the address ("jane.doe@x.com" is Jane Doe); customers are matched by name and a
new one is owned by the rep of its first quote; products are matched by SKU and
a new one takes the name and unit price of its first line. The whole file is
checked before anything is written; a quote number already in the store is
refused, so importing a file twice changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from storage.errors import ImportFileError
from storage.importers._bulk import ImportBatch, Progress, write_batch
from storage.importers._files import open_text
from storage.importers.report import ImportReport
from storage.models import QuoteNumberCounter, QuoteStatus, Role

logger = logging.getLogger(__name__)

COLUMNS = (
    "quote_number",
    "created_at",
    "status",
    "customer",
    "rep_email",
    "sku",
    "product",
    "quantity",
    "unit_price",
    "discount_pct",
    "notes",
)
QUOTE_COLUMNS = ("created_at", "status", "customer", "rep_email")
MAX_LENGTHS = {
    "quote_number": 32,
    "customer": 300,
    "rep_email": 320,
    "sku": 64,
    "product": 300,
}
STATUSES = tuple(status.value for status in QuoteStatus)
DECIDED_STATUSES = (QuoteStatus.ACCEPTED.value, QuoteStatus.REJECTED.value)
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
NAME_SEPARATORS = re.compile(r"[._+-]+")
WHOLE_NUMBER = re.compile(r"[+-]?\d+")
COUNTED_QUOTE_NUMBER = re.compile(r"Q-(\d{4})-(\d{4,})")
MAX_QUANTITY = 2**31 - 1
MAX_UNIT_PRICE = Decimal(10) ** 10
SOURCE = "csv"


class _Problem(Exception):
    """What is wrong with one field; becomes an ``ImportFileError`` with the line."""


@dataclass(frozen=True)
class _Line:
    """One row of the file, validated and typed."""

    row: int
    line: int
    quote_number: str
    created_at: dt.datetime
    status: str
    customer: str
    rep_email: str
    sku: str
    product: str
    quantity: int
    unit_price: Decimal
    discount_pct: Decimal
    notes: str


def import_quotes_csv(
    session: Session, path: str | Path, *, progress: Progress | None = None
) -> ImportReport:
    """Import a quotes CSV file (plain or gzip-compressed) into the store.

    A malformed file raises ``ImportFileError`` naming the first bad line, and so
    does a quote number already in the store; nothing is written then.
    ``progress(n)`` is called every few thousand lines written. Runs in the
    caller's transaction; quote number counters are moved past imported
    ``Q-YYYY-NNNN`` numbers so later drafts do not collide with them.
    """
    started = time.perf_counter()
    path = Path(path)

    lines, skipped, lines_read = _read(path)
    batch = _batch(path, lines, skipped, lines_read)

    report = write_batch(session, batch, progress, started)
    _advance_counters(session, [quote["quote_number"] for quote in batch.quotes])
    logger.info(
        "imported %s quote lines from %s as %s quotes in %.1f s",
        report.lines_imported,
        path,
        report.quotes,
        report.seconds,
    )
    return report


# --- reading and validating -------------------------------------------------


def _read(path: Path) -> tuple[list[_Line], dict[str, int], int]:
    """The file's lines, the skipped blank lines, and the number of lines read."""
    lines: list[_Line] = []
    blank = 0
    try:
        for row, (line, record) in enumerate(_records(path)):
            if record is None:
                blank += 1
                continue
            lines.append(_parse_line(path, row, line, record))
    except UnicodeDecodeError:
        problem = "the file is not UTF-8 text; save it as UTF-8 CSV"
        raise ImportFileError(str(path), None, problem) from None

    skipped = {"blank line": blank} if blank else {}
    return lines, skipped, len(lines) + blank


def _records(path: Path) -> Iterator[tuple[int, dict[str, str] | None]]:
    """(first line, fields by column) per record; None for a blank line."""
    with open_text(path) as text:
        reader = csv.reader(text)
        header = _header(path, next(reader, None))
        end = reader.line_num
        while True:
            line = end + 1
            try:
                record = next(reader, None)
            except csv.Error as error:
                raise ImportFileError(str(path), line, f"bad CSV: {error}") from None
            if record is None:
                return
            end = reader.line_num
            yield line, _fields(path, line, header, record)


def _header(path: Path, header: list[str] | None) -> list[str]:
    if header is None:
        problem = f"the file is empty; expected a header with {', '.join(COLUMNS)}"
        raise ImportFileError(str(path), 1, problem)

    columns = [column.strip() for column in header]
    missing = [column for column in COLUMNS if column not in columns]
    unknown = [column for column in columns if column not in COLUMNS]
    repeated = sorted({column for column in columns if columns.count(column) > 1})
    problems = [
        f"{label} {', '.join(repr(name) for name in names)}"
        for label, names in (
            ("missing columns", missing),
            ("unknown columns", unknown),
            ("repeated columns", repeated),
        )
        if names
    ]
    if problems:
        problem = f"the header has {'; '.join(problems)}; expected {', '.join(COLUMNS)}"
        raise ImportFileError(str(path), 1, problem)
    return columns


def _fields(
    path: Path, line: int, header: list[str], record: list[str]
) -> dict[str, str] | None:
    if not any(field.strip() for field in record):
        return None
    if len(record) != len(header):
        problem = f"the line has {len(record)} fields; the header has {len(header)}"
        raise ImportFileError(str(path), line, problem)
    return {column: field.strip() for column, field in zip(header, record, strict=True)}


def _parse_line(path: Path, row: int, line: int, fields: dict[str, str]) -> _Line:
    try:
        return _Line(
            row=row,
            line=line,
            quote_number=_text(fields, "quote_number"),
            created_at=_timestamp(fields["created_at"]),
            status=_status(fields["status"]),
            customer=_text(fields, "customer"),
            rep_email=_email(fields["rep_email"]),
            sku=_text(fields, "sku"),
            product=_text(fields, "product"),
            quantity=_quantity(fields["quantity"]),
            unit_price=_unit_price(fields["unit_price"]),
            discount_pct=_discount_pct(fields["discount_pct"]),
            notes=fields["notes"],
        )
    except _Problem as problem:
        raise ImportFileError(str(path), line, str(problem)) from None


def _text(fields: dict[str, str], column: str) -> str:
    value = fields[column]
    if not value:
        raise _Problem(f"{column} is empty")
    if len(value) > MAX_LENGTHS[column]:
        raise _Problem(
            f"{column} is {len(value)} characters long; "
            f"the most is {MAX_LENGTHS[column]}"
        )
    return value


def _timestamp(value: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise _Problem(
            f"created_at {value!r} is not a date like 2024-03-05 or 2024-03-05 14:30"
        ) from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed


def _status(value: str) -> str:
    status = value.lower()
    if status not in STATUSES:
        raise _Problem(f"status {value!r} is not one of {', '.join(STATUSES)}")
    return status


def _email(value: str) -> str:
    if not EMAIL.fullmatch(value):
        raise _Problem(f"rep_email {value!r} is not an email address")
    if len(value) > MAX_LENGTHS["rep_email"]:
        raise _Problem(f"rep_email {value!r} is too long")
    return value.lower()


def _quantity(value: str) -> int:
    if not WHOLE_NUMBER.fullmatch(value):
        raise _Problem(f"quantity {value!r} is not a whole number")
    quantity = int(value)
    if quantity < 1:
        raise _Problem(f"quantity {quantity} must be at least 1")
    if quantity > MAX_QUANTITY:
        raise _Problem(f"quantity {quantity} is too large")
    return quantity


def _unit_price(value: str) -> Decimal:
    price = _decimal("unit_price", value, places=4)
    if price < 0:
        raise _Problem(f"unit_price {value} must not be negative")
    if price >= MAX_UNIT_PRICE:
        raise _Problem(f"unit_price {value} is too large")
    return price


def _discount_pct(value: str) -> Decimal:
    if not value:
        return Decimal(0)
    discount = _decimal("discount_pct", value, places=2)
    if not 0 <= discount <= 100:
        raise _Problem(f"discount_pct {value} must be between 0 and 100")
    return discount


def _decimal(column: str, value: str, *, places: int) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise _Problem(f"{column} {value!r} is not a number") from None
    if not number.is_finite():
        raise _Problem(f"{column} {value!r} is not a number")
    if -number.as_tuple().exponent > places:
        raise _Problem(f"{column} {value} has more than {places} decimal places")
    return number


# --- building the batch -----------------------------------------------------


def _batch(
    path: Path, lines: list[_Line], skipped: dict[str, int], lines_read: int
) -> ImportBatch:
    quotes = _quotes(path, lines)
    return ImportBatch(
        path=str(path),
        lines_read=lines_read,
        skipped=skipped,
        reps=_reps(lines),
        customers=_customers(lines),
        products=_products(lines),
        quotes=quotes,
        items=_items(lines),
    )


def _quotes(path: Path, lines: list[_Line]) -> list[dict[str, Any]]:
    """One quote per quote number; its rows must agree on the quote's columns."""
    firsts: dict[str, _Line] = {}
    notes: dict[str, list[str]] = {}
    for line in lines:
        first = firsts.setdefault(line.quote_number, line)
        _check_agreement(path, first, line)
        quote_notes = notes.setdefault(line.quote_number, [])
        if line.notes and line.notes not in quote_notes:
            quote_notes.append(line.notes)

    return [
        {
            "quote_number": number,
            "line": first.line,
            "customer": first.customer,
            "rep_email": first.rep_email,
            "status": first.status,
            "created_at": first.created_at,
            "decided_at": (
                first.created_at if first.status in DECIDED_STATUSES else None
            ),
            "notes": "\n".join(notes[number]) or None,
            "source": SOURCE,
        }
        for number, first in firsts.items()
    ]


def _check_agreement(path: Path, first: _Line, line: _Line) -> None:
    for column in QUOTE_COLUMNS:
        here, there = getattr(line, column), getattr(first, column)
        if here != there:
            raise ImportFileError(
                str(path),
                line.line,
                f"quote {line.quote_number} has {column} {str(here)!r} here but "
                f"{str(there)!r} on line {first.line}; the rows of one quote must "
                f"agree on {', '.join(QUOTE_COLUMNS)}",
            )


def _reps(lines: list[_Line]) -> list[dict[str, Any]]:
    emails = dict.fromkeys(line.rep_email for line in lines)
    return [
        {"email": email, "name": rep_name(email), "role": Role.REP.value}
        for email in emails
    ]


def rep_name(email: str) -> str:
    """A person's name from their email address: jane.doe@x.com is Jane Doe."""
    local = email.split("@", 1)[0]
    parts = [part.capitalize() for part in NAME_SEPARATORS.split(local) if part]
    return " ".join(parts) or local


def _customers(lines: list[_Line]) -> list[dict[str, Any]]:
    firsts = {line.customer: line for line in reversed(lines)}
    return [
        {
            "name": name,
            "external_id": None,
            "country": None,
            "owner_email": firsts[name].rep_email,
        }
        for name in dict.fromkeys(line.customer for line in lines)
    ]


def _products(lines: list[_Line]) -> list[dict[str, Any]]:
    firsts = {line.sku: line for line in reversed(lines)}
    return [
        {"sku": sku, "name": firsts[sku].product, "list_price": firsts[sku].unit_price}
        for sku in dict.fromkeys(line.sku for line in lines)
    ]


def _items(lines: list[_Line]) -> pd.DataFrame:
    columns = ("row", "quote_number", "sku", "quantity", "unit_price", "discount_pct")
    return pd.DataFrame(
        {column: [getattr(line, column) for line in lines] for column in columns},
        columns=list(columns),
    )


# --- quote number counters --------------------------------------------------


def _advance_counters(session: Session, numbers: list[str]) -> None:
    """Move each year's counter past the imported ``Q-YYYY-NNNN`` numbers."""
    latest: dict[int, int] = {}
    for number in numbers:
        match = COUNTED_QUOTE_NUMBER.fullmatch(number)
        if match:
            year, sequence = int(match[1]), int(match[2])
            latest[year] = max(latest.get(year, 0), sequence)

    for year, sequence in latest.items():
        counter = session.get(QuoteNumberCounter, year)
        if counter is None:
            session.add(QuoteNumberCounter(year=year, last_value=sequence))
        elif counter.last_value < sequence:
            counter.last_value = sequence
    session.flush()
