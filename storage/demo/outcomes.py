"""What became of each demo quote: its totals, its status and when it was decided.

Totals come from ``storage.quote_math``. A quote is accepted with the
probability its segment's logistic curve gives at the quote's price ratio,
lowered in the half-year before the account churns. Quotes from the last ten
days may still be drafts; quotes whose answer would come after today are
still ``sent``; unanswered quotes expire 30 days after they were created; and
no quote is accepted on or after its account's churn date.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from storage.demo.accounts import Account
from storage.demo.quotes import PRE_CHURN_WINDOW_DAYS, DemoQuote
from storage.demo.segments import SEGMENTS
from storage.quote_math import line_total, quote_totals
from storage.quote_numbers import format_quote_number

PRE_CHURN_LOGIT_PENALTY = 2.0
DRAFT_WINDOW_DAYS = 10
DRAFT_SHARE = 0.35
VALID_DAYS = 30
REJECTED_SHARE_OF_LOST = 0.65
DECISION_SPREAD = 0.6


def price_quotes(quotes: list[DemoQuote]) -> None:
    """Fill in every line total, subtotal and total, exactly as invoices do."""
    for quote in quotes:
        for line in quote.lines:
            line.line_total = line_total(
                line.quantity, line.unit_price, line.discount_pct
            )
        quote.subtotal, quote.total = quote_totals(
            (line.line_total for line in quote.lines), quote.discount_pct
        )


def acceptance_probabilities(
    quotes: list[DemoQuote], accounts: list[Account]
) -> np.ndarray:
    """The planted P(accept) of each priced quote.

    Returns
    -------
    ndarray, shape (n_quotes,)
    """
    ratio = np.array([float(q.total / q.list_value) for q in quotes])
    penalty = np.array([_pre_churn_penalty(q, accounts[q.account]) for q in quotes])
    segment_of = np.array([SEGMENTS.index(accounts[q.account].segment) for q in quotes])

    probabilities = np.empty(len(quotes))
    for position, segment in enumerate(SEGMENTS):
        own = segment_of == position
        probabilities[own] = segment.acceptance_probability(ratio[own], penalty[own])
    return probabilities


def decide_outcomes(
    rng: np.random.Generator,
    quotes: list[DemoQuote],
    accounts: list[Account],
    today: dt.date,
) -> None:
    """Set each quote's status, decision time and validity in place."""
    accepted = rng.random(len(quotes)) < acceptance_probabilities(quotes, accounts)
    rejected = rng.random(len(quotes)) < REJECTED_SHARE_OF_LOST
    drafts = rng.random(len(quotes)) < DRAFT_SHARE
    lags = rng.lognormal(0.0, DECISION_SPREAD, size=len(quotes))
    hours = rng.uniform(8.0, 18.0, size=len(quotes))

    now = dt.datetime.combine(today, dt.time())
    for i, quote in enumerate(quotes):
        account = accounts[quote.account]
        quote.valid_until = quote.created_at.date() + dt.timedelta(days=VALID_DAYS)
        decided = _decision_time(
            quote, lags[i] * account.segment.decision_days, hours[i]
        )
        recent = now - quote.created_at < dt.timedelta(days=DRAFT_WINDOW_DAYS)
        if recent and drafts[i]:
            quote.status = "draft"
        elif accepted[i] or rejected[i]:
            _decide(quote, account, "accepted" if accepted[i] else "rejected", decided)
        else:
            quote.status = "expired"
        _still_open(quote, now)


def _decision_time(quote: DemoQuote, days: float, hour: float) -> dt.datetime:
    """A working day at least one day after the quote, within its validity."""
    days = int(np.clip(np.ceil(days), 1, VALID_DAYS - 3))
    day = quote.created_at.date() + dt.timedelta(days=days)
    if day.weekday() >= 5:
        day += dt.timedelta(days=7 - day.weekday())
    return dt.datetime.combine(day, dt.time()) + dt.timedelta(
        seconds=round(hour * 3600)
    )


def _decide(quote: DemoQuote, account: Account, status: str, at: dt.datetime) -> None:
    quote.status, quote.decided_at = status, at
    if status == "accepted" and account.churn and at.date() >= account.churn:
        quote.status, quote.decided_at = "expired", None


def _still_open(quote: DemoQuote, now: dt.datetime) -> None:
    """A decision that lies after today has not happened yet."""
    undecided = quote.decided_at is not None and quote.decided_at >= now
    unexpired = quote.status == "expired" and quote.valid_until >= now.date()
    if undecided or unexpired:
        quote.status, quote.decided_at = "sent", None


def _pre_churn_penalty(quote: DemoQuote, account: Account) -> float:
    """Logit penalty growing linearly to 2.0 over the half-year before churn."""
    if account.churn is None:
        return 0.0
    days = (account.churn - quote.created_at.date()).days
    if days > PRE_CHURN_WINDOW_DAYS:
        return 0.0
    return -PRE_CHURN_LOGIT_PENALTY * (1 - max(days, 0) / PRE_CHURN_WINDOW_DAYS)


def assign_numbers(quotes: list[DemoQuote]) -> dict[int, int]:
    """Number quotes ``Q-YYYY-NNNN`` in time order; return the last used per year."""
    last: dict[int, int] = {}
    for quote in quotes:
        year = quote.created_at.year
        last[year] = last.get(year, 0) + 1
        quote.number = format_quote_number(year, last[year])
    return last
