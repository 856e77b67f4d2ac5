"""Entities pulled out of a message, under the keys of the design's intent table."""

from __future__ import annotations

import re
from typing import Any

NUMBER_WORDS = {
    "three": 3,
    "five": 5,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "twenty-five": 25,
}
_NUMBER = r"(\d{1,3}|" + "|".join(NUMBER_WORDS) + r")"
TOP_N = re.compile(rf"\b(?:top|first|worst|riskiest|best)\s+{_NUMBER}\b")
N_ACCOUNTS = re.compile(rf"\b{_NUMBER}\s+(?:accounts|customers|clients)\b")
TEAM_WORDS = re.compile(r"\b(team'?s?|our|everyone'?s?|all accounts|whole team)\b")
MINE_WORDS = re.compile(r"\b(my|mine|me)\b")


def extract_entities(text: str) -> dict[str, Any]:
    """The entities this message states; keys absent when not mentioned."""
    lowered = text.lower()
    entities: dict[str, Any] = {}

    top_n = _top_n(lowered)
    if top_n is not None:
        entities["top_n"] = top_n

    scope = _scope(lowered)
    if scope is not None:
        entities["scope"] = scope
    return entities


def _top_n(text: str) -> int | None:
    match = TOP_N.search(text) or N_ACCOUNTS.search(text)
    if match is None:
        return None
    value = match.group(1)
    return NUMBER_WORDS[value] if value in NUMBER_WORDS else int(value)


def _scope(text: str) -> str | None:
    if TEAM_WORDS.search(text):
        return "team"
    if MINE_WORDS.search(text):
        return "mine"
    return None
