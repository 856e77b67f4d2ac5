"""Demo accounts and their planted life stories.

Each account belongs to a segment, starts buying on a known date, may grow,
and may churn on a known date. About a quarter of the established accounts
churn: some long ago, some in the last year, some in the last 120 days, and a
few are heading out (their churn date is still ahead, but their orders are
already thinning and their notes turning sour). Five accounts have fixed
stories because other features and tests refer to them by name; see
``NAMED_ACCOUNTS``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from storage.demo.people import (
    ACCOUNT_OWNERS,
    CONTACT_FIRST_NAMES,
    CONTACT_TITLES,
    COUNTRIES_BY_REGION,
    DEMO_REPS,
    company_names,
)
from storage.demo.seasonality import History
from storage.demo.segments import SEGMENT_BY_NAME, SEGMENTS, Segment

CHURN_SHARE = 0.30
NEW_ACCOUNT_DAYS = 180
AT_RISK_PAST_DAYS = 120
AT_RISK_FUTURE_DAYS = 90
MIN_DAYS_BEFORE_CHURN = 180
GROWING_SHARE = 0.15

# When churners leave, in days relative to today: (low, high, probability).
CHURN_WINDOWS: tuple[tuple[int, int, float], ...] = (
    (-3 * 365, -366, 0.35),
    (-365, -121, 0.30),
    (-AT_RISK_PAST_DAYS, -10, 0.22),
    (15, AT_RISK_FUTURE_DAYS, 0.13),
)


@dataclass(frozen=True)
class NamedAccount:
    """An account with a fixed story; ``churn_in_days`` is relative to today."""

    name: str
    segment: str
    owner_email: str
    country: str
    industry: str
    churn_in_days: int | None = None
    growth_rate: float = 0.0


NAMED_ACCOUNTS: tuple[NamedAccount, ...] = (
    NamedAccount(
        "Acme Corp",
        "enterprise",
        "alex.rivera@example.com",
        "United States",
        "Manufacturing",
        growth_rate=0.5,
    ),
    NamedAccount(
        "Globex Corporation",
        "enterprise",
        "priya.nair@example.com",
        "United Kingdom",
        "Technology",
    ),
    NamedAccount(
        "Initech",
        "mid_market",
        "jordan.kim@example.com",
        "United States",
        "Technology",
        churn_in_days=-60,
    ),
    NamedAccount(
        "Northwind Traders",
        "mid_market",
        "jordan.kim@example.com",
        "Canada",
        "Food & Beverage",
    ),
    NamedAccount(
        "Umbrella Industries",
        "enterprise",
        "sam.okafor@example.com",
        "Singapore",
        "Pharmaceuticals",
        churn_in_days=45,
    ),
)


@dataclass(frozen=True)
class Account:
    """One demo customer and the truth about it."""

    name: str
    industry: str
    country: str
    owner: int
    segment: Segment
    start: dt.date
    churn: dt.date | None
    growth_rate: float
    size_factor: float
    contact: str
    contact_title: str

    @property
    def region(self) -> str:
        return DEMO_REPS[self.owner].region

    def churned(self, today: dt.date) -> bool:
        return self.churn is not None and self.churn <= today

    def at_risk(self, today: dt.date) -> bool:
        """Churned in the last 120 days, or due to churn in the next 90."""
        if self.churn is None:
            return False
        days = (self.churn - today).days
        return -AT_RISK_PAST_DAYS <= days <= AT_RISK_FUTURE_DAYS

    def truth(self, today: dt.date) -> dict:
        """What the generator planted for this account, as JSON."""
        return {
            "name": self.name,
            "segment": self.segment.name,
            "churned": self.churned(today),
            "churn_date": self.churn.isoformat() if self.churn else None,
            "at_risk": self.at_risk(today),
            "start_date": self.start.isoformat(),
            "new": (today - self.start).days <= NEW_ACCOUNT_DAYS,
            "growing": self.growth_rate > 0,
            "growth_rate": self.growth_rate,
            "size_factor": self.size_factor,
            "owner_email": DEMO_REPS[self.owner].email,
        }


def build_accounts(
    rng: np.random.Generator, history: History, count: int
) -> list[Account]:
    """The named accounts first, then ``count - 5`` generated ones."""
    generated = count - len(NAMED_ACCOUNTS)
    names = company_names(rng, generated)
    stories = _stories(rng, history, generated)
    contacts = _contacts(rng, count)

    named = [
        _named_account(story, history, contacts[i])
        for i, story in enumerate(NAMED_ACCOUNTS)
    ]
    offset = len(named)
    made = [
        _generated_account(rng, names[i], stories[i], contacts[offset + i])
        for i in range(generated)
    ]
    return named + made


def _named_account(
    story: NamedAccount, history: History, contact: tuple[str, str]
) -> Account:
    owner = next(i for i, r in enumerate(DEMO_REPS) if r.email == story.owner_email)
    churn = None
    if story.churn_in_days is not None:
        churn = history.end + dt.timedelta(days=story.churn_in_days)
    return Account(
        name=story.name,
        industry=story.industry,
        country=story.country,
        owner=owner,
        segment=SEGMENT_BY_NAME[story.segment],
        start=history.start - dt.timedelta(days=700),
        churn=churn,
        growth_rate=story.growth_rate,
        size_factor=1.2,
        contact=contact[0],
        contact_title=contact[1],
    )


def _generated_account(
    rng: np.random.Generator,
    name: tuple[str, str],
    story: dict,
    contact: tuple[str, str],
) -> Account:
    owner = DEMO_REPS.index(ACCOUNT_OWNERS[story["owner"]])
    countries = COUNTRIES_BY_REGION[DEMO_REPS[owner].region]
    return Account(
        name=name[0],
        industry=name[1],
        country=countries[int(rng.integers(len(countries)))],
        owner=owner,
        segment=SEGMENTS[story["segment"]],
        start=story["start"],
        churn=story["churn"],
        growth_rate=story["growth_rate"],
        size_factor=story["size_factor"],
        contact=contact[0],
        contact_title=contact[1],
    )


def _stories(rng: np.random.Generator, history: History, count: int) -> list[dict]:
    """Segment, owner, start, churn, growth and size of each generated account."""
    segments = rng.choice(len(SEGMENTS), size=count, p=[s.share for s in SEGMENTS])
    owners = rng.permutation(np.arange(count) % len(ACCOUNT_OWNERS))
    starts = _start_dates(rng, history, count)
    churns = _churn_dates(rng, history, starts)
    growth = _growth_rates(rng, starts, churns)
    sizes = np.round(rng.lognormal(0.0, 0.35, size=count), 3)
    return [
        {
            "segment": int(segments[i]),
            "owner": int(owners[i]),
            "start": starts[i],
            "churn": churns[i],
            "growth_rate": growth[i],
            "size_factor": float(sizes[i]),
        }
        for i in range(count)
    ]


def _start_dates(
    rng: np.random.Generator, history: History, count: int
) -> list[dt.date]:
    """70 % long-standing, 22 % joined during the history, 8 % new this half-year."""
    kind = rng.random(count)
    before = rng.integers(30, 1500, size=count)
    during = rng.integers(0, max(history.days - 200, 1), size=count)
    recent = rng.integers(20, NEW_ACCOUNT_DAYS, size=count)

    starts = []
    for i in range(count):
        if kind[i] < 0.70:
            starts.append(history.date(-before[i]))
        elif kind[i] < 0.92:
            starts.append(history.date(during[i]))
        else:
            starts.append(history.end - dt.timedelta(days=int(recent[i])))
    return starts


def _churn_dates(
    rng: np.random.Generator, history: History, starts: list[dt.date]
) -> list[dt.date | None]:
    """A churn date for about a quarter of the accounts that are not new."""
    churns = rng.random(len(starts)) < CHURN_SHARE
    windows = rng.choice(len(CHURN_WINDOWS), size=len(starts), p=_window_probs())
    positions = rng.random(len(starts))

    dates: list[dt.date | None] = []
    for start, churns_, window, position in zip(
        starts, churns, windows, positions, strict=True
    ):
        low, high, _ = CHURN_WINDOWS[window]
        earliest = history.offset(max(start, history.start)) + MIN_DAYS_BEFORE_CHURN
        low = max(history.days + low, earliest)
        high = history.days + high
        new = (history.end - start).days <= NEW_ACCOUNT_DAYS
        if not churns_ or new or low > high:
            dates.append(None)
            continue
        dates.append(history.date(low + int(position * (high - low + 1))))
    return dates


def _window_probs() -> list[float]:
    return [p for _, _, p in CHURN_WINDOWS]


def _growth_rates(
    rng: np.random.Generator, starts: list[dt.date], churns: list[dt.date | None]
) -> list[float]:
    """Yearly growth of the accounts that grow (0.0 for the rest)."""
    grows = rng.random(len(starts))
    rates = np.round(rng.uniform(0.2, 0.45, size=len(starts)), 3)
    return [
        float(rates[i]) if churns[i] is None and grows[i] < GROWING_SHARE else 0.0
        for i in range(len(starts))
    ]


def _contacts(rng: np.random.Generator, count: int) -> list[tuple[str, str]]:
    first = rng.integers(len(CONTACT_FIRST_NAMES), size=count)
    title = rng.integers(len(CONTACT_TITLES), size=count)
    return [
        (CONTACT_FIRST_NAMES[first[i]], CONTACT_TITLES[title[i]]) for i in range(count)
    ]
