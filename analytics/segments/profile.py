"""What each segment looks like, and where one customer stands in theirs.

``segment_profiles`` is the table a segmentation is read from: per segment its
size, its share of customers and of revenue, its median of each feature and
that median over the base's. ``describe_customer`` says which segment one
customer is in and what sets them apart from it and from the base.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analytics.segments.errors import UnknownCustomerError
from analytics.segments.features import FEATURES

if TYPE_CHECKING:
    from analytics.segments.model import CustomerSegmenter

STANDOUT = 0.5
STANDOUTS = 2
PHRASES = {
    "value": ("worth {} a year", "{:,.0f}"),
    "frequency": ("{} orders a month", "{:.2f}"),
    "order_size": ("average order {}", "{:,.0f}"),
    "tenure": ("a customer for {} days", "{:,.0f}"),
    "acceptance": ("wins {} of decided quotes", "{:.0%}"),
    "recency": ("last order {} days ago", "{:,.0f}"),
}


@dataclass(frozen=True)
class CustomerSegment:
    """One customer's segment and how they compare with it and with the base.

    Attributes
    ----------
    comparison : DataFrame, shape (6, 3)
        One row per feature; columns ``customer``, ``segment_median`` and
        ``base_median``.
    standouts : tuple of str
        Clauses for the (at most two) features on which the customer is
        furthest from their segment's centre, at least half a standard
        deviation of the base away.
    summary : str
        A sentence for a rep: the segment and the standouts.
    """

    customer_id: int
    segment: int
    name: str
    comparison: pd.DataFrame
    standouts: tuple[str, ...]
    summary: str


def base_medians(features: pd.DataFrame) -> pd.Series:
    """The median customer of the base, shape (6,), indexed by ``FEATURES``."""
    return features.loc[:, list(FEATURES)].astype(float).median()


def segment_profiles(
    features: pd.DataFrame,
    labels: np.ndarray,
    names: dict[int, str],
    descriptions: dict[int, str] | None = None,
) -> pd.DataFrame:
    """The profile table: one row per segment.

    Parameters
    ----------
    features : DataFrame, shape (n_customers, >= 6)
        The ``FEATURES`` columns, and ``revenue`` for the revenue share (the
        yearly ``value`` stands in when it is missing).
    labels : ndarray of int, shape (n_customers,)
    names, descriptions : dict of int to str
        Segment id to name and to sentence.

    Returns
    -------
    DataFrame, shape (n_segments, 4 + 2 * 6 + 1)
        Indexed by ``segment``; ``name, customers, share, revenue_share``, then
        ``median_<feature>`` and ``<feature>_vs_base`` (the segment median over
        the base median) for each feature, then ``description``.
    """
    labels = np.asarray(labels)
    revenue = features["revenue"] if "revenue" in features else features["value"]
    groups = features.loc[:, list(FEATURES)].astype(float).groupby(labels)

    medians = groups.median().add_prefix("median_")
    ratios = (groups.median() / base_medians(features)).add_suffix("_vs_base")
    sizes = pd.Series(labels).value_counts().sort_index()

    table = pd.DataFrame(
        {
            "name": pd.Series(names),
            "customers": sizes,
            "share": sizes / len(labels),
            "revenue_share": revenue.groupby(labels).sum() / revenue.sum(),
        }
    ).join([medians, ratios])
    table["description"] = pd.Series(descriptions or {}, dtype="str")
    return table.rename_axis("segment")


def describe_customer(
    model: CustomerSegmenter, features: pd.DataFrame, customer_id: int
) -> CustomerSegment:
    """The segment of ``customer_id`` and what sets them apart.

    Parameters
    ----------
    model : CustomerSegmenter
        A fitted segmenter; its profiles give the segment and base medians.
    features : DataFrame, shape (n_customers, >= 6)
        Features indexed by customer id, from ``segment_features``.
    customer_id : int

    Returns
    -------
    CustomerSegment
    """
    if customer_id not in features.index:
        raise UnknownCustomerError(customer_id)
    row = features.loc[[customer_id]]

    segment = int(model.predict(row)[0])
    comparison = _comparison(model, row, segment)
    standouts = _standouts(model, row, segment, comparison)

    name = model.names_[segment]
    summary = _summary(name, model, segment, standouts)
    return CustomerSegment(
        int(customer_id), segment, name, comparison, standouts, summary
    )


def _comparison(
    model: CustomerSegmenter, row: pd.DataFrame, segment: int
) -> pd.DataFrame:
    profile = model.profiles_.loc[segment]
    return pd.DataFrame(
        {
            "customer": row.loc[:, list(FEATURES)].iloc[0].astype(float),
            "segment_median": [profile[f"median_{f}"] for f in FEATURES],
            "base_median": model.base_medians_.loc[list(FEATURES)],
        },
        index=list(FEATURES),
    )


def _standouts(
    model: CustomerSegmenter,
    row: pd.DataFrame,
    segment: int,
    comparison: pd.DataFrame,
) -> tuple[str, ...]:
    """Clauses for the features furthest from the segment centre."""
    distance = model.transform(row)[0] - model.centers_[segment]
    gaps = pd.Series(np.abs(distance), index=list(FEATURES))
    furthest = gaps[gaps >= STANDOUT].sort_values(ascending=False, kind="stable")

    return tuple(
        _standout(feature, comparison.loc[feature])
        for feature in furthest.index[:STANDOUTS]
    )


def _standout(feature: str, numbers: pd.Series) -> str:
    """E.g. "last order 372 days ago, against 7 in their segment and 50 overall"."""
    phrase, shown = PHRASES[feature][0], PHRASES[feature][1].format
    return (
        f"{phrase.format(shown(numbers['customer']))}, against "
        f"{shown(numbers['segment_median'])} in their segment and "
        f"{shown(numbers['base_median'])} overall"
    )


def _summary(
    name: str, model: CustomerSegmenter, segment: int, standouts: tuple[str, ...]
) -> str:
    if not standouts:
        return f"In {name}, and typical of it: {model.descriptions_[segment]}"
    return f"In {name}. Sets them apart: {'; '.join(standouts)}."
