"""Entities pulled out of a message, under the keys of the design's intent table.

Numbers, horizons, model names and scope come from the words alone; customers,
regions, product categories and products are matched against the names the store
knows (``tools.names.Vocabulary``) when one is given.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from bot.nlu.mentions import NameIndex
from bot.nlu.periods import parse_period
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
    lowered = text.lower()
    entities: dict[str, Any] = {}
    if vocabulary is not None:
        entities.update(_named(text, vocabulary))

    if quote := QUOTE_NUMBER.search(text):
        entities["quote_number"] = quote.group(0).upper()

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
    return entities


def _named(text: str, vocabulary: Vocabulary) -> dict[str, Any]:
    found: dict[str, Any] = {}
    typed: dict[str, str] = {}
    indexes = _indexes(vocabulary)
    for key in ("customer", "region", "category", "product"):
        mention = indexes[key].find(text)
        if mention is not None:
            found[key] = mention.name or mention.typed
            typed[key] = mention.typed
    _drop_product_overlaps(found, typed)
    if "product" in found and (quantity := _quantity(text, typed["product"])):
        found["quantity"] = quantity
    return found


def _quantity(text: str, product_words: str) -> int | None:
    """The number right before the product: '20 gateway hubs', '5 x analytics'."""
    before = r"\b(\d{1,5})\s*(?:x\s*|×\s*)?(?:of\s+(?:the\s+)?)?"
    match = re.search(before + re.escape(product_words), text.lower())
    return int(match.group(1)) if match else None


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
