"""One sentence that says what a quote is, from its structured data alone.

The sentence is deterministic, so the same quote always reads the same:
"Q-2026-0042 for Acme Corp: 3 lines, $12,400 after 10% off, sent 12 days ago
by Alex Rivera, waiting on the customer."
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class QuoteFacts:
    """What a summary is made of; money in the quote's currency."""

    quote_number: str
    customer: str
    status: str
    created_at: dt.datetime
    lines: int
    units: int
    subtotal: float
    discount_pct: float
    total: float
    rep: str | None = None
    decided_at: dt.datetime | None = None
    valid_until: dt.date | None = None


def plain_money(value: float) -> str:
    return f"{value:,.0f}"


def summarise_quote(
    quote: QuoteFacts, as_of: dt.date, money: Callable[[float], str] = plain_money
) -> str:
    """The quote in one sentence, its age counted to ``as_of``."""
    return (
        f"{quote.quote_number} for {quote.customer}: {_size(quote)}, "
        f"{_price(quote, money)}, {_progress(quote, as_of)}."
    )


def age_days(quote: QuoteFacts, as_of: dt.date) -> int:
    return max((as_of - quote.created_at.date()).days, 0)


def _size(quote: QuoteFacts) -> str:
    lines = _count(quote.lines, "line")
    return lines if quote.units <= quote.lines else f"{lines} ({quote.units:,} units)"


def _price(quote: QuoteFacts, money) -> str:
    if quote.discount_pct > 0:
        return f"{money(quote.total)} after {quote.discount_pct:g}% off"
    return f"{money(quote.total)} at list price"


def _progress(quote: QuoteFacts, as_of: dt.date) -> str:
    by = f" by {quote.rep}" if quote.rep else ""
    when = _ago(age_days(quote, as_of))
    if quote.status == "draft":
        return f"drafted {when}{by}, not sent yet"
    if quote.status == "sent":
        return f"sent {when}{by}, {_waiting(quote, as_of)}"
    decided = _decided(quote)
    return f"sent {when}{by}, {quote.status}{decided}"


def _waiting(quote: QuoteFacts, as_of: dt.date) -> str:
    if quote.valid_until is None:
        return "waiting on the customer"
    left = (quote.valid_until - as_of).days
    if left < 0:
        return f"waiting on the customer though it lapsed {_ago(-left)}"
    return f"waiting on the customer, valid for {_count(left, 'more day')}"


def _decided(quote: QuoteFacts) -> str:
    if quote.decided_at is None:
        return ""
    days = (quote.decided_at.date() - quote.created_at.date()).days
    return f" {_count(days, 'day')} later" if days > 0 else " the same day"


def _ago(days: int) -> str:
    return {0: "today", 1: "yesterday"}.get(days, f"{days} days ago")


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
