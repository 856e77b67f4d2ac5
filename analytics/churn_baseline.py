"""A transparent churn baseline: each account's silence against its own rhythm.

A customer who orders every 20 days and has been quiet for 60 is worrying; one
who orders twice a year and has been quiet for 60 is not. The baseline divides
the days since the last accepted order by the customer's usual gap between
orders and turns that overdue ratio into a score between 0 and 1. It is the
rule every learned churn model must beat.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_ORDERS_FOR_RHYTHM = 3
LAPSED_AFTER_DAYS = 365
LAPSED_AFTER_GAPS = 6.0


@dataclass(frozen=True)
class ChurnRisk:
    """One account's risk under the baseline, with its reason in words."""

    customer_id: int
    customer: str
    owner: str | None
    score: float
    overdue_ratio: float
    days_since_last_order: int
    usual_gap_days: float
    orders: int
    lapsed: bool
    reason: str


class RhythmChurnBaseline:
    """Score accounts by how overdue their next order is.

    Parameters
    ----------
    min_orders : int
        Accounts with fewer accepted orders borrow the median gap of the
        whole book instead of their own, and their reason says so.
    """

    def __init__(self, min_orders: int = MIN_ORDERS_FOR_RHYTHM) -> None:
        self.min_orders = min_orders

    def fit(self, quotes: pd.DataFrame) -> RhythmChurnBaseline:
        """Learn the book-wide median gap between accepted orders.

        Parameters
        ----------
        quotes : DataFrame
            One row per quote with ``customer_id``, ``created_at`` and
            ``status``, as ``storage.queries.quote_history`` returns it.
        """
        gaps = _order_gaps(_accepted_order_days(quotes))
        self.book_gap_days_ = float(gaps.median()) if len(gaps) else 30.0
        return self

    def score(self, quotes: pd.DataFrame, as_of: dt.date) -> list[ChurnRisk]:
        """Rank accounts with an accepted order: most overdue first, lapsed last."""
        if not hasattr(self, "book_gap_days_"):
            raise RuntimeError("RhythmChurnBaseline is not fitted; call fit first.")

        orders = _accepted_order_days(quotes)
        if orders.empty:
            return []
        profile = self._profile(orders, as_of)
        rejected = _recent_rejections(quotes)
        risks = [self._risk(row, rejected.get(row.customer_id, 0)) for row in profile]
        return sorted(risks, key=lambda risk: (risk.lapsed, -risk.overdue_ratio))

    def _profile(self, orders: pd.DataFrame, as_of: dt.date):
        gaps = orders.groupby("customer_id")["day"].diff().dt.days
        stats = (
            orders.assign(gap=gaps)
            .groupby("customer_id")
            .agg(
                customer=("customer", "first"),
                owner=("owner", "first"),
                orders=("day", "size"),
                last_day=("day", "max"),
                median_gap=("gap", "median"),
            )
        )
        as_of_ts = pd.Timestamp(as_of)
        stats["days_since"] = (as_of_ts - stats["last_day"]).dt.days.clip(lower=0)
        return stats.reset_index().itertuples(index=False)

    def _risk(self, row, rejected_recently: int) -> ChurnRisk:
        own_rhythm = row.orders >= self.min_orders and not np.isnan(row.median_gap)
        gap = max(float(row.median_gap), 1.0) if own_rhythm else self.book_gap_days_
        overdue = row.days_since / gap
        score = 1.0 - math.exp(-max(0.0, overdue - 1.0))
        lapsed = row.days_since > max(LAPSED_AFTER_DAYS, LAPSED_AFTER_GAPS * gap)
        return ChurnRisk(
            customer_id=int(row.customer_id),
            customer=row.customer,
            owner=row.owner,
            score=round(score, 3),
            overdue_ratio=round(overdue, 2),
            days_since_last_order=int(row.days_since),
            usual_gap_days=round(gap, 1),
            orders=int(row.orders),
            lapsed=bool(lapsed),
            reason=_reason(row, gap, own_rhythm, rejected_recently),
        )


def _accepted_order_days(quotes: pd.DataFrame) -> pd.DataFrame:
    """One row per customer and day with an accepted order, oldest first."""
    accepted = quotes[quotes["status"] == "accepted"]
    days = accepted.assign(day=pd.to_datetime(accepted["created_at"]).dt.normalize())
    days = days.drop_duplicates(["customer_id", "day"])
    return days.sort_values(["customer_id", "day"])[
        ["customer_id", "customer", "owner", "day"]
    ]


def _order_gaps(orders: pd.DataFrame) -> pd.Series:
    return orders.groupby("customer_id")["day"].diff().dt.days.dropna()


def _recent_rejections(quotes: pd.DataFrame, last: int = 3) -> dict[int, int]:
    """How many of each customer's last ``last`` decided quotes were rejected."""
    decided = quotes[quotes["status"].isin(["accepted", "rejected"])]
    latest = decided.sort_values("created_at").groupby("customer_id").tail(last)
    rejected = latest["status"].eq("rejected").groupby(latest["customer_id"]).sum()
    return {int(k): int(v) for k, v in rejected.items()}


def _reason(row, gap: float, own_rhythm: bool, rejected_recently: int) -> str:
    parts = [f"no order in {int(row.days_since)} days"]
    if own_rhythm:
        parts.append(f"usually orders every {gap:.0f} days")
    else:
        orders = "one order" if row.orders == 1 else f"{int(row.orders)} orders"
        parts.append(f"only {orders} so far; the book's usual gap is {gap:.0f} days")
    if rejected_recently >= 2:
        parts.append(f"{rejected_recently} of the last 3 quotes rejected")
    return "; ".join(parts)
