"""Counts, sums of money and discounts as people type them.

"five gateway hubs" and "4x analytics suite" are counts; "$12,000", "12k",
"€5,400" and "a budget of 50k" are money; "10% off", "15 percent discount" and
"discount of 20%" are discounts. Each finder returns the value and where it
stands in the text, so that the words it used are not read again as a count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COUNT_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12,
    "fifteen": 15, "twenty": 20, "twenty-five": 25, "thirty": 30, "forty": 40,
    "fifty": 50, "hundred": 100,
}  # fmt: skip
# Words that stand for one of something: "a gateway hub", "an extended warranty".
ONE_WORDS = frozenset({"a", "an", "one", "single"})
SCALES = {
    "k": 1e3, "thousand": 1e3, "grand": 1e3,
    "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9,
}  # fmt: skip

_AMOUNT = r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"
_SCALE = r"(?:\s*(k|m|mn|bn|thousand|grand|million|billion)\b)?"
_CURRENCY_WORD = r"(?:dollars?|euros?|pounds?|bucks|usd|eur|gbp)"
MONEY_PATTERNS = (
    re.compile(rf"(?:[$€£]|\b(?:usd|eur|gbp)\s?)\s?{_AMOUNT}{_SCALE}"),
    re.compile(rf"\b{_AMOUNT}{_SCALE}\s?(?:{_CURRENCY_WORD}\b|[$€£])"),
    re.compile(rf"\b{_AMOUNT}(k|m|mn|bn)\b"),
    re.compile(
        rf"\b(?:budget|spend|worth|deal size)\s+(?:of|is|around|about|at|up to|"
        rf"under|below|over)?\s*{_AMOUNT}{_SCALE}"
    ),
)
_PERCENT = r"(\d{1,3}(?:\.\d+)?)\s?(?:%|percent\b|per\s?cent\b|pct\b)"
_DISCOUNT_WORD = r"(?:discount|dicount|discout|disount|discnt|rebate|markdown)\w*"
DISCOUNT_PATTERNS = (
    re.compile(rf"{_PERCENT}\s*(?:off\b|{_DISCOUNT_WORD}|disc\b|reduction)"),
    re.compile(
        rf"\b(?:{_DISCOUNT_WORD}|off|reduction)\s+(?:of|by|at|to)?\s*"
        rf"(?:about|around|roughly)?\s*{_PERCENT}"
    ),
    re.compile(rf"\bat\s+{_PERCENT}(?=\s*(?:[.,;!?)]|$))"),
)


@dataclass(frozen=True)
class Found:
    """A value read from the text and the span of characters it came from."""

    value: float
    start: int
    end: int


def count(word: str) -> int | None:
    """The whole number a single word stands for: '12', '1,000', 'five'."""
    word = word.replace(",", "")
    if re.fullmatch(r"[0-9]{1,6}", word):
        return int(word)
    return COUNT_WORDS.get(word)


def find_money(text: str) -> Found | None:
    """The first sum of money in lower-cased ``text``, in currency units."""
    found = [match for pattern in MONEY_PATTERNS for match in pattern.finditer(text)]
    if not found:
        return None
    first = min(found, key=lambda match: match.start())
    whole, fraction, scale = first.group(1), first.group(2), first.group(3)
    value = float(whole.replace(",", "") + (fraction or ""))
    return Found(value * SCALES.get(scale or "", 1.0), first.start(), first.end())


def find_discount(text: str) -> Found | None:
    """The first discount in lower-cased ``text``, in percent (10 for '10% off')."""
    found = [match for pattern in DISCOUNT_PATTERNS for match in pattern.finditer(text)]
    found = [match for match in found if float(match.group(1)) <= 100]
    if not found:
        return None
    first = min(found, key=lambda match: match.start())
    return Found(float(first.group(1)), first.start(), first.end())


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span replaced by a stop mark of the same length."""
    for start, end in spans:
        text = text[:start] + "|" * (end - start) + text[end:]
    return text
