"""Money as answers show it: short, with the book's currency symbol."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pandas as pd

CURRENCY_SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€"}


def book_currency(quotes: pd.DataFrame) -> str:
    """The currency most quotes are in; USD for an empty book."""
    if "currency" not in quotes or quotes.empty:
        return "USD"
    return str(quotes["currency"].mode().iloc[0])


def money_formatter(currency: str) -> Callable[[float], str]:
    """A formatter for ``currency``: $950, $12k, $1.20M."""
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ")

    def money(value: float) -> str:
        if abs(value) >= 1e6:
            return f"{symbol}{value / 1e6:.2f}M"
        if abs(value) >= 1e4:
            return f"{symbol}{value / 1e3:.0f}k"
        return f"{symbol}{value:,.0f}"

    return money


def exact_money(value: float | Decimal, currency: str) -> str:
    """An amount to the cent, as a quote document shows it: $2,280.00."""
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    return f"{'-' if value < 0 else ''}{symbol}{abs(value):,.2f}"
