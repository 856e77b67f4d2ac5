"""Entities pulled out of a message, under the keys of the design's intent table.

Numbers, horizons, model names, scope, money, discounts and the frequency,
channel and report of a subscription come from the words alone; customers,
regions, product categories, products and the items of an order ("3 rack servers
and 10 onboarding hours") are matched against the names the store knows
(``tools.names.Vocabulary``) when one is given. Money, discounts and quote
numbers are read first and blanked out, so "$12,000" or "10% off" is never
taken for a quantity or a count of accounts.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from bot.nlu.items import find_items
from bot.nlu.mentions import NameIndex
from bot.nlu.numbers import blank, find_discount, find_money
from bot.nlu.periods import parse_period
from bot.nlu.schedules import find_channel, find_frequency, find_report
from tools.names import Vocabulary

NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "ten": 10,
    "twelve": 12, "fifteen": 15, "twenty": 20, "twenty-five": 25,
}  # fmt: skip
_NUMBER = r"(\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
TOP_N = re.compile(rf"\b(?:top|first|worst|riskiest|best)\s+{_NUMBER}\b")
N_ACCOUNTS = re.compile(rf"\b{_NUMBER}\s+(?:accounts|customers|clients)\b")
UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "quarter": 90, "year": 365}
_UNIT = r"(day|week|month|quarter|year)s?"
HORIZON_COUNT = re.compile(rf"\b{_NUMBER}\s+{_UNIT}\b")
HORIZON_NEXT = re.compile(rf"\b(?:next|coming|following)\s+{_UNIT}\b")
MODEL_NAMES = {
    "seasonal naive": "seasonal_naive",
    "naive": "seasonal_naive",
    "linear": "linear",
    "straight line": "linear",
    "prophet": "prophet",
    "lstm": "lstm",
    "neural": "lstm",
    "ensemble": "ensemble",
    "all models": "all",
    "all forecast models": "all",
    "every model": "all",
    "churn model": "churn",
    "value model": "clv",
    "clv": "clv",
    "segment model": "segments",
    "segmentation": "segments",
    "sentiment model": "sentiment",
}
TEAM_WORDS = re.compile(r"\b(team'?s?|our|everyone'?s?|all accounts|whole team)\b")
MINE_WORDS = re.compile(r"\b(my|mine|me)\b")
QUOTE_NUMBER = re.compile(r"\bq-\d{4}-\d{3,6}\b", re.IGNORECASE)


def extract_entities(text: str, vocabulary: Vocabulary | None = None) -> dict[str, Any]:
    """The entities this message states; keys absent when not mentioned.

    ``customer``, ``region`` and ``category`` are the store's spelling of a
    name found in the text. When the words fit several customers equally well,
    ``customer`` is the words as typed, so the tool can list the close names.
    """
    entities: dict[str, Any] = {}
    lowered = _read_amounts(text.lower(), entities)
    if vocabulary is not None:
        entities.update(_named(text, lowered, vocabulary))

    top_n = _top_n(lowered)
    if top_n is not None:
        entities["top_n"] = top_n

    horizon = _horizon_days(lowered)
    if horizon is not None:
        entities["horizon_days"] = horizon

    model = _model(lowered)
    if model is not None:
        entities["model"] = model

    scope = _scope(lowered)
    if scope is not None:
        entities["scope"] = scope

    today = vocabulary.today if vocabulary and vocabulary.today else dt.date.today()
    if (period := parse_period(text, today)) is not None:
        entities["period"] = period
    entities.update(_subscription(text, lowered))
    return entities


def _read_amounts(lowered: str, entities: dict[str, Any]) -> str:
    """Quote numbers, money and discounts into ``entities``; the text without them."""
    spans = []
    if quote := QUOTE_NUMBER.search(lowered):
        entities["quote_number"] = quote.group(0).upper()
        spans.append(quote.span())
    if discount := find_discount(lowered):
        entities["discount_pct"] = discount.value
        spans.append((discount.start, discount.end))
    if money := find_money(blank(lowered, spans)):
        entities["money"] = money.value
        spans.append((money.start, money.end))
    return blank(lowered, spans)


def _subscription(text: str, lowered: str) -> dict[str, str]:
    """The frequency, channel and report a subscription message names."""
    found = {}
    if frequency := find_frequency(lowered):
        found["frequency"] = frequency
    if channel := find_channel(text):
        found["channel"] = channel
    if report := find_report(lowered, scheduled=bool(found)):
        found["report"] = report
    return found


def _named(text: str, lowered: str, vocabulary: Vocabulary) -> dict[str, Any]:
    """Names the store knows; ``lowered`` is the text with amounts blanked out."""
    found: dict[str, Any] = {}
    typed: dict[str, str] = {}
    indexes = _indexes(vocabulary)
    for key in ("customer", "region", "category", "product"):
        mention = indexes[key].find(text)
        if mention is not None:
            found[key] = mention.name or mention.typed
            typed[key] = mention.typed
    _drop_product_overlaps(found, typed)
    if items := find_items(lowered, indexes["product"]):
        found["items"] = items
    if quantity := _quantity(found):
        found["quantity"] = quantity
    return found


def _quantity(found: dict[str, Any]) -> int | None:
    """How many of the product were asked for: '20 gateway hubs', 'suite x5'."""
    for item in found.get("items", ()):
        if item["product"] == found.get("product"):
            return item["quantity"]
    return None


def _drop_product_overlaps(found: dict[str, str], typed: dict[str, str]) -> None:
    """Words that name a customer, region or category are not also a product,
    unless the product's name spans more words around them."""
    if "product" not in found:
        return
    product = f" {typed['product']} "
    for key in ("customer", "region", "category"):
        other = f" {typed[key]} " if key in typed else None
        if other is None:
            continue
        if other != product and other in product:
            del found[key]
        elif product in other:
            del found["product"]
            return


@lru_cache(maxsize=4)
def _indexes(vocabulary: Vocabulary) -> dict[str, NameIndex]:
    return {
        "customer": NameIndex(vocabulary.customers),
        "region": NameIndex(vocabulary.regions),
        "category": NameIndex(vocabulary.categories),
        "product": NameIndex(vocabulary.products),
    }


def _top_n(text: str) -> int | None:
    match = TOP_N.search(text) or N_ACCOUNTS.search(text)
    if match is None:
        return None
    return _number(match.group(1))


def _horizon_days(text: str) -> int | None:
    """'next quarter' is 90 days, '6 weeks' 42, 'next month' 30."""
    if match := HORIZON_COUNT.search(text):
        return _number(match.group(1)) * UNIT_DAYS[match.group(2)]
    if match := HORIZON_NEXT.search(text):
        return UNIT_DAYS[match.group(1)]
    return None


def _model(text: str) -> str | None:
    for words, name in MODEL_NAMES.items():
        if re.search(rf"\b{words}\b", text):
            return name
    return None


def _number(value: str) -> int:
    return NUMBER_WORDS[value] if value in NUMBER_WORDS else int(value)


def _scope(text: str) -> str | None:
    if TEAM_WORDS.search(text):
        return "team"
    if MINE_WORDS.search(text):
        return "mine"
    return None
