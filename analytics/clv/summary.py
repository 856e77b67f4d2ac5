"""Per-customer summaries of the orders before a cutoff, and what came after it.

Time is cut into periods of one day (``freq="D"``) or seven days
(``freq="W"``), counted back from the cutoff: period ``-1`` is the last one
before the cutoff, period ``0`` the first one after it. Orders in the same
period are one purchase worth their sum, as Fader, Hardie and Lee count
transactions. The cutoff is a day: orders on it belong to the future.

``rfm_summary`` gives, per customer with an order before the cutoff and in
periods:

- ``frequency``: repeat purchases, the number of purchase periods minus one;
- ``recency``: the period of the last purchase minus that of the first;
- ``T``: the last period before the cutoff minus that of the first purchase;
- ``monetary_value``: the mean value of the repeat purchases (the first one
  left out, as the Gamma-Gamma spend model wants), 0 without repeats.

``future_value`` and ``future_repeat_count`` are the targets: revenue and
purchases in ``[cutoff, cutoff + days)`` of the same customers, 0 for those
who bought nothing. Customers whose first order falls after the cutoff are in
neither, since nothing before the cutoff speaks for them.
"""

from __future__ import annotations

import pandas as pd

from analytics.clv.errors import OrdersError
from analytics.clv.orders import as_day, before, between, check_orders

PERIOD_DAYS = {"D": 1, "W": 7}
SUMMARY_COLUMNS = ("frequency", "recency", "T", "monetary_value")


def period_days(freq: str) -> int:
    """Days per period of ``freq``: 1 for ``"D"``, 7 for ``"W"``."""
    if freq not in PERIOD_DAYS:
        raise OrdersError(f"freq must be 'D' or 'W'; got {freq!r}.")
    return PERIOD_DAYS[freq]


def rfm_summary(orders: pd.DataFrame, cutoff, freq: str = "D") -> pd.DataFrame:
    """Frequency, recency, age and repeat spend of each customer at ``cutoff``.

    Parameters
    ----------
    orders : DataFrame, shape (n_orders, 3)
        Columns ``customer_id, date, amount``; orders on or after ``cutoff``
        are ignored.
    cutoff : date-like
        The first day not seen.
    freq : {"D", "W"}
        The period length, and so the unit of ``recency`` and ``T``.

    Returns
    -------
    DataFrame, shape (n_customers, 4)
        Columns ``frequency, recency, T, monetary_value``, indexed by
        ``customer_id``; ``attrs`` records ``freq`` and ``cutoff``.
    """
    cutoff = as_day(cutoff)
    purchases = purchase_periods(orders, cutoff, freq)
    purchases = purchases[purchases["period"] < 0]

    by_customer = purchases.groupby("customer_id")["period"]
    first, last = by_customer.min(), by_customer.max()
    summary = pd.DataFrame(
        {
            "frequency": by_customer.size() - 1,
            "recency": (last - first).astype(float),
            "T": (-1 - first).astype(float),
            "monetary_value": repeat_spend(purchases).reindex(first.index),
        }
    )

    summary["monetary_value"] = summary["monetary_value"].fillna(0.0)
    summary.attrs.update(freq=freq, cutoff=cutoff.isoformat())
    return summary


def purchase_periods(orders: pd.DataFrame, cutoff, freq: str = "D") -> pd.DataFrame:
    """One row per customer and period with an order, worth the period's sum.

    Returns
    -------
    DataFrame, shape (n_purchases, 3)
        Columns ``customer_id, period, amount``, sorted by customer and period;
        ``period`` is the whole number of periods from ``cutoff`` (negative
        before it).
    """
    orders = check_orders(orders)
    length = pd.Timedelta(days=period_days(freq))

    periods = (orders["date"] - as_day(cutoff)) // length
    frame = orders.assign(period=periods.astype("int64"))
    grouped = frame.groupby(["customer_id", "period"], sort=True)["amount"].sum()
    return grouped.reset_index()


def repeat_spend(purchases: pd.DataFrame) -> pd.Series:
    """Mean value of each customer's purchases after the first one.

    Parameters
    ----------
    purchases : DataFrame, shape (n_purchases, 3)
        As ``purchase_periods`` returns it (sorted by customer and period).

    Returns
    -------
    Series, shape (n_repeat_customers,)
        Indexed by ``customer_id``; customers without repeats are absent.
    """
    repeats = purchases[purchases.groupby("customer_id").cumcount() > 0]
    return repeats.groupby("customer_id")["amount"].mean()


def future_value(orders: pd.DataFrame, cutoff, days: int) -> pd.Series:
    """Revenue of each customer in ``[cutoff, cutoff + days)``.

    Returns
    -------
    Series, shape (n_customers,)
        Indexed by the ``customer_id`` of every customer with an order before
        ``cutoff``; 0 for those who bought nothing in the window.
    """
    orders, cutoff = check_orders(orders), as_day(cutoff)

    window = between(orders, cutoff, days)
    revenue = window.groupby("customer_id")["amount"].sum()
    return _for_cohort(revenue, orders, cutoff, "future_value", float)


def future_repeat_count(
    orders: pd.DataFrame, cutoff, days: int, freq: str = "D"
) -> pd.Series:
    """Purchases (periods with an order) of each customer in the window.

    Returns
    -------
    Series, shape (n_customers,)
        Indexed like ``future_value``; whole numbers.
    """
    orders, cutoff = check_orders(orders), as_day(cutoff)

    window = purchase_periods(between(orders, cutoff, days), cutoff, freq)
    counts = window.groupby("customer_id").size()
    return _for_cohort(counts, orders, cutoff, "future_repeat_count", int)


def past_value(orders: pd.DataFrame, cutoff, days: int) -> pd.Series:
    """Revenue of each customer in the ``days`` before ``cutoff``.

    Returns
    -------
    Series, shape (n_customers,)
        Indexed like ``future_value``; 0 for customers quiet in that time.
    """
    orders, cutoff = check_orders(orders), as_day(cutoff)

    window = between(orders, cutoff - pd.Timedelta(days=days), days)
    revenue = window.groupby("customer_id")["amount"].sum()
    return _for_cohort(revenue, orders, cutoff, "past_value", float)


def _for_cohort(values, orders, cutoff, name, dtype) -> pd.Series:
    cohort = pd.Index(before(orders, cutoff)["customer_id"].unique()).sort_values()
    series = values.reindex(cohort, fill_value=0).astype(dtype)
    series.index.name = "customer_id"
    return series.rename(name)
