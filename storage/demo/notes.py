"""Rep notes about demo accounts, whose tone follows each account's health.

Healthy accounts get mostly positive and neutral notes, growing accounts
mostly positive ones (some about their growth), and accounts in the half-year
before they churn mostly negative ones, with a closing note just after the
churn date. Each note's true tone is kept for the ground-truth table.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

import numpy as np

from storage.demo import note_templates as templates
from storage.demo.accounts import NEW_ACCOUNT_DAYS, Account
from storage.demo.catalog import PRODUCTS
from storage.demo.quotes import DAYS_PER_MONTH, PRE_CHURN_WINDOW_DAYS, DemoQuote
from storage.demo.seasonality import History

TONES = ("positive", "neutral", "negative")
TONE_MIX: dict[str, tuple[float, float, float]] = {
    "healthy": (0.45, 0.40, 0.15),
    "new": (0.60, 0.35, 0.05),
    "growing": (0.70, 0.25, 0.05),
    "pre_churn": (0.03, 0.12, 0.85),
}
PRE_CHURN_EXTRA_NOTES = 2
LINK_WITHIN_DAYS = 45
LINK_SHARE = 0.5


@dataclass(frozen=True)
class DemoNote:
    """A note before it has an id; ``quote`` indexes the quote list, if linked."""

    account: int
    rep: int
    quote: int | None
    created_at: dt.datetime
    body: str
    tone: str
    state: str


def build_notes(
    rng: np.random.Generator,
    accounts: list[Account],
    quotes: list[DemoQuote],
    grouped: list[list[int]],
    history: History,
) -> list[DemoNote]:
    """Every account's notes, oldest first."""
    notes = []
    for index, account in enumerate(accounts):
        author = _NoteWriter(rng, index, account, quotes, grouped[index])
        for day in _note_days(rng, account, history):
            notes.append(author.note(day, _state(account, day, history.end)))
        lost = _lost_day(rng, account, history)
        if lost is not None:
            notes.append(author.note(lost, "lost"))
    return sorted(notes, key=lambda note: note.created_at)


def _note_days(
    rng: np.random.Generator, account: Account, history: History
) -> list[dt.date]:
    """Regular notes over the account's life, more in the run-up to churn."""
    first = max(account.start, history.start)
    last = min(account.churn or history.end, history.end)
    span = (last - first).days
    if span <= 0:
        return []

    regular = rng.poisson(account.segment.notes_per_month * span / DAYS_PER_MONTH)
    days = [first + dt.timedelta(days=int(d)) for d in rng.integers(0, span, regular)]
    if account.churn is not None:
        window_start = max(first, account.churn - dt.timedelta(PRE_CHURN_WINDOW_DAYS))
        window = (last - window_start).days
        if window > 0:
            extra = PRE_CHURN_EXTRA_NOTES + rng.poisson(1.0)
            offsets = rng.integers(0, window, extra)
            days += [window_start + dt.timedelta(days=int(d)) for d in offsets]
    return sorted(days)


def _lost_day(
    rng: np.random.Generator, account: Account, history: History
) -> dt.date | None:
    """The day the rep writes the account off, a few days after churn."""
    if account.churn is None:
        return None
    day = account.churn + dt.timedelta(days=int(rng.integers(3, 21)))
    return day if day < history.end else None


def _state(account: Account, day: dt.date, today: dt.date) -> str:
    churn = account.churn
    if churn is not None and (churn - day).days <= PRE_CHURN_WINDOW_DAYS:
        return "pre_churn"
    if account.growth_rate > 0:
        return "growing"
    if (today - account.start).days <= NEW_ACCOUNT_DAYS:
        return "new"
    return "healthy"


class _NoteWriter:
    """Writes one account's notes, each about a product the account quoted."""

    def __init__(
        self,
        rng: np.random.Generator,
        index: int,
        account: Account,
        quotes: list[DemoQuote],
        own: list[int],
    ) -> None:
        self.rng = rng
        self.index = index
        self.account = account
        self.quotes = quotes
        self.own = own
        self.times = [quotes[i].created_at for i in own]

    def note(self, day: dt.date, state: str) -> DemoNote:
        created = dt.datetime.combine(day, dt.time(8, 30))
        created += dt.timedelta(seconds=int(self.rng.integers(0, 9 * 3600)))
        quote = self._latest_quote(created)
        tone, template = self._template(state)
        linked = self._linked(quote, created)
        return DemoNote(
            account=self.index,
            rep=self.account.owner,
            quote=linked,
            created_at=created,
            body=self._fill(template, quote),
            tone=tone,
            state=state,
        )

    def _template(self, state: str) -> tuple[str, str]:
        if state == "lost":
            return "negative", self._pick(templates.LOST)
        tone = TONES[self.rng.choice(len(TONES), p=TONE_MIX[state])]
        pools = {
            "positive": templates.POSITIVE,
            "neutral": templates.NEUTRAL,
            "negative": templates.NEGATIVE,
        }
        pool = pools[tone]
        if tone == "positive" and state == "growing":
            pool = templates.POSITIVE + templates.GROWTH * 3
        return tone, self._pick(pool)

    def _pick(self, pool: tuple[str, ...]) -> str:
        return pool[int(self.rng.integers(len(pool)))]

    def _latest_quote(self, at: dt.datetime) -> int:
        """The account's last quote before ``at``, or its first one."""
        position = bisect.bisect_right(self.times, at) - 1
        return self.own[max(position, 0)]

    def _linked(self, quote: int, at: dt.datetime) -> int | None:
        """Half the notes written soon after a quote are about that quote."""
        age = at - self.quotes[quote].created_at
        fresh = dt.timedelta(0) <= age <= dt.timedelta(days=LINK_WITHIN_DAYS)
        chosen = self.rng.random() < LINK_SHARE
        return quote if fresh and chosen else None

    def _fill(self, template: str, quote: int) -> str:
        lines = self.quotes[quote].lines
        product = lines[int(self.rng.integers(len(lines)))].product
        competitor = self._pick(templates.COMPETITORS)
        return template.format(
            contact=self.account.contact,
            title=self.account.contact_title,
            customer=self.account.name,
            product=PRODUCTS[product].name,
            competitor=competitor,
            n=int(self.rng.integers(5, 41)),
        )
