"""Orders: the one input every CLV model reads.

An orders frame has one row per order and the columns ``customer_id``,
``date`` (datetime64, naive) and ``amount`` (float). Any source can be turned
into one; ``orders_from_quotes`` does it for the store's quote history, where
an order is an accepted quote worth its ``total``.
"""

from __future__ import annotations

import pandas as pd

from analytics.clv.errors import OrdersError

COLUMNS = ("customer_id", "date", "amount")
ACCEPTED = "accepted"


def orders_from_quotes(quotes: pd.DataFrame) -> pd.DataFrame:
    """The accepted quotes as orders, dated by the day the quote was created.

    Parameters
    ----------
    quotes : DataFrame, shape (n_quotes, >= 4)
        As ``storage.queries.quote_history`` returns it; ``customer_id``,
        ``created_at``, ``status`` and ``total`` are read, and ``currency``
        when present.

    Returns
    -------
    DataFrame, shape (n_accepted, 3)
        Columns ``customer_id, date, amount``, sorted by date.
    """
    missing = {"customer_id", "created_at", "status", "total"} - set(quotes.columns)
    if missing:
        raise OrdersError(
            f"quotes lack the columns {sorted(missing)}; pass the frame "
            "storage.queries.quote_history returns."
        )

    accepted = quotes[quotes["status"] == ACCEPTED]
    _refuse_mixed_currencies(accepted)

    orders = pd.DataFrame(
        {
            "customer_id": accepted["customer_id"].to_numpy(),
            "date": pd.to_datetime(accepted["created_at"]).to_numpy(),
            "amount": accepted["total"].astype(float).to_numpy(),
        }
    )
    return check_orders(orders)


def check_orders(orders: pd.DataFrame) -> pd.DataFrame:
    """The orders with naive datetimes and float amounts, sorted by date.

    Raises ``OrdersError`` when a column is missing, a date is not a datetime,
    or an amount is missing.
    """
    missing = set(COLUMNS) - set(orders.columns)
    if missing:
        raise OrdersError(
            f"orders lack the columns {sorted(missing)}; pass one row per order "
            "with customer_id, date and amount (orders_from_quotes builds it)."
        )
    if not pd.api.types.is_datetime64_any_dtype(orders["date"]):
        raise OrdersError(
            f"orders['date'] must be datetime64; got {orders['date'].dtype}. "
            "Convert it with pandas.to_datetime."
        )

    checked = orders.loc[:, list(COLUMNS)].copy()
    if checked["date"].dt.tz is not None:
        checked["date"] = checked["date"].dt.tz_localize(None)
    checked["amount"] = checked["amount"].astype(float)
    if checked[["customer_id", "date", "amount"]].isna().any().any():
        raise OrdersError(
            "orders have missing customer ids, dates or amounts; drop or fill "
            "those rows first."
        )
    return checked.sort_values("date", kind="stable").reset_index(drop=True)


def as_day(cutoff) -> pd.Timestamp:
    """A cutoff as the midnight that starts its day: orders on it are future."""
    day = pd.Timestamp(cutoff)
    if day.tz is not None:
        day = day.tz_localize(None)
    return day.normalize()


def before(orders: pd.DataFrame, cutoff: pd.Timestamp) -> pd.DataFrame:
    """The orders placed strictly before ``cutoff``."""
    return orders[orders["date"] < cutoff]


def between(orders: pd.DataFrame, start: pd.Timestamp, days: int) -> pd.DataFrame:
    """The orders placed in ``[start, start + days)``."""
    end = start + pd.Timedelta(days=days)
    return orders[(orders["date"] >= start) & (orders["date"] < end)]


def _refuse_mixed_currencies(accepted: pd.DataFrame) -> None:
    if "currency" not in accepted.columns:
        return
    currencies = sorted(accepted["currency"].dropna().unique())
    if len(currencies) > 1:
        raise OrdersError(
            f"accepted quotes are in several currencies ({', '.join(currencies)}); "
            "value them in one currency, or pass the quotes of one currency."
        )
