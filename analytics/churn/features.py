"""What each account looked like at a cutoff, and whether it churned after it.

Features. ``churn_features(quotes, cutoff)`` describes every eligible account
from the quotes created strictly before ``cutoff`` and from nothing later, so
a model trained on it cannot peek at the outcome. Every column is a raw,
readable number (days, counts, money, shares), so a reason can quote it.

Eligibility. An account is scored at a cutoff when it placed at least one
accepted order before it and has not already lapsed. An account has lapsed
when its silence exceeds both 365 days and six of its usual gaps between
orders, the rule ``analytics.churn_baseline`` uses to set such accounts
apart. A lapsed account has left already; keeping it would pad every model's
scores with cases no rep needs flagged, so it is left out of the features, the
labels and the scores (``include_lapsed=True`` keeps it).

Labels. ``churn_labels(quotes, cutoff, window_days)`` is 1 for an eligible
account that places no accepted order in ``[cutoff, cutoff + window_days)``.

Days. The history's last data day is the day of its newest quote. Day counts
run from an event's calendar day to the cutoff's, so an order the day before
the cutoff is 1 day old.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd

from analytics.churn.errors import CutoffError, FeatureError
from analytics.churn_baseline import (
    LAPSED_AFTER_DAYS,
    LAPSED_AFTER_GAPS,
    MIN_ORDERS_FOR_RHYTHM,
)

RECENT_DAYS = 90
LAST_DECIDED = 5
LAST_FOR_REJECTIONS = 3
DEFAULT_BOOK_GAP_DAYS = 30.0
DECIDED = ("accepted", "rejected", "expired", "cancelled")
REQUIRED_COLUMNS = ("customer_id", "created_at", "status", "total", "discount_pct")

FEATURES = (
    "days_since_last_order",
    "usual_gap_days",
    "overdue_ratio",
    "orders_total",
    "order_days",
    "orders_last_90d",
    "orders_prev_90d",
    "revenue_last_90d",
    "revenue_prev_90d",
    "revenue_trend",
    "avg_order_value",
    "tenure_days",
    "quotes_last_90d",
    "days_since_last_quote",
    "acceptance_rate",
    "acceptance_last_5",
    "rejected_of_last_3",
    "mean_discount_pct",
)
LABEL = "churned"

Cutoff = str | dt.date | dt.datetime | pd.Timestamp


def churn_features(
    quotes: pd.DataFrame, cutoff: Cutoff, *, include_lapsed: bool = False
) -> pd.DataFrame:
    """Describe every eligible account from the quotes created before ``cutoff``.

    Parameters
    ----------
    quotes : DataFrame
        One row per quote, as ``storage.queries.quote_history`` returns it;
        needs ``customer_id, created_at, status, total, discount_pct``.
    cutoff : date, datetime, Timestamp or ISO string
        Only quotes with ``created_at < cutoff`` are read.
    include_lapsed : bool
        Keep accounts that have lapsed already (see the module docstring).

    Returns
    -------
    DataFrame, shape (n_accounts, len(FEATURES))
        Indexed by ``customer_id``, columns ``FEATURES`` as floats:

        - ``days_since_last_order``, ``days_since_last_quote`` (any status),
          ``tenure_days`` (since the first accepted order);
        - ``usual_gap_days``: median days between order days, or the book's
          median gap for accounts with fewer than three order days;
          ``overdue_ratio``: days since the last order over that gap;
        - ``orders_total`` (accepted quotes), ``order_days`` (days with one),
          ``orders_last_90d`` and ``orders_prev_90d`` (90 to 180 days back),
          ``quotes_last_90d`` (any status);
        - ``revenue_last_90d``, ``revenue_prev_90d``, ``avg_order_value``;
          ``revenue_trend``: ``(last - prev) / max(last, prev)``, in [-1, 1],
          0 when both are 0; when revenue fell it is minus the share lost;
        - ``acceptance_rate`` overall and ``acceptance_last_5`` over the last
          five decided quotes (accepted, rejected, expired or cancelled),
          ``rejected_of_last_3`` among the last three decided;
        - ``mean_discount_pct`` over all quotes.
    """
    cutoff = as_cutoff(cutoff)
    past = _before(check_quotes(quotes), cutoff)
    orders = past[past["status"] == "accepted"]
    if orders.empty:
        return _empty_features()

    rhythm = _rhythm(orders, cutoff)
    frame = rhythm.join(_volume(orders, cutoff)).join(_quoting(past, cutoff))
    if not include_lapsed:
        frame = frame[~_lapsed(frame)]
    return frame[list(FEATURES)].astype(float)


def churn_labels(
    quotes: pd.DataFrame,
    cutoff: Cutoff,
    window_days: int = 90,
    *,
    include_lapsed: bool = False,
) -> pd.Series:
    """Whether each eligible account placed no accepted order in the window.

    Parameters
    ----------
    quotes : DataFrame
        As for ``churn_features``.
    cutoff : date, datetime, Timestamp or ISO string
    window_days : int
        Length of the window ``[cutoff, cutoff + window_days)``.
    include_lapsed : bool
        As for ``churn_features``; use the same value for both.

    Returns
    -------
    Series, shape (n_accounts,)
        ``churned``: 1 or 0, indexed by ``customer_id`` like the features.

    Raises
    ------
    CutoffError
        When the window ends after the last data day, so its outcome is not
        known yet.
    """
    quotes = check_quotes(quotes)
    cutoff = as_cutoff(cutoff)
    _check_window(window_days)
    _check_labelled(quotes, cutoff, window_days)

    past = _before(quotes, cutoff)
    orders = past[past["status"] == "accepted"]
    if orders.empty:
        return pd.Series(index=_empty_features().index, name=LABEL, dtype=int)
    rhythm = _rhythm(orders, cutoff)
    if not include_lapsed:
        rhythm = rhythm[~_lapsed(rhythm)]

    end = cutoff + pd.Timedelta(days=window_days)
    after = quotes[(quotes["created_at"] >= cutoff) & (quotes["created_at"] < end)]
    buyers = after.loc[after["status"] == "accepted", "customer_id"].unique()
    churned = (~rhythm.index.isin(buyers)).astype(int)
    return pd.Series(churned, index=rhythm.index, name=LABEL)


def training_frame(
    quotes: pd.DataFrame,
    cutoffs: Iterable[Cutoff],
    window_days: int = 90,
    *,
    include_lapsed: bool = False,
) -> pd.DataFrame:
    """Features and labels of several cutoffs stacked, oldest cutoff first.

    Returns
    -------
    DataFrame, shape (n_rows, len(FEATURES) + 1)
        The ``FEATURES`` columns and ``churned``, indexed by
        ``(cutoff, customer_id)``; an account appears once per cutoff at
        which it is eligible.
    """
    quotes = check_quotes(quotes)
    frames = [
        _labelled(quotes, as_cutoff(cutoff), window_days, include_lapsed)
        for cutoff in sorted(as_cutoff(c) for c in cutoffs)
    ]
    if not frames:
        raise CutoffError("training_frame needs at least one cutoff; got none.")
    return pd.concat(frames)


def last_data_day(quotes: pd.DataFrame) -> pd.Timestamp:
    """The calendar day of the newest quote, at midnight."""
    return check_quotes(quotes)["created_at"].max().normalize()


def first_data_day(quotes: pd.DataFrame) -> pd.Timestamp:
    """The calendar day of the oldest quote, at midnight."""
    return check_quotes(quotes)["created_at"].min().normalize()


def as_cutoff(cutoff: Cutoff) -> pd.Timestamp:
    """A cutoff as a timezone-naive ``Timestamp``."""
    stamp = pd.Timestamp(cutoff)
    if pd.isna(stamp):
        raise CutoffError(f"cutoff must be a date or a timestamp; got {cutoff!r}.")
    return stamp.tz_localize(None) if stamp.tzinfo else stamp


def check_quotes(quotes: pd.DataFrame) -> pd.DataFrame:
    """``quotes`` itself once it has the columns the features read."""
    missing = [column for column in REQUIRED_COLUMNS if column not in quotes]
    if missing:
        raise FeatureError(
            f"the quotes frame lacks {', '.join(missing)}; load it with "
            "storage.queries.quote_history."
        )
    if quotes.empty:
        raise FeatureError("the quotes frame is empty; there is nothing to score.")
    return quotes


def _labelled(quotes, cutoff, window_days, include_lapsed) -> pd.DataFrame:
    features = churn_features(quotes, cutoff, include_lapsed=include_lapsed)
    labels = churn_labels(quotes, cutoff, window_days, include_lapsed=include_lapsed)
    frame = features.join(labels)
    return pd.concat({cutoff: frame}, names=["cutoff", "customer_id"])


def _before(quotes: pd.DataFrame, cutoff: pd.Timestamp) -> pd.DataFrame:
    past = quotes[pd.to_datetime(quotes["created_at"]) < cutoff]
    return past.assign(day=pd.to_datetime(past["created_at"]).dt.normalize())


def _rhythm(orders: pd.DataFrame, cutoff: pd.Timestamp) -> pd.DataFrame:
    """Silence and usual gap per account, as ``RhythmChurnBaseline`` measures them."""
    days = orders[["customer_id", "day"]].drop_duplicates()
    days = days.sort_values(["customer_id", "day"])
    gaps = days.groupby("customer_id")["day"].diff().dt.days
    book_gap = float(gaps.median()) if gaps.notna().any() else DEFAULT_BOOK_GAP_DAYS

    stats = (
        days.assign(gap=gaps)
        .groupby("customer_id")
        .agg(
            order_days=("day", "size"),
            first_day=("day", "min"),
            last_day=("day", "max"),
            median_gap=("gap", "median"),
        )
    )
    own = (stats["order_days"] >= MIN_ORDERS_FOR_RHYTHM) & stats["median_gap"].notna()
    usual = stats["median_gap"].clip(lower=1.0).where(own, book_gap)

    today = cutoff.normalize()
    silence = (today - stats["last_day"]).dt.days.clip(lower=0)
    return pd.DataFrame(
        {
            "days_since_last_order": silence,
            "usual_gap_days": usual,
            "overdue_ratio": silence / usual,
            "order_days": stats["order_days"],
            "tenure_days": (today - stats["first_day"]).dt.days,
        }
    )


def _volume(orders: pd.DataFrame, cutoff: pd.Timestamp) -> pd.DataFrame:
    """Orders and revenue per account, overall and in the last two quarters."""
    recent = orders["created_at"] >= cutoff - pd.Timedelta(days=RECENT_DAYS)
    earlier = orders["created_at"] >= cutoff - pd.Timedelta(days=2 * RECENT_DAYS)
    previous = earlier & ~recent
    flags = pd.DataFrame(
        {
            "orders_total": 1.0,
            "revenue_total": orders["total"],
            "orders_last_90d": recent.astype(float),
            "orders_prev_90d": previous.astype(float),
            "revenue_last_90d": orders["total"].where(recent, 0.0),
            "revenue_prev_90d": orders["total"].where(previous, 0.0),
        }
    )
    sums = flags.groupby(orders["customer_id"]).sum()

    last, prev = sums["revenue_last_90d"], sums["revenue_prev_90d"]
    larger = np.maximum(last, prev)
    sums["revenue_trend"] = ((last - prev) / larger.where(larger > 0)).fillna(0.0)
    sums["avg_order_value"] = sums["revenue_total"] / sums["orders_total"]
    return sums.drop(columns="revenue_total")


def _quoting(past: pd.DataFrame, cutoff: pd.Timestamp) -> pd.DataFrame:
    """Quoting activity and outcomes per account, over quotes of any status."""
    by_account = past.groupby("customer_id")
    recent = past["created_at"] >= cutoff - pd.Timedelta(days=RECENT_DAYS)
    stats = pd.DataFrame(
        {
            "quotes_last_90d": recent.groupby(past["customer_id"]).sum(),
            "days_since_last_quote": (cutoff.normalize() - by_account["day"].max()),
            "mean_discount_pct": by_account["discount_pct"].mean(),
        }
    )
    stats["days_since_last_quote"] = stats["days_since_last_quote"].dt.days
    stats["mean_discount_pct"] = stats["mean_discount_pct"].fillna(0.0)
    return stats.join(_outcomes(past))


def _outcomes(past: pd.DataFrame) -> pd.DataFrame:
    """Acceptance overall and lately, and rejections among the latest quotes."""
    decided = past[past["status"].isin(DECIDED)].sort_values(
        "created_at", kind="stable"
    )
    won = decided["status"].eq("accepted").astype(float)
    lost = decided["status"].eq("rejected").astype(float)
    newest = decided.groupby("customer_id").cumcount(ascending=False)
    account = decided["customer_id"]
    return pd.DataFrame(
        {
            "acceptance_rate": won.groupby(account).mean(),
            "acceptance_last_5": won[newest < LAST_DECIDED].groupby(account).mean(),
            "rejected_of_last_3": lost[newest < LAST_FOR_REJECTIONS]
            .groupby(account)
            .sum(),
        }
    )


def _lapsed(frame: pd.DataFrame) -> pd.Series:
    """Accounts silent for over a year and over six of their usual gaps."""
    limit = np.maximum(LAPSED_AFTER_DAYS, LAPSED_AFTER_GAPS * frame["usual_gap_days"])
    return frame["days_since_last_order"] > limit


def _check_window(window_days: int) -> None:
    if isinstance(window_days, bool) or not isinstance(window_days, int | np.integer):
        raise CutoffError(f"window_days must be a whole number; got {window_days!r}.")
    if window_days < 1:
        raise CutoffError(f"window_days must be at least 1; got {window_days}.")


def _check_labelled(quotes, cutoff: pd.Timestamp, window_days: int) -> None:
    last = last_data_day(quotes)
    end = cutoff + pd.Timedelta(days=window_days)
    if end > last:
        latest = (last - pd.Timedelta(days=window_days)).date()
        raise CutoffError(
            f"the {window_days}-day window after {cutoff.date()} ends on "
            f"{end.date()}, after the last day of data ({last.date()}), so its "
            f"outcome is not known yet; use a cutoff on or before {latest}."
        )


def _empty_features() -> pd.DataFrame:
    index = pd.Index([], name="customer_id", dtype="int64")
    return pd.DataFrame(columns=list(FEATURES), index=index, dtype=float)
