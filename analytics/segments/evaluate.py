"""Fitting segments on a quote history, and the numbers that judge them.

``fit_segments`` is what training and batch assignment call: features on a
day, a fitted ``CustomerSegmenter``. ``evaluate_segments`` is what
``quotebot evaluate`` reports: the chosen k and its silhouette, Davies-Bouldin
index and bootstrap stability, every k tried, the segments, and the fixed
``k=4`` baseline of the original guide on the same features.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pandas as pd

from analytics.segments.errors import SegmentError, TooFewCustomersError
from analytics.segments.features import segment_features
from analytics.segments.model import FIXED_K, CustomerSegmenter

logger = logging.getLogger(__name__)

DIGITS = 4
AsOf = dt.date | dt.datetime | pd.Timestamp | str | None


def fit_segments(
    quotes: pd.DataFrame,
    as_of: AsOf = None,
    *,
    k: int | str = "auto",
    random_state: int = 0,
) -> tuple[CustomerSegmenter, pd.DataFrame]:
    """Segment the customers of ``quotes`` as they stand on ``as_of``.

    Parameters
    ----------
    quotes : DataFrame, shape (n_quotes, >= 4)
        The quote history from ``storage.queries.quote_history``.
    as_of : date, datetime, Timestamp, str or None
        The day to measure on; None takes the day of the latest quote.
    k, random_state
        Passed to ``CustomerSegmenter``.

    Returns
    -------
    model : CustomerSegmenter
        Fitted; ``model.labels_`` are the segments of ``features``' rows.
    features : DataFrame, shape (n_customers, 8)
        From ``segment_features``, indexed by customer id.
    """
    features = segment_features(quotes, latest_day(quotes) if as_of is None else as_of)
    model = CustomerSegmenter(k=k, random_state=random_state).fit(features)
    return model, features


def evaluate_segments(quotes: pd.DataFrame, as_of: AsOf = None) -> dict[str, Any]:
    """The segmentation's quality on ``quotes``, as plain JSON-ready numbers.

    Returns
    -------
    dict
        ``k``, ``silhouette``, ``davies_bouldin``, ``stability_ari`` (mean ARI
        of bootstrap refits), ``customers``, ``scores`` (per k tried, its
        ``silhouette`` and ``davies_bouldin``), ``segments`` (per segment, most
        valuable first: ``name, customers, share, revenue_share``) and
        ``fixed_k4`` (``silhouette`` and ``davies_bouldin`` of four segments,
        both None when there are too few customers for four). Floats are
        rounded to 4 digits.
    """
    model, features = fit_segments(quotes, as_of)
    chosen = model.scores_[model.k_]

    report = {
        "k": model.k_,
        "silhouette": _round(chosen["silhouette"]),
        "davies_bouldin": _round(chosen["davies_bouldin"]),
        "stability_ari": _round(model.stability_ari(features)),
        "customers": len(features),
        "scores": {k: _rounded(s) for k, s in model.scores_.items()},
        "segments": _segments(model),
        "fixed_k4": _fixed_k4(model, features),
    }
    logger.info(
        "evaluated segments of %s customers: k=%s, silhouette %s, stability %s",
        report["customers"],
        report["k"],
        report["silhouette"],
        report["stability_ari"],
    )
    return report


def latest_day(quotes: pd.DataFrame) -> pd.Timestamp:
    """The day of the newest quote: the store's 'today' for historical data."""
    if quotes.empty or "created_at" not in quotes:
        raise SegmentError(
            "there are no quotes to segment; import some or pass another store."
        )
    return pd.to_datetime(quotes["created_at"]).max().normalize()


def _segments(model: CustomerSegmenter) -> list[dict[str, Any]]:
    profiles = model.profiles_
    return [
        {
            "name": row["name"],
            "customers": int(row["customers"]),
            "share": _round(row["share"]),
            "revenue_share": _round(row["revenue_share"]),
        }
        for _, row in profiles.iterrows()
    ]


def _fixed_k4(model: CustomerSegmenter, features: pd.DataFrame) -> dict[str, Any]:
    """The scores of four segments, reusing the auto search when it tried four."""
    if FIXED_K in model.scores_:
        return _rounded(model.scores_[FIXED_K])
    try:
        fixed = CustomerSegmenter(k=FIXED_K, random_state=model.random_state)
        return _rounded(fixed.fit(features).scores_[FIXED_K])
    except TooFewCustomersError:
        return {"silhouette": None, "davies_bouldin": None}


def _rounded(scores: dict[str, float]) -> dict[str, float]:
    return {name: _round(value) for name, value in scores.items()}


def _round(value: float) -> float:
    return round(float(value), DIGITS)
