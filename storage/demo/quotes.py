"""Demo quotes: when each account asks, what it buys, and at what discount.

Quote requests arrive as a Poisson process per account and day, with the
rate of the account's segment shaped by the shared seasonality profile, the
account's life story (nothing before its start or from its churn date on,
thinning orders in the half-year before churn, a rising rate for growing
accounts) and the weekday. Each quote's lines are drawn from the account's
own product affinity, with bundle companions added at their planted rates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from storage.demo.accounts import Account
from storage.demo.catalog import HARDWARE, PRODUCTS, companions_of
from storage.demo.seasonality import DAYS_PER_YEAR, History, Seasonality
from storage.demo.segments import DISCOUNT_LEVELS, SEGMENTS

ZERO = Decimal(0)
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
PRE_CHURN_WINDOW_DAYS = 180
PRE_CHURN_RATE_FLOOR = 0.4
GROWTH_START_LEVEL = 0.7
MAX_EXTRA_LINES = 6
QUANTITY_SPREAD = 0.45
OFF_HOURS_SHARE = 0.06
OTHER_REP_SHARE = 0.05
VOLUME_DISCOUNT_QUANTITY = 40
VOLUME_DISCOUNT_PCT = Decimal(5)


@dataclass(slots=True)
class DemoLine:
    product: int
    quantity: int
    unit_price: Decimal
    discount_pct: Decimal = ZERO
    line_total: Decimal = ZERO

    @property
    def list_value(self) -> Decimal:
        return self.quantity * PRODUCTS[self.product].list_price


@dataclass(slots=True)
class DemoQuote:
    """A quote before it has an id; indexes point into accounts and products."""

    account: int
    rep: int
    created_at: dt.datetime
    discount_pct: Decimal
    lines: list[DemoLine] = field(default_factory=list)
    status: str = "sent"
    decided_at: dt.datetime | None = None
    valid_until: dt.date | None = None
    number: str = ""
    subtotal: Decimal = ZERO
    total: Decimal = ZERO
    anomaly: str | None = None
    anomaly_factor: float | None = None

    @property
    def list_value(self) -> Decimal:
        return sum((line.list_value for line in self.lines), ZERO)


def build_quotes(
    rng: np.random.Generator,
    accounts: list[Account],
    history: History,
    seasonality: Seasonality,
) -> list[DemoQuote]:
    """Every account's quotes over the history, oldest first, priced at list."""
    rates = quote_rates(accounts, history, seasonality)
    account_of, day_of = _quote_days(rng, rates)
    seconds = _times_of_day(rng, len(day_of))
    order = np.lexsort((account_of, seconds, day_of))

    account_of, day_of, seconds = account_of[order], day_of[order], seconds[order]
    reps = _quote_reps(rng, accounts, account_of)
    discounts = _discounts(rng, accounts, account_of)
    draws = _LineDraws.sample(rng, accounts, account_of)

    quotes = []
    for i, account in enumerate(account_of):
        created = dt.datetime.combine(history.date(day_of[i]), dt.time())
        created += dt.timedelta(seconds=int(seconds[i]))
        quote = DemoQuote(int(account), reps[i], created, discounts[i])
        size = _size_scale(accounts[account], history, day_of[i])
        quote.lines = draws.lines(i, size)
        quotes.append(quote)
    return quotes


def quote_rates(
    accounts: list[Account], history: History, seasonality: Seasonality
) -> np.ndarray:
    """Expected quotes per account and day.

    Returns
    -------
    ndarray, shape (n_accounts, n_days)
    """
    profile = seasonality.daily_profile(history.start, history.days)
    day = np.arange(history.days)[None, :]
    start = np.array([history.offset(a.start) for a in accounts])[:, None]
    churn = np.array([_churn_offset(a, history) for a in accounts])[:, None]
    base = np.array([a.segment.quotes_per_month for a in accounts])[:, None]

    active = (day >= start) & (day < churn)
    to_churn = np.clip((churn - day) / PRE_CHURN_WINDOW_DAYS, 0.0, 1.0)
    thinning = PRE_CHURN_RATE_FLOOR + (1 - PRE_CHURN_RATE_FLOOR) * to_churn
    growth = _growth(accounts, day, start)
    return active * thinning * growth * profile * base / DAYS_PER_MONTH


def product_affinity(rng: np.random.Generator, accounts: list[Account]) -> np.ndarray:
    """Each account's probability of picking each product for a line.

    Returns
    -------
    ndarray, shape (n_accounts, n_products)
        Rows sum to 1: catalogue popularity, times the segment's taste, times a
        Gamma(0.7) preference of the account's own.
    """
    weights = np.array([[_weight(p, s) for p in PRODUCTS] for s in SEGMENTS])
    segment_of = np.array([SEGMENTS.index(a.segment) for a in accounts])
    taste = rng.gamma(0.7, size=(len(accounts), len(PRODUCTS)))

    affinity = weights[segment_of] * taste
    return affinity / affinity.sum(axis=1, keepdims=True)


def _weight(product, segment) -> float:
    category = segment.category_weights.get(product.category, 1.0)
    boost = segment.product_boosts.get(product.sku, 1.0)
    return product.popularity * category * boost


def _churn_offset(account: Account, history: History) -> int:
    if account.churn is None:
        return history.days + 10_000
    return history.offset(account.churn)


def _growth(accounts: list[Account], day: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Rate multiplier of growing accounts, rising from 0.7 at their start."""
    rate = np.array([a.growth_rate for a in accounts])[:, None]
    years = np.clip(day - np.maximum(start, 0), 0, None) / DAYS_PER_YEAR
    return np.where(rate > 0, GROWTH_START_LEVEL * np.exp(rate * years), 1.0)


def _quote_days(
    rng: np.random.Generator, rates: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(account, day) of each quote; an account with none gets one on a likely day."""
    counts = rng.poisson(rates)
    for account in np.flatnonzero(counts.sum(axis=1) == 0):
        weights = rates[account] / rates[account].sum()
        counts[account, rng.choice(len(weights), p=weights)] = 1

    accounts, days = np.nonzero(counts)
    repeat = counts[accounts, days]
    return np.repeat(accounts, repeat), np.repeat(days, repeat)


def _times_of_day(rng: np.random.Generator, count: int) -> np.ndarray:
    """Seconds after midnight: office hours mostly, a few evening quotes."""
    office = np.clip(rng.normal(11.8, 2.2, size=count), 8.0, 17.9)
    evening = rng.uniform(18.0, 21.5, size=count)
    off_hours = rng.random(count) < OFF_HOURS_SHARE
    return np.round(np.where(off_hours, evening, office) * 3600)


def _quote_reps(
    rng: np.random.Generator, accounts: list[Account], account_of: np.ndarray
) -> list[int]:
    """The owner, except when another rep covers (holidays, overflow)."""
    covers = rng.random(len(account_of)) < OTHER_REP_SHARE
    cover = rng.integers(1, 5, size=len(account_of))
    return [
        int(cover[i]) if covers[i] else accounts[a].owner
        for i, a in enumerate(account_of)
    ]


def _discounts(
    rng: np.random.Generator, accounts: list[Account], account_of: np.ndarray
) -> list[Decimal]:
    """The discount each quote offers, from its segment's usual levels."""
    cdf = np.cumsum([s.discount_probs for s in SEGMENTS], axis=1)
    segment_of = np.array([SEGMENTS.index(accounts[a].segment) for a in account_of])
    draws = rng.random(len(account_of))

    levels = (draws[:, None] >= cdf[segment_of]).sum(axis=1)
    levels = np.minimum(levels, len(DISCOUNT_LEVELS) - 1)
    return [Decimal(str(DISCOUNT_LEVELS[level])) for level in levels]


def _size_scale(account: Account, history: History, day: int) -> float:
    """How many of each product this account buys now, relative to a small firm."""
    scale = account.segment.size_scale * account.size_factor
    if account.growth_rate > 0:
        years = max(day - max(history.offset(account.start), 0), 0) / DAYS_PER_YEAR
        scale *= np.sqrt(GROWTH_START_LEVEL * np.exp(account.growth_rate * years))
    return float(scale)


@dataclass(frozen=True)
class _LineDraws:
    """All random draws behind the quotes' lines, made at once for speed.

    Products are picked without replacement in proportion to the account's
    affinity by the Gumbel-top-k trick; each bundle companion joins when its
    uniform draw falls below its rate.
    """

    counts: np.ndarray
    ranking: np.ndarray
    joins: np.ndarray
    spreads: np.ndarray

    @classmethod
    def sample(
        cls, rng: np.random.Generator, accounts: list[Account], account_of: np.ndarray
    ) -> _LineDraws:
        affinity = product_affinity(rng, accounts)
        extra = np.array([accounts[a].segment.extra_lines for a in account_of])
        shape = (len(account_of), len(PRODUCTS))

        counts = 1 + np.minimum(rng.poisson(extra), MAX_EXTRA_LINES)
        keys = np.log(affinity[account_of]) + rng.gumbel(size=shape)
        ranking = np.argsort(-keys, axis=1, kind="stable")
        joins = rng.random(shape)
        spreads = rng.lognormal(0.0, QUANTITY_SPREAD, size=shape)
        return cls(counts, ranking, joins, spreads)

    def lines(self, quote: int, size: float) -> list[DemoLine]:
        picks = [int(p) for p in self.ranking[quote, : self.counts[quote]]]
        for product in list(picks):
            for companion, rate in companions_of(product):
                if self.joins[quote, companion] < rate and companion not in picks:
                    picks.append(companion)
        return [_line(p, size, self.spreads[quote, p]) for p in picks]


def _line(product: int, size: float, spread: float) -> DemoLine:
    item = PRODUCTS[product]
    quantity = item.base_quantity
    if item.scales:
        quantity = max(1, int(round(item.base_quantity * size * spread)))

    line = DemoLine(product, quantity, item.list_price)
    if item.category == HARDWARE and quantity >= VOLUME_DISCOUNT_QUANTITY:
        line.discount_pct = VOLUME_DISCOUNT_PCT
    return line


def quotes_by_account(quotes: list[DemoQuote], accounts: int) -> list[list[int]]:
    """Indexes of each account's quotes, oldest first."""
    grouped: list[list[int]] = [[] for _ in range(accounts)]
    for index, quote in enumerate(quotes):
        grouped[quote.account].append(index)
    return grouped
