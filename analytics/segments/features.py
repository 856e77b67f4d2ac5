"""What each buying customer does, as one row of behavioural features.

``segment_features`` turns the quote history (one row per quote, as
``storage.queries.quote_history`` builds it) into one row per customer with
at least one accepted order. Every feature is a rate, a ratio or a number of
days, so the same rules name segments of a corner shop and of a distributor:

``value``
    Accepted revenue per year of tenure. A lifetime rate rather than the last
    twelve months' revenue, so that value says what the account is worth while
    it buys and ``recency`` alone says whether it has stopped; the two do not
    count the same silence twice.
``frequency``
    Accepted orders per month of tenure.
``order_size``
    Average accepted order total.
``tenure``
    Days from the customer's first quote (of any status) to ``as_of``.
``acceptance``
    Accepted quotes over decided ones: everything but ``draft`` and ``sent``,
    so a ``cancelled`` quote counts as decided and not won.
``recency``
    Days from the last accepted order to ``as_of``.

Rates are taken over at least ``MIN_RATE_DAYS`` of tenure, so one order in a
customer's first week is not blown up into a yearly rate. Two more columns,
``orders`` and ``revenue`` (accepted, to date), are kept for profiles; they
are not clustered.

``value``, ``frequency`` and ``order_size`` are heavy-tailed and grow with the
size of the business, so the segmenter measures them in multiples of the
median customer's and takes ``log1p`` of that; ``recency`` is skewed too and
gets ``log1p`` of its days. ``FEATURE_TRANSFORMS`` says which is which.
"""

from __future__ import annotations

import datetime as dt
import logging

import pandas as pd

from analytics.segments.errors import SegmentError

logger = logging.getLogger(__name__)

FEATURES = ("value", "frequency", "order_size", "tenure", "acceptance", "recency")
EXTRA_COLUMNS = ("orders", "revenue")
FEATURE_TRANSFORMS = {
    "value": "log_ratio",
    "frequency": "log_ratio",
    "order_size": "log_ratio",
    "tenure": "identity",
    "acceptance": "identity",
    "recency": "log",
}
REQUIRED_COLUMNS = ("customer_id", "created_at", "status", "total")
ACCEPTED = "accepted"
OPEN_STATUSES = ("draft", "sent")
MIN_RATE_DAYS = 90
DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12


def segment_features(
    quotes: pd.DataFrame, as_of: dt.date | dt.datetime | pd.Timestamp | str
) -> pd.DataFrame:
    """One row of behavioural features per customer with an accepted order.

    Parameters
    ----------
    quotes : DataFrame, shape (n_quotes, >= 4)
        The quote history; needs ``customer_id, created_at, status, total``.
    as_of : date, datetime, Timestamp or str
        The day the features are measured on; quotes created after that day
        are ignored, quotes created on it count.

    Returns
    -------
    DataFrame, shape (n_customers, 8)
        Indexed by ``customer_id`` in ascending order; the columns
        ``FEATURES`` (floats) then ``orders`` (int) and ``revenue`` (float).
        Empty when no customer has an accepted order by ``as_of``.
    """
    day = as_of_day(as_of)
    known = _quotes_known_on(_check_quotes(quotes), day)

    totals = _totals_per_customer(known)
    buyers = totals[totals["orders"] > 0]

    features = _behaviour(buyers, day)
    logger.debug("built segment features of %s customers on %s", len(features), day)
    return features


def as_of_day(as_of: dt.date | dt.datetime | pd.Timestamp | str) -> pd.Timestamp:
    """``as_of`` as a timezone-naive midnight."""
    try:
        day = pd.Timestamp(as_of)
    except (TypeError, ValueError) as error:
        raise SegmentError(
            f"as_of must be a date such as '2026-06-30'; got {as_of!r}."
        ) from error
    if pd.isna(day):
        raise SegmentError("as_of must be a date such as '2026-06-30'; got nothing.")
    return day.tz_localize(None).normalize() if day.tzinfo else day.normalize()


def _check_quotes(quotes: pd.DataFrame) -> pd.DataFrame:
    missing = [column for column in REQUIRED_COLUMNS if column not in quotes]
    if missing:
        raise SegmentError(
            f"the quotes frame lacks the columns {', '.join(missing)}; build it "
            "with storage.queries.quote_history."
        )
    return quotes


def _quotes_known_on(quotes: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """The quotes created on or before ``day``, one row each with its day."""
    created = pd.to_datetime(quotes["created_at"])
    if created.dt.tz is not None:
        created = created.dt.tz_localize(None)
    created_day = created.dt.normalize()

    known = created_day <= day
    return pd.DataFrame(
        {
            "customer_id": quotes["customer_id"][known],
            "day": created_day[known],
            "status": quotes["status"][known],
            "total": quotes["total"][known].astype(float),
        }
    )


def _totals_per_customer(quotes: pd.DataFrame) -> pd.DataFrame:
    """First quote, last order, orders, decided quotes and revenue per customer."""
    accepted = quotes["status"].eq(ACCEPTED)
    marks = quotes.assign(
        accepted=accepted.astype(int),
        decided=(~quotes["status"].isin(OPEN_STATUSES)).astype(int),
        revenue=quotes["total"].where(accepted, 0.0),
        order_day=quotes["day"].where(accepted),
    )
    return marks.groupby("customer_id").agg(
        first_day=("day", "min"),
        last_order_day=("order_day", "max"),
        orders=("accepted", "sum"),
        decided=("decided", "sum"),
        revenue=("revenue", "sum"),
    )


def _behaviour(totals: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """The features from the per-customer totals of buying customers."""
    tenure = (day - totals["first_day"]).dt.days.astype(float)
    rate_days = tenure.clip(lower=MIN_RATE_DAYS)
    orders = totals["orders"].astype(int)
    revenue = totals["revenue"].astype(float)

    columns = {
        "value": revenue / rate_days * DAYS_PER_YEAR,
        "frequency": orders / rate_days * DAYS_PER_MONTH,
        "order_size": revenue / orders,
        "tenure": tenure,
        "acceptance": orders / totals["decided"],
        "recency": (day - totals["last_order_day"]).dt.days.astype(float),
        "orders": orders,
        "revenue": revenue,
    }
    features = pd.DataFrame(columns, index=totals.index.rename("customer_id"))
    return features.sort_index()
