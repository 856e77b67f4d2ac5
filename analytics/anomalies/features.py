"""Quote features as of the quote: each row sees only the quotes before it.

The original guide judged a quote by six numbers of its own; those are kept,
and six more place the quote against its context, which is what makes a
quote odd to a rep ("four times what this account usually orders").

The guide's six, the quote on its own:

``log_total``
    ``log1p`` of the quote total after discounts.
``lines``
    Number of quote lines.
``log_quantity``
    ``log1p`` of the units over all lines.
``log_unit_price``
    ``log1p`` of the average unit price (line value over units).
``discount_pct``
    The quote-level discount, in percent.
``log_days_since_previous``
    ``log1p`` of the days since the customer's previous quote, capped at 365
    (and 365 for a first quote): a burst of quotes, or one out of a silence.

The context, each computed from *earlier* quotes only:

``discount_depth``
    ``1 - total / list value``: how far below list the customer pays in all,
    line prices, line discounts and quote discount together.
``price_to_list``
    Line value over list value: the value-weighted unit price against list.
``size_vs_customer``
    ``log`` of the total over the median total of the customer's earlier
    quotes (0 for a first quote: nothing to compare with).
``size_vs_rep``
    ``log`` of the total over the median total of the rep's earlier quotes.
``rep_usual_discount``
    Median discount of the rep's earlier quotes (of all earlier quotes for a
    rep's first).
``discount_vs_rep``
    ``discount_pct - rep_usual_discount``, in points.

Quotes are ordered by creation time, then id; "earlier" is strictly before
in that order, so a quote never sees itself or anything after it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.anomalies.errors import FeatureError

FEATURES = (
    "log_total",
    "lines",
    "log_quantity",
    "log_unit_price",
    "discount_pct",
    "log_days_since_previous",
    "discount_depth",
    "price_to_list",
    "size_vs_customer",
    "size_vs_rep",
    "rep_usual_discount",
    "discount_vs_rep",
)
CONTEXT = (
    "quote_number",
    "customer_id",
    "customer",
    "rep_id",
    "rep",
    "created_at",
    "total",
    "customer_median",
    "rep_median",
    "customer_prior_quotes",
)
REQUIRED = (
    "quote_id",
    "customer_id",
    "created_at",
    "discount_pct",
    "total",
    "lines",
    "quantity",
    "line_value",
    "list_value",
)
MAX_GAP_DAYS = 365.0
MONEY_FLOOR = 1.0
NO_REP = -1


def quote_features(profiles: pd.DataFrame) -> pd.DataFrame:
    """The ``FEATURES`` and ``CONTEXT`` of every quote, as of its creation.

    Parameters
    ----------
    profiles : DataFrame, shape (n_quotes, >= 9)
        One row per quote as ``storage.queries.quote_profiles`` returns it;
        ``quote_number``, ``customer``, ``rep_id`` and ``rep`` are optional.

    Returns
    -------
    DataFrame, shape (n_quotes, 22)
        Indexed by ``quote_id`` in creation order; the ``FEATURES`` columns are
        finite floats, ``customer_median`` and ``rep_median`` are NaN where
        there is no earlier quote to take them from.
    """
    quotes = _ordered(profiles)
    features = pd.DataFrame(index=quotes.index)
    features["log_total"] = np.log1p(quotes["total"].clip(lower=0))
    features["lines"] = quotes["lines"].astype(float)
    features["log_quantity"] = np.log1p(quotes["quantity"].clip(lower=0))
    unit_price = _ratio(quotes["line_value"], quotes["quantity"], 0.0)
    features["log_unit_price"] = np.log1p(unit_price.clip(lower=0))
    features["discount_pct"] = quotes["discount_pct"]
    features["log_days_since_previous"] = _days_since_previous(quotes)

    features["discount_depth"] = 1 - _ratio(quotes["total"], quotes["list_value"], 1)
    features["price_to_list"] = _ratio(quotes["line_value"], quotes["list_value"], 1)
    customer_median = _prior_median(quotes, "customer_id", "total")
    rep_median = _prior_median(quotes, "rep_key", "total")
    features["size_vs_customer"] = _log_ratio(quotes["total"], customer_median)
    features["size_vs_rep"] = _log_ratio(quotes["total"], rep_median)
    usual = _prior_median(quotes, "rep_key", "discount_pct")
    features["rep_usual_discount"] = usual.fillna(_overall_prior_median(quotes))
    features["discount_vs_rep"] = (
        quotes["discount_pct"] - features["rep_usual_discount"]
    )

    context = _context(quotes, customer_median, rep_median)
    return (
        pd.concat([features.astype(float), context], axis=1)
        .set_index(quotes["quote_id"].to_numpy())
        .rename_axis("quote_id")
    )


def feature_matrix(features: pd.DataFrame) -> np.ndarray:
    """The ``FEATURES`` columns as a float matrix, shape (n_quotes, 12), checked."""
    missing = [name for name in FEATURES if name not in features]
    if missing:
        raise FeatureError(
            f"the features frame lacks the columns {', '.join(missing)}; build it "
            "with quote_features."
        )
    matrix = features.loc[:, list(FEATURES)].to_numpy(dtype=float)
    if not np.isfinite(matrix).all():
        raise FeatureError(
            "the quote features must be finite numbers; build them with quote_features."
        )
    return matrix


def _ordered(profiles: pd.DataFrame) -> pd.DataFrame:
    missing = [name for name in REQUIRED if name not in profiles]
    if missing:
        raise FeatureError(
            f"the quotes frame lacks the columns {', '.join(missing)}; read it with "
            "storage.queries.quote_profiles."
        )
    quotes = profiles.copy()
    quotes["created_at"] = pd.to_datetime(quotes["created_at"])
    if "rep_id" not in quotes:
        quotes["rep_id"] = np.nan
    quotes["rep_key"] = quotes["rep_id"].fillna(NO_REP).astype(int)
    for column in ("total", "discount_pct", "quantity", "line_value", "list_value"):
        quotes[column] = quotes[column].astype(float).fillna(0.0)
    order = quotes.sort_values(["created_at", "quote_id"], kind="stable")
    return order.reset_index(drop=True)


def _ratio(top: pd.Series, bottom: pd.Series, default: float) -> pd.Series:
    """``top / bottom`` where ``bottom`` is positive, ``default`` elsewhere."""
    ratio = top / bottom.where(bottom > 0)
    return ratio.fillna(default).astype(float)


def _days_since_previous(quotes: pd.DataFrame) -> pd.Series:
    gaps = quotes.groupby("customer_id", sort=False)["created_at"].diff()
    days = gaps.dt.total_seconds() / 86400
    return np.log1p(days.fillna(MAX_GAP_DAYS).clip(0, MAX_GAP_DAYS))


def _prior_median(quotes: pd.DataFrame, key: str, column: str) -> pd.Series:
    """Per row, the median of ``column`` over the earlier rows of its ``key``."""
    running = quotes.groupby(key, sort=False)[column].expanding().median()
    previous = running.groupby(level=0, sort=False).shift()
    return previous.droplevel(0).reindex(quotes.index)


def _overall_prior_median(quotes: pd.DataFrame) -> pd.Series:
    return quotes["discount_pct"].expanding().median().shift().fillna(0.0)


def _log_ratio(total: pd.Series, median: pd.Series) -> pd.Series:
    ratio = np.log(total.clip(lower=MONEY_FLOOR) / median.clip(lower=MONEY_FLOOR))
    return ratio.fillna(0.0)


def _context(
    quotes: pd.DataFrame, customer_median: pd.Series, rep_median: pd.Series
) -> pd.DataFrame:
    context = pd.DataFrame(index=quotes.index)
    for column in ("quote_number", "customer", "rep"):
        context[column] = quotes.get(column)
    context["customer_id"] = quotes["customer_id"]
    context["rep_id"] = quotes["rep_id"]
    context["created_at"] = quotes["created_at"]
    context["total"] = quotes["total"]
    context["customer_median"] = customer_median
    context["rep_median"] = rep_median
    prior = quotes.groupby("customer_id", sort=False).cumcount()
    context["customer_prior_quotes"] = prior
    return context.loc[:, list(CONTEXT)]
