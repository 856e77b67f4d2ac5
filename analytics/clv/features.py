"""Behavioural features of each customer at a cutoff, and training frames.

Every feature is computed from the orders strictly before the cutoff, in
days; orders on one day count as one purchase. A training frame stacks the
features at several earlier cutoffs ``c`` with the revenue of
``[c, c + horizon)`` as the target, every window ending by the day the model
is fitted for, so training never sees what it will be judged on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.clv.errors import TooLittleHistoryError
from analytics.clv.orders import as_day, before, between, check_orders
from analytics.clv.summary import future_value, purchase_periods, repeat_spend

WINDOWS = (90, 180, 365)
FEATURES = (
    "frequency",
    "recency_days",
    "tenure_days",
    "days_since_last",
    "monetary_value",
    "mean_purchase_value",
    "revenue_total",
    *(f"revenue_{days}d" for days in WINDOWS),
    *(f"purchases_{days}d" for days in WINDOWS),
    "revenue_trend_90d",
    "mean_gap_days",
    "overdue_ratio",
    "revenue_same_window_last_year",
    "season_index",
)
YEAR = pd.Timedelta(days=365)


def behavioural_features(
    orders: pd.DataFrame, cutoff, horizon_days: int = 90
) -> pd.DataFrame:
    """What each customer had done by ``cutoff``, and what the season promises.

    Features (days are whole days, ``-1`` the day before the cutoff):
    ``frequency`` repeat purchases; ``recency_days`` first to last purchase;
    ``tenure_days`` first purchase to the day before the cutoff;
    ``days_since_last``; ``monetary_value`` mean repeat purchase (0 without);
    ``mean_purchase_value`` and ``revenue_total`` over all purchases;
    ``revenue_{90,180,365}d`` and ``purchases_{90,180,365}d`` in the last
    90, 180 and 365 days; ``revenue_trend_90d`` the last 90 days' revenue
    minus the 90 before; ``mean_gap_days`` between purchases and
    ``overdue_ratio`` (days since last over the mean gap), missing without a
    repeat purchase. Two features carry the season of the window to predict,
    ``[cutoff, cutoff + horizon_days)``, and are missing without a year of
    history: ``revenue_same_window_last_year``, the customer's revenue in
    that window a year earlier, and ``season_index``, the whole book's
    revenue in that window a year earlier over its mean for a window that
    long in the year before the cutoff (1 without seasonality); windows
    longer than a year are cut to their first 365 days. Pass the
    orders of every customer, not of one, for the index to mean the same.

    Parameters
    ----------
    orders : DataFrame, shape (n_orders, 3)
        Columns ``customer_id, date, amount``.
    cutoff : date-like
    horizon_days : int
        Length of the window to predict.

    Returns
    -------
    DataFrame, shape (n_customers, 18)
        Columns ``FEATURES``, indexed by the ``customer_id`` of every customer
        with an order before ``cutoff``.
    """
    purchases = purchase_periods(orders, cutoff, "D")
    purchases = purchases[purchases["period"] < 0]
    by_customer = purchases.groupby("customer_id")
    first, last = by_customer["period"].min(), by_customer["period"].max()

    frame = pd.DataFrame({"frequency": by_customer.size() - 1})
    frame["recency_days"] = last - first
    frame["tenure_days"] = -1 - first
    frame["days_since_last"] = -1 - last
    frame["monetary_value"] = repeat_spend(purchases).reindex(frame.index, fill_value=0)
    frame["mean_purchase_value"] = by_customer["amount"].mean()
    frame["revenue_total"] = by_customer["amount"].sum()

    frame = _add_rhythm(_add_windows(frame, purchases).fillna(0.0))
    frame = _add_season(frame, check_orders(orders), as_day(cutoff), horizon_days)
    return frame.loc[:, list(FEATURES)].astype(float)


def training_cutoffs(
    orders: pd.DataFrame,
    as_of,
    horizon_days: int,
    n_cutoffs: int,
    step_days: int,
    min_history_days: int,
    model: str,
) -> list[pd.Timestamp]:
    """The cutoffs to learn from: every window ends by ``as_of``.

    The latest is ``as_of - horizon_days``, the others ``step_days`` apart
    before it; a cutoff needs ``min_history_days`` of orders before it.

    Returns
    -------
    list of Timestamp, newest first, at least one
    """
    as_of = as_day(as_of)
    history = before(check_orders(orders), as_of)
    first = history["date"].min().normalize() if len(history) else as_of

    latest = as_of - pd.Timedelta(days=horizon_days)
    candidates = [latest - pd.Timedelta(days=k * step_days) for k in range(n_cutoffs)]
    cutoffs = [c for c in candidates if (c - first).days >= min_history_days]
    if not cutoffs:
        raise TooLittleHistoryError(
            horizon_days + min_history_days,
            (as_of - first).days,
            f"days of orders before {as_of.date().isoformat()}",
            model,
            "Use a later date, a shorter horizon, or the BG/NBD model.",
        )
    return cutoffs


def training_frame(
    orders: pd.DataFrame, cutoffs: list[pd.Timestamp], horizon_days: int
) -> tuple[pd.DataFrame, np.ndarray]:
    """Features at each cutoff with the revenue of the following window.

    Returns
    -------
    X : DataFrame, shape (n_rows, 18)
        One row per cutoff and customer with an order before it.
    y : ndarray, shape (n_rows,)
    """
    parts, targets = [], []
    for cutoff in cutoffs:
        features = behavioural_features(orders, cutoff, horizon_days)
        target = future_value(orders, cutoff, horizon_days)
        parts.append(features)
        targets.append(target.reindex(features.index).to_numpy())

    X = pd.concat(parts, ignore_index=True)
    return X, np.concatenate(targets)


def _add_windows(frame: pd.DataFrame, purchases: pd.DataFrame) -> pd.DataFrame:
    for days in WINDOWS:
        recent = purchases[purchases["period"] >= -days].groupby("customer_id")
        frame[f"revenue_{days}d"] = recent["amount"].sum()
        frame[f"purchases_{days}d"] = recent.size()
    return frame


def _add_rhythm(frame: pd.DataFrame) -> pd.DataFrame:
    previous_90d = frame["revenue_180d"] - frame["revenue_90d"]
    frame["revenue_trend_90d"] = frame["revenue_90d"] - previous_90d

    repeats = frame["frequency"].where(frame["frequency"] > 0)
    frame["mean_gap_days"] = frame["recency_days"] / repeats
    gap = frame["mean_gap_days"].where(frame["mean_gap_days"] > 0)
    frame["overdue_ratio"] = frame["days_since_last"] / gap
    return frame


def _add_season(
    frame: pd.DataFrame, orders: pd.DataFrame, cutoff: pd.Timestamp, days: int
) -> pd.DataFrame:
    days = min(days, 365)  # a longer window would reach past the cutoff
    window = between(orders, cutoff - YEAR, days)
    last_year = window.groupby("customer_id")["amount"].sum()
    frame["revenue_same_window_last_year"] = last_year.reindex(frame.index).fillna(0.0)
    joined_later = frame["tenure_days"] + 1 < 365  # after the window opened
    frame.loc[joined_later, "revenue_same_window_last_year"] = np.nan

    year = between(orders, cutoff - YEAR, 365)["amount"].sum()
    has_year = len(orders) and (cutoff - orders["date"].min()).days >= 365
    index = (
        window["amount"].sum() / (year * days / 365) if has_year and year else np.nan
    )
    frame["season_index"] = index
    return frame
