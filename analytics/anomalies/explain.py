"""Why a quote is unusual, in its own numbers and words a rep uses.

Each reason compares one number of the quote with what is usual for it:
the customer's earlier quotes, the rep's, or list prices. A reason is given
only when the number crosses a plain threshold (twice the usual size, ten
points more discount than usual, 15% off list...); the rep's usual size is
mentioned only when the account's is not. Reasons are ordered
by how far the number is from the training quotes' median, in robust
standard deviations (``QuoteAnomalyModel.medians_`` and ``spreads_``). At
most ``MAX_REASONS`` are given, for example:

    "4.2 times Acme Corp's usual quote ($12k); 38% discount where Alex
    Rivera usually gives 5%; unit prices 55% below list"
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from analytics.anomalies.model import QuoteAnomalyModel

MAX_REASONS = 3
BIG_QUOTE = 2.0
SMALL_QUOTE = 0.25
BIG_FOR_REP = 3.0
EXTRA_DISCOUNT_POINTS = 10.0
BELOW_LIST = 0.85
ABOVE_LIST = 1.2
MANY_TIMES_LIST = 3.0
FAR = 3.0
FALLBACK = "an unusual combination of size, discount and prices for this account"

KINDS = {
    "large_for_account": "large for the account",
    "small_for_account": "small for the account",
    "large_for_rep": "large for the rep",
    "discount": "discount above usual",
    "below_list": "priced below list",
    "above_list": "priced above list",
    "lines": "many lines",
    "mix": "unusual mix",
}

Money = Callable[[float], str]
Reason = tuple[float, str, str]  # how far from usual, kind, words


def explain_quote(
    model: QuoteAnomalyModel, quote: pd.Series, money: Money | None = None
) -> list[str]:
    """The reasons ``quote`` is unusual, most telling first.

    ``reasons_with_kinds`` gives the same reasons with their kind.

    Parameters
    ----------
    model : QuoteAnomalyModel
        Fitted; its medians and spreads order the reasons.
    quote : Series
        One row of ``quote_features`` (features and context).
    money : callable, optional
        Formats an amount ("$12k"); plain thousands-separated by default.

    Returns
    -------
    list of str
        At most ``MAX_REASONS`` phrases; ``[FALLBACK]`` when no single
        number crosses its threshold.
    """
    return [text for _, text in reasons_with_kinds(model, quote, money)]


def reasons_with_kinds(
    model: QuoteAnomalyModel, quote: pd.Series, money: Money | None = None
) -> list[tuple[str, str]]:
    """``(kind, words)`` of each reason, most telling first; kinds as in ``KINDS``."""
    money = money or _plain_money
    far = _distances(model, quote)
    size = _size(quote, far, money)
    reasons = [
        *size,
        *_discount(quote, far),
        *_price(quote, far),
        *([] if size else _size_for_rep(quote, far, money)),
        *_lines(model, quote, far),
    ]
    reasons.sort(key=lambda reason: -reason[0])
    return [(kind, text) for _, kind, text in reasons[:MAX_REASONS]] or [
        ("mix", FALLBACK)
    ]


def describe_reasons(reasons: list[str]) -> str:
    """The reasons as one sentence fragment: "a; b; c"."""
    return "; ".join(reasons)


def _distances(model: QuoteAnomalyModel, quote: pd.Series) -> pd.Series:
    values = quote[model.medians_.index].astype(float)
    return ((values - model.medians_) / model.spreads_).abs()


def _size(quote: pd.Series, far: pd.Series, money: Money) -> list[Reason]:
    median = quote.get("customer_median")
    if not _present(median) or median <= 0:
        return []
    ratio = float(quote["total"]) / float(median)
    customer = quote.get("customer") or "the customer"
    usual = f"{possessive(customer)} usual quote ({money(float(median))})"
    if ratio >= BIG_QUOTE:
        return [
            (far["size_vs_customer"], "large_for_account", f"{ratio:.1f} times {usual}")
        ]
    if ratio <= SMALL_QUOTE:
        return [
            (
                far["size_vs_customer"],
                "small_for_account",
                f"only {ratio:.0%} of {usual}",
            )
        ]
    return []


def _discount(quote: pd.Series, far: pd.Series) -> list[Reason]:
    extra = float(quote["discount_vs_rep"])
    if extra < EXTRA_DISCOUNT_POINTS:
        return []
    rep = quote.get("rep") or "the rep"
    usual = float(quote["rep_usual_discount"])
    text = (
        f"{quote['discount_pct']:.0f}% discount where {rep} usually gives {usual:.0f}%"
    )
    return [(far["discount_vs_rep"], "discount", text)]


def _price(quote: pd.Series, far: pd.Series) -> list[Reason]:
    ratio = float(quote["price_to_list"])
    if ratio <= BELOW_LIST:
        return [
            (
                far["price_to_list"],
                "below_list",
                f"unit prices {1 - ratio:.0%} below list",
            )
        ]
    if ratio >= MANY_TIMES_LIST:
        return [
            (far["price_to_list"], "above_list", f"unit prices {ratio:,.0f} times list")
        ]
    if ratio >= ABOVE_LIST:
        return [
            (
                far["price_to_list"],
                "above_list",
                f"unit prices {ratio - 1:.0%} above list",
            )
        ]
    return []


def _size_for_rep(quote: pd.Series, far: pd.Series, money: Money) -> list[Reason]:
    median = quote.get("rep_median")
    if not _present(median) or median <= 0:
        return []
    ratio = float(quote["total"]) / float(median)
    if ratio < BIG_FOR_REP:
        return []
    rep = quote.get("rep") or "the rep"
    text = f"{ratio:.1f} times {possessive(rep)} usual quote ({money(float(median))})"
    return [(far["size_vs_rep"], "large_for_rep", text)]


def _lines(model: QuoteAnomalyModel, quote: pd.Series, far: pd.Series) -> list[Reason]:
    usual = float(model.medians_["lines"])
    if far["lines"] < FAR or quote["lines"] <= usual:
        return []
    text = f"{quote['lines']:.0f} lines where a quote usually has {usual:.0f}"
    return [(far["lines"], "lines", text)]


def possessive(name: str) -> str:
    """The possessive of a name: Acme Corp's, Northwind Traders'."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _plain_money(value: float) -> str:
    return f"{value:,.0f}" if np.isfinite(value) else "?"
