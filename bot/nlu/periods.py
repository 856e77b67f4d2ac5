"""The stretch of time a message asks about: "last month", "Q3", "since March".

``parse_period`` reads a period relative to ``today``, which for a store of
historical quotes is its latest activity day, not the calendar's. Weeks start
on Monday and quarters are calendar quarters. Periods that are still running
("this month", "Q4" while in Q4) end after ``today``, so they compare fairly
with the same number of days before them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from rapidfuzz import fuzz, process

from tools.periods import Period

MONTHS = (
    "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december",
)  # fmt: skip
MONTH_ABBREVIATIONS = {name[:3]: number for number, name in enumerate(MONTHS, 1)}
MONTH_ABBREVIATIONS["sept"] = 9
MONTH_NUMBERS = {name: number for number, name in enumerate(MONTHS, 1)}
MONTH_NUMBERS.update(MONTH_ABBREVIATIONS)
NUMBER_WORDS = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
SHORTHANDS = {
    "lst": "last", "prev": "previous", "mth": "month", "mnth": "month",
    "qtr": "quarter", "wk": "week", "wks": "weeks", "yr": "year", "yrs": "years",
    "yday": "yesterday",
}  # fmt: skip
CORRECTABLE = (
    "today", "yesterday", "quarter", "month", "months", "weeks", "previous",
    "since", *MONTHS[:4], *MONTHS[5:],
)  # fmt: skip
NOT_TYPOS = {"monthly", "weekly", "yearly", "quarterly", "match", "marsh", "junior"}

_MONTH = "(" + "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
_YEAR = r"((?:19|20)\d\d)"
_COUNT = r"(\d{1,3}|" + "|".join(NUMBER_WORDS) + ")"
_UNIT = r"(day|week|month|quarter|year)s?"
LAST_N = re.compile(rf"\b(?:last|past|previous|trailing)\s+{_COUNT}\s+{_UNIT}\b")
SINCE = re.compile(rf"\bsince\s+(?:the\s+start\s+of\s+)?{_MONTH}(?:\s+{_YEAR})?\b")
QUARTER = re.compile(rf"\bq([1-4])(?:\s*(?:of\s+)?'?{_YEAR})?\b")
MONTH_YEAR = re.compile(rf"\b{_MONTH}(?:\s+(?:of\s+)?{_YEAR})?\b")
# "may" is usually a verb: only a month after one of these words or before a year.
MAY_CONTEXT = re.compile(
    rf"\b(?:in|during|for|of|since|through)\s+may\b|\bmay\s+{_YEAR}"
)
YEAR = re.compile(rf"\b(?:in|during|for|of|over)\s+{_YEAR}\b")
RELATIVE = re.compile(
    r"\b(this|last|previous|past|current)\s+(week|month|quarter|year)\b"
    r"|\b(today|yesterday|ytd|year\s+to\s+date|month\s+to\s+date|mtd|qtd)\b"
)


def parse_period(text: str, today: dt.date) -> Period | None:
    """The period ``text`` states, relative to ``today``; None when it states none.

    Parameters
    ----------
    text : str
        A message as typed, in any case, with small typos ("last mnth").
    today : date
        The day the message is read on: the store's latest activity day.

    Returns
    -------
    Period or None
        Days from ``start`` up to, but not including, ``end``.
    """
    words = _normalised(text)
    for reader in _READERS:
        period = reader(words, today)
        if period is not None:
            return period
    return None


def _normalised(text: str) -> str:
    """Lower case, shorthands spelled out, near-misses of period words fixed."""
    tokens = re.findall(r"[a-z\d]+|[^a-z\d\s]", text.lower())
    return " ".join(_corrected(token) for token in tokens)


def _corrected(token: str) -> str:
    if token in SHORTHANDS:
        return SHORTHANDS[token]
    if len(token) < 5 or token in NOT_TYPOS or token in MONTH_NUMBERS:
        return token
    match = process.extractOne(token, CORRECTABLE, scorer=fuzz.ratio, score_cutoff=85)
    return match[0] if match else token


def _last_n(words: str, today: dt.date) -> Period | None:
    """'last 30 days', 'past 6 weeks', 'last three months': up to and with today."""
    match = LAST_N.search(words)
    if match is None:
        return None
    count, unit = _count(match.group(1)), match.group(2)
    plural = unit if count == 1 else f"{unit}s"
    return _rolling(count, unit, today, f"in the last {count} {plural}")


def _rolling(count: int, unit: str, today: dt.date, label: str) -> Period:
    """The ``count`` days, weeks, months, quarters or years up to and with today."""
    end = today + dt.timedelta(days=1)
    if unit in ("day", "week"):
        start = end - dt.timedelta(days=count * (7 if unit == "week" else 1))
    else:
        months = count * {"month": 1, "quarter": 3, "year": 12}[unit]
        start = _add_months(end, -months)
    return Period(start, end, label)


def _since(words: str, today: dt.date) -> Period | None:
    """'since March': from the latest 1 March on or before today, up to today."""
    match = SINCE.search(words)
    if match is None:
        return None
    month = MONTH_NUMBERS[match.group(1)]
    start = _month_start(month, match.group(2), today)
    end = today + dt.timedelta(days=1)
    if start >= end:
        return None
    return Period(start, end, f"since {start:%B %Y}")


def _quarter(words: str, today: dt.date) -> Period | None:
    """'Q3 2025', or 'Q3' alone: the latest third quarter begun by today."""
    match = QUARTER.search(words)
    if match is None:
        return None
    quarter = int(match.group(1))
    month = 3 * quarter - 2
    year = int(match.group(2)) if match.group(2) else today.year
    if not match.group(2) and dt.date(year, month, 1) > today:
        year -= 1
    start = dt.date(year, month, 1)
    return _up_to_today(start, _add_months(start, 3), f"in Q{quarter} {year}", today)


def _month(words: str, today: dt.date) -> Period | None:
    """'in October', 'October 2025', 'sept': the latest such month begun by today."""
    for match in MONTH_YEAR.finditer(words):
        name = match.group(1)
        if name == "may" and not MAY_CONTEXT.search(words):
            continue
        start = _month_start(MONTH_NUMBERS[name], match.group(2), today)
        return _up_to_today(start, _add_months(start, 1), f"in {start:%B %Y}", today)
    return None


def _relative(words: str, today: dt.date) -> Period | None:
    """'today', 'last week', 'this quarter', 'ytd' and the like."""
    match = RELATIVE.search(words)
    if match is None:
        return None
    if match.group(3):
        return _named_day_or_to_date(re.sub(r"\s+", " ", match.group(3)), today)
    which, unit = match.group(1), match.group(2)
    start = _unit_start(unit, today)
    if which in ("this", "current"):
        return Period(start, today + dt.timedelta(days=1), f"this {unit}")
    if which == "past":
        return _rolling(1, unit, today, f"in the past {unit}")
    previous = _unit_start(unit, start - dt.timedelta(days=1))
    return Period(previous, start, _last_label(unit, previous))


def _named_day_or_to_date(words: str, today: dt.date) -> Period:
    end = today + dt.timedelta(days=1)
    if words == "today":
        return Period(today, end, "today")
    if words == "yesterday":
        return Period(today - dt.timedelta(days=1), today, "yesterday")
    unit = {"mtd": "month", "month to date": "month", "qtd": "quarter"}.get(words)
    if unit is not None:
        return Period(_unit_start(unit, today), end, f"this {unit} to date")
    return Period(dt.date(today.year, 1, 1), end, "this year to date")


def _year(words: str, today: dt.date) -> Period | None:
    """'in 2025': the calendar year, up to today if it is still running."""
    match = YEAR.search(words)
    if match is None:
        return None
    year = int(match.group(1))
    start = dt.date(year, 1, 1)
    return _up_to_today(start, dt.date(year + 1, 1, 1), f"in {year}", today)


def _last_label(unit: str, start: dt.date) -> str:
    if unit == "month":
        return f"last month ({start:%B %Y})"
    if unit == "quarter":
        return f"last quarter (Q{(start.month + 2) // 3} {start.year})"
    if unit == "year":
        return f"last year ({start.year})"
    return f"last week (starting {start.day} {start:%b %Y})"


def _unit_start(unit: str, day: dt.date) -> dt.date:
    """The first day of the week (Monday), month, quarter or year holding ``day``."""
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    if unit == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return dt.date(day.year, 1, 1)


def _month_start(month: int, year: str | None, today: dt.date) -> dt.date:
    if year:
        return dt.date(int(year), month, 1)
    start = dt.date(today.year, month, 1)
    return start if start <= today else dt.date(today.year - 1, month, 1)


def _up_to_today(start: dt.date, end: dt.date, label: str, today: dt.date) -> Period:
    """A calendar period, cut at the end of ``today`` when it is still running."""
    if start <= today < end:
        end = today + dt.timedelta(days=1)
    return Period(start, end, label)


def _add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, kept within the target month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (following - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


def _count(value: str) -> int:
    return NUMBER_WORDS[value] if value in NUMBER_WORDS else int(value)


_READERS: tuple[Callable[[str, dt.date], Period | None], ...] = (
    _last_n,
    _since,
    _quarter,
    _relative,
    _month,
    _year,
)
