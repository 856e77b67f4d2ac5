"""Synthetic quote histories for the churn tests, built without a database.

``quote_rows`` writes one account's quotes by hand; ``quote_book`` draws a
whole book of accounts with their own ordering rhythm from a fixed seed,
about a third of which stop ordering on a known date after a run of rejected
quotes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

COLUMNS = (
    "quote_id",
    "customer_id",
    "customer",
    "owner",
    "owner_rep_id",
    "created_at",
    "status",
    "subtotal",
    "discount_pct",
    "total",
    "currency",
)
BOOK_START = pd.Timestamp("2023-01-02")
BOOK_DAYS = 720


def quote_rows(
    customer_id: int,
    days: list[str],
    status: str = "accepted",
    total: float = 1000.0,
    discount_pct: float = 10.0,
) -> list[dict]:
    """One quote per ISO day in ``days``, all alike, at 10:00."""
    return [
        {
            "customer_id": customer_id,
            "customer": f"Account {customer_id}",
            "owner": "Alex Rivera",
            "owner_rep_id": 1,
            "created_at": pd.Timestamp(day) + pd.Timedelta(hours=10),
            "status": status,
            "subtotal": total / (1 - discount_pct / 100),
            "discount_pct": discount_pct,
            "total": total,
            "currency": "USD",
        }
        for day in days
    ]


def quotes_frame(*groups: list[dict]) -> pd.DataFrame:
    """The rows of every group as a ``quote_history`` frame, oldest first."""
    frame = pd.DataFrame([row for group in groups for row in group])
    frame = frame.sort_values("created_at", kind="stable").reset_index(drop=True)
    frame["quote_id"] = np.arange(1, len(frame) + 1)
    return frame[list(COLUMNS)]


def quote_book(n_accounts: int = 120, seed: int = 0) -> pd.DataFrame:
    """Two years of quotes from ``n_accounts`` accounts, a third of them churning.

    Each account orders every ``gap`` days (7 to 45) with jitter and wins about
    60% of its quotes; a churner wins ever fewer in its last 90 days and stops
    on its churn date. Returned as a ``quote_history`` frame.
    """
    plans = _plans(n_accounts, seed)
    rng = np.random.default_rng(seed + 1)
    groups = [_account(rng, i + 1, plan) for i, plan in enumerate(plans)]
    return quotes_frame(*groups)


def book_churn_dates(n_accounts: int = 120, seed: int = 0) -> dict[int, pd.Timestamp]:
    """The churn date planted for each churning account of ``quote_book``."""
    plans = _plans(n_accounts, seed)
    return {i + 1: plan[2] for i, plan in enumerate(plans) if plan[2] is not None}


def _plans(n_accounts: int, seed: int) -> list[tuple]:
    rng = np.random.default_rng(seed)
    return [_plan(rng) for _ in range(n_accounts)]


def _account(rng: np.random.Generator, customer_id: int, plan: tuple) -> list[dict]:
    gap, start, churn, size = plan
    end = churn if churn is not None else BOOK_START + pd.Timedelta(days=BOOK_DAYS)
    rows = []
    day = start
    while day < end:
        pre_churn = churn is not None and (churn - day).days < 90
        win = 0.15 if pre_churn else 0.6
        status = "accepted" if rng.random() < win else "rejected"
        total = float(size * rng.lognormal(0.0, 0.3))
        rows += quote_rows(customer_id, [day.date().isoformat()], status, total)
        day += pd.Timedelta(days=max(1, int(gap * 0.6 * rng.uniform(0.6, 1.4))))
    return rows


def _plan(rng: np.random.Generator):
    """Gap, start, churn date (or None) and order size of one account."""
    gap = int(rng.integers(7, 46))
    start = BOOK_START + pd.Timedelta(days=int(rng.integers(0, 120)))
    churns = rng.random() < 0.35
    churn_day = int(rng.integers(300, BOOK_DAYS - 20))
    churn = BOOK_START + pd.Timedelta(days=churn_day) if churns else None
    size = float(rng.choice([500.0, 2000.0, 8000.0]))
    return gap, start, churn, size
