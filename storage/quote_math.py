"""Exact money arithmetic for quote lines and totals."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def to_money(value: Decimal | int | str) -> Decimal:
    """Round to cents, half up, as invoices do."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def line_total(quantity: int, unit_price: Decimal, discount_pct: Decimal) -> Decimal:
    """Quantity times unit price, less the line's discount, in cents."""
    return to_money(quantity * unit_price * (1 - discount_pct / HUNDRED))


def quote_totals(
    line_totals: Iterable[Decimal], discount_pct: Decimal = Decimal(0)
) -> tuple[Decimal, Decimal]:
    """The subtotal of the lines and the total after the quote-level discount."""
    subtotal = to_money(sum(line_totals, Decimal(0)))
    return subtotal, to_money(subtotal * (1 - discount_pct / HUNDRED))
