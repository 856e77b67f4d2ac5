"""Quote numbers of the form ``Q-YYYY-NNNN``, unique under concurrent writers.

Each year has a counter row. Taking a number increments that row inside the
caller's transaction, so PostgreSQL's row lock (and SQLite's single writer)
make concurrent drafts wait for each other instead of colliding. Numbers that
already exist, for instance from an imported file, are skipped.
"""

from __future__ import annotations

from sqlalchemy import exists, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import Quote, QuoteNumberCounter


def format_quote_number(year: int, sequence: int) -> str:
    return f"Q-{year}-{sequence:04d}"


def next_quote_number(session: Session, year: int) -> str:
    """Reserve the next free quote number of ``year`` in the session's transaction."""
    _ensure_counter(session, year)
    while True:
        sequence = session.execute(
            update(QuoteNumberCounter)
            .where(QuoteNumberCounter.year == year)
            .values(last_value=QuoteNumberCounter.last_value + 1)
            .returning(QuoteNumberCounter.last_value)
        ).scalar_one()
        number = format_quote_number(year, sequence)
        taken = session.scalar(select(exists().where(Quote.quote_number == number)))
        if not taken:
            return number


def _ensure_counter(session: Session, year: int) -> None:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(QuoteNumberCounter)
        .values(year=year, last_value=0)
        .on_conflict_do_nothing(index_elements=["year"])
    )
