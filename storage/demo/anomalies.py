"""Anomalous quotes planted among the ordinary ones, with what makes them odd.

About 1.5 % of the quotes of established accounts are changed into one of
three kinds, in equal numbers:

``oversized``
    Quantities scaled so the quote is 5-10x the account's median quote
    (``factor`` is the realised multiple of that median, at list prices).
``deep_discount``
    A quote discount of 35-60 %, far beyond any level reps usually offer
    (``factor`` is the discount in percent).
``below_list_price``
    Every line priced at 25-50 % of list (``factor`` is that fraction).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import numpy as np

from storage.demo.catalog import PRODUCTS
from storage.demo.quotes import DemoQuote, quotes_by_account

ANOMALY_SHARE = 0.015
ANOMALY_KINDS = ("oversized", "deep_discount", "below_list_price")
MIN_ACCOUNT_QUOTES = 4
RECENT_DAYS_EXCLUDED = 14


def plant_anomalies(
    rng: np.random.Generator, quotes: list[DemoQuote], accounts: int, today: dt.date
) -> list[int]:
    """Turn some quotes into anomalies in place; return their indexes, sorted."""
    grouped = quotes_by_account(quotes, accounts)
    eligible = _eligible(quotes, grouped, today)
    wanted = max(len(ANOMALY_KINDS), round(ANOMALY_SHARE * len(quotes)))
    count = min(len(eligible), wanted)

    chosen = np.sort(rng.choice(eligible, size=count, replace=False))
    kinds = [ANOMALY_KINDS[i % len(ANOMALY_KINDS)] for i in rng.permutation(count)]
    positions = rng.random(count)
    medians = _median_list_values(quotes, grouped, set(chosen.tolist()))

    for index, kind, position in zip(chosen, kinds, positions, strict=True):
        quote = quotes[index]
        _plant(quote, kind, position, medians[quote.account])
    return [int(i) for i in chosen]


def _plant(quote: DemoQuote, kind: str, position: float, median: float) -> None:
    """Make ``quote`` an anomaly of ``kind``; ``position`` in [0, 1) sets how odd."""
    if kind == "oversized":
        _oversize(quote, 5 + 5 * position, median)
    elif kind == "deep_discount":
        _deepen_discount(quote, 35 + 25 * position)
    else:
        _price_below_list(quote, 0.25 + 0.25 * position)


def _eligible(
    quotes: list[DemoQuote], grouped: list[list[int]], today: dt.date
) -> list[int]:
    """Quotes of accounts with a usual size, past their first, not too recent."""
    cutoff = today - dt.timedelta(days=RECENT_DAYS_EXCLUDED)
    return [
        index
        for indexes in grouped
        if len(indexes) >= MIN_ACCOUNT_QUOTES
        for index in indexes[1:]
        if quotes[index].created_at.date() < cutoff
    ]


def _median_list_values(
    quotes: list[DemoQuote], grouped: list[list[int]], excluded: set[int]
) -> list[float]:
    return [
        float(np.median([float(quotes[i].list_value) for i in g if i not in excluded]))
        if g
        else 0.0
        for g in grouped
    ]


def _oversize(quote: DemoQuote, factor: float, median: float) -> None:
    multiple = max(1.0, factor * median / float(quote.list_value))
    for line in quote.lines:
        line.quantity = max(1, math.ceil(line.quantity * multiple))
    quote.anomaly = "oversized"
    quote.anomaly_factor = round(float(quote.list_value) / median, 2)


def _deepen_discount(quote: DemoQuote, discount: float) -> None:
    quote.discount_pct = Decimal(round(discount * 2) / 2).quantize(Decimal("0.1"))
    quote.anomaly = "deep_discount"
    quote.anomaly_factor = float(quote.discount_pct)


def _price_below_list(quote: DemoQuote, fraction: float) -> None:
    share = Decimal(str(round(fraction, 2)))
    for line in quote.lines:
        line.unit_price = (PRODUCTS[line.product].list_price * share).quantize(
            Decimal("0.0001")
        )
    quote.anomaly = "below_list_price"
    quote.anomaly_factor = float(share)
