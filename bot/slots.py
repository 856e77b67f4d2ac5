"""Reading one missing piece of a request from a short reply.

When the bot asks "Which customer?" the reply may be just "Acme" or "it's for
Acme Corp"; when it asks for the lines, "10 Gateway Hubs and 2 Analytics
Suite". Each reader returns the value, or None when the reply does not hold
one. Names are returned as typed; the dialogue checks them against the store.
"""

from __future__ import annotations

import re
from typing import Any

FILLER = re.compile(
    r"^(?:(?:it'?s|it is|for|the|customer|account|product|to|just|please)\s+)+",
    re.IGNORECASE,
)
PERCENT = re.compile(r"(\d{1,2}(?:\.\d+)?)\s*(?:%|percent|pct)", re.IGNORECASE)
NO_DISCOUNT = re.compile(
    r"^\s*(?:no|none|nope|no discount|at list(?: price)?|list price|0|zero|"
    r"no thanks|no, thanks)\W*$",
    re.IGNORECASE,
)
LINE = re.compile(r"^\s*(\d{1,5})\s*(?:x|×|of)?\s+(?:the\s+)?(.+?)\s*$", re.IGNORECASE)
LINE_SEPARATOR = re.compile(r"\s*(?:,|;|\band\b|\bplus\b|&)\s*", re.IGNORECASE)
FREQUENCY = re.compile(
    r"\b(daily|every day|every morning|weekly|every week|monthly|every month)\b"
    r"(?:\s+on\s+(monday|tuesday|wednesday|thursday|friday))?"
    r"|\bevery\s+(monday|tuesday|wednesday|thursday|friday)\b",
    re.IGNORECASE,
)
EVERY = {
    "every day": "daily",
    "every morning": "daily",
    "every week": "weekly",
    "every month": "monthly",
}


def read_slot(slot: str, text: str, entities: dict[str, Any]) -> Any | None:
    """The value of ``slot`` in a reply, using the entities found in it first."""
    readers = {
        "customer": read_name,
        "product": read_name,
        "items": read_items,
        "discount_pct": read_discount,
        "frequency": read_frequency,
        "report": read_name,
    }
    if entities.get(slot) not in (None, "", []):
        return entities[slot]
    if slot == "items" and "product" in entities:
        return [
            {"product": entities["product"], "quantity": entities.get("quantity", 1)}
        ]
    return readers[slot](text) if slot in readers else None


def read_name(text: str) -> str | None:
    """A bare name: filler words and end punctuation dropped."""
    name = FILLER.sub("", text.strip()).strip(" .!?\"'")
    return name or None


def read_items(text: str) -> list[dict[str, Any]] | None:
    """Quote lines as ``[{"product": words, "quantity": n}]``, or None."""
    lines = []
    for part in LINE_SEPARATOR.split(text.strip().rstrip(".!")):
        if not part:
            continue
        match = LINE.match(part)
        if match is None:
            return None
        lines.append({"product": match.group(2), "quantity": int(match.group(1))})
    return lines or None


def read_discount(text: str) -> float | None:
    """A discount in percent; 0.0 for "no discount"."""
    if NO_DISCOUNT.match(text):
        return 0.0
    match = PERCENT.search(text)
    return float(match.group(1)) if match else None


def read_frequency(text: str) -> str | None:
    """'daily', 'weekly', 'monthly' or 'weekly:monday'."""
    match = FREQUENCY.search(text)
    if match is None:
        return None
    words, day, every_day = (group and group.lower() for group in match.groups())
    if every_day:
        return f"weekly:{every_day}"
    frequency = EVERY.get(words, words)
    return f"{frequency}:{day}" if day and frequency == "weekly" else frequency
