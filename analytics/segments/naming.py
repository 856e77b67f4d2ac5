"""Names and descriptions of segments, relative to the whole customer base.

A segment is never named by a dollar threshold. Each segment's median of a
feature is placed within the distribution of that feature over all customers,
as a position from -1 (below every customer) through 0 (the median customer)
to +1 (above every customer). Each name in ``ARCHETYPES`` is a weighted mix
of positions, e.g. "High-value loyal" is high value, high frequency, a recent
last order and a long tenure; "Steady regulars" fits a segment close to the
median customer on everything. The same rules name the segments of a corner
shop and of a distributor, and multiplying every amount by a thousand
changes no name.

Names are handed out greedily, best fit first, each at most once. A segment
whose every unused name fits poorly takes the name it fits best and a
qualifier saying how it differs from the segment that already holds it
("Occasional, larger orders").

One more position, ``overdue``, measures silence against the customer's own
rhythm: days since the last order over the usual gap between orders. It helps
to tell "Slipping away" from simply "Occasional".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.segments.features import DAYS_PER_MONTH, FEATURES

ARCHETYPES: dict[str, dict[str, float]] = {
    "High-value loyal": {
        "value": 1.0,
        "frequency": 1.0,
        "recency": -1.0,
        "tenure": 0.5,
    },
    "Loyal regulars": {"frequency": 1.0, "recency": -1.0, "tenure": 1.0},
    "Growing": {"tenure": -1.0, "value": 0.5, "recency": -0.5},
    "Big-ticket occasional": {"order_size": 1.0, "frequency": -1.0},
    "Frequent small orders": {"frequency": 1.0, "order_size": -1.0},
    "Occasional": {"frequency": -1.0, "order_size": -1.0, "value": -0.5},
    "Slipping away": {"overdue": 1.0, "recency": 1.0},
    "Price-sensitive": {"acceptance": -1.0},
}
TYPICAL = "Steady regulars"
TYPICAL_FIT = 0.4
MIN_FIT = 0.25
QUALIFIERS = {
    "value": ("higher value", "lower value"),
    "frequency": ("more frequent", "less frequent"),
    "order_size": ("larger orders", "smaller orders"),
    "tenure": ("longer-standing", "newer"),
    "acceptance": ("higher win rate", "lower win rate"),
    "recency": ("longer silent", "more recent"),
}
RATIO_PHRASES = {
    "value": (
        "worth {} as much a year as {}",
        "worth {} less a year than {}",
        "worth about as much a year as {}",
    ),
    "frequency": (
        "orders {} as often as {}",
        "orders {} less often than {}",
        "orders about as often as {}",
    ),
    "order_size": (
        "average order {} that of {}",
        "average order {} smaller than that of {}",
        "average order about that of {}",
    ),
}
DESCRIBED_TRAITS = 2
MIN_DESCRIBED_CHANGE = 0.1
ABOUT_THE_SAME = 0.05


def relative_positions(features: pd.DataFrame, labels: np.ndarray) -> pd.DataFrame:
    """Where each segment's median customer stands within the whole base.

    Parameters
    ----------
    features : DataFrame, shape (n_customers, >= 6)
        The ``FEATURES`` columns of every customer.
    labels : ndarray of int, shape (n_customers,)
        Each customer's segment.

    Returns
    -------
    DataFrame, shape (n_segments, 7)
        One row per segment, one column per feature and ``overdue``; each a
        position in [-1, 1], 0 being the median of the base.
    """
    traits = trait_table(features)
    medians = traits.groupby(np.asarray(labels)).median()
    return medians.apply(lambda column: _position(traits[column.name], column))


def trait_table(features: pd.DataFrame) -> pd.DataFrame:
    """The ``FEATURES`` columns and ``overdue``, in gaps of the customer's own."""
    traits = features.loc[:, list(FEATURES)].astype(float)
    usual_gap = DAYS_PER_MONTH / traits["frequency"]
    return traits.assign(overdue=traits["recency"] / usual_gap)


def archetype_scores(positions: pd.DataFrame) -> pd.DataFrame:
    """How well each segment fits each name, shape (n_segments, n_names).

    A fit is the weighted mean of the positions the name cares about, so 1 is
    a perfect fit and -1 its opposite; ``TYPICAL`` fits segments close to the
    median customer on every feature.
    """
    scores = {
        name: sum(w * positions[f] for f, w in weights.items())
        / sum(abs(w) for w in weights.values())
        for name, weights in ARCHETYPES.items()
    }
    typical = TYPICAL_FIT - positions.loc[:, list(FEATURES)].abs().mean(axis=1)
    return pd.DataFrame({**scores, TYPICAL: typical}, index=positions.index)


def name_segments(features: pd.DataFrame, labels: np.ndarray) -> dict[int, str]:
    """A unique name per segment, from its profile relative to the base.

    Parameters
    ----------
    features : DataFrame, shape (n_customers, >= 6)
    labels : ndarray of int, shape (n_customers,)

    Returns
    -------
    dict of int to str
        Segment id to name, every name different.
    """
    positions = relative_positions(features, labels)
    scores = archetype_scores(positions)

    names = _best_fits(scores)
    for segment in scores.index.difference(list(names)):
        names[int(segment)] = _qualified_name(segment, names, scores, positions)
    return dict(sorted(names.items()))


def describe_segments(
    features: pd.DataFrame, labels: np.ndarray, names: dict[int, str]
) -> dict[int, str]:
    """One sentence per segment, in a rep's words, with relative numbers.

    The sentence names the segment's two most distinctive traits against the
    median customer of the base (by position, among those whose median is at
    least 10% off the base's), then the median days since the last order:
    "Orders 3.1 times as often as the typical customer; worth 5.2 times as
    much a year; last order 12 days ago (median; 38 across all customers)."

    Returns
    -------
    dict of int to str
        Segment id to sentence, for the ids in ``names``.
    """
    positions = relative_positions(features, labels)
    traits = trait_table(features)
    medians = traits.groupby(np.asarray(labels)).median()
    base = traits.median()

    return {
        segment: _sentence(positions.loc[segment], medians.loc[segment], base)
        for segment in names
    }


def _compare(feature: str, value: float, typical: float, whom: str) -> str:
    """A clause saying how ``value`` of ``feature`` compares with ``typical``.

    ``whom`` names the comparison, e.g. ``"the typical customer"``.
    """
    if feature in ("value", "frequency", "order_size"):
        return _ratio_clause(feature, value, typical, whom)
    if feature == "acceptance":
        return f"wins {value:.0%} of decided quotes, against {typical:.0%} for {whom}"
    if feature == "tenure":
        return f"a customer for {value:,.0f} days, against {typical:,.0f} for {whom}"
    return f"last order {value:,.0f} days ago, against {typical:,.0f} for {whom}"


def _position(base: pd.Series, values: pd.Series) -> pd.Series:
    """Mid-rank position of each of ``values`` among ``base``, in [-1, 1]."""
    ordered = np.sort(base.to_numpy())
    below = np.searchsorted(ordered, values.to_numpy(), side="left")
    up_to = np.searchsorted(ordered, values.to_numpy(), side="right")
    return pd.Series((below + up_to) / len(ordered) - 1.0, index=values.index)


def _best_fits(scores: pd.DataFrame) -> dict[int, str]:
    """Names handed out best fit first, each once, while the fit is good enough."""
    names: dict[int, str] = {}
    ranked = scores.stack().sort_values(ascending=False, kind="stable")
    for (segment, name), score in ranked.items():
        if score < MIN_FIT:
            break
        if segment not in names and name not in names.values():
            names[int(segment)] = name
    return names


def _qualified_name(
    segment: int,
    names: dict[int, str],
    scores: pd.DataFrame,
    positions: pd.DataFrame,
) -> str:
    """The best-fitting name, told apart from its holder by the widest gap."""
    best = str(scores.loc[segment].idxmax())
    holder = next((s for s, name in names.items() if name == best), None)
    if holder is None:
        return _unique(best, names)

    gaps = (
        positions.loc[segment, list(FEATURES)] - positions.loc[holder, list(FEATURES)]
    )
    feature = str(gaps.abs().idxmax())
    higher, lower = QUALIFIERS[feature]
    return _unique(f"{best}, {higher if gaps[feature] > 0 else lower}", names)


def _unique(name: str, names: dict[int, str]) -> str:
    taken = set(names.values())
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name} {number}", number + 1
    return candidate


def _sentence(positions: pd.Series, medians: pd.Series, base: pd.Series) -> str:
    """The most distinctive traits (those at least 10% off the base), then recency."""
    traits = [f for f in FEATURES if f != "recency"]
    change = (medians[traits] / base[traits].where(base[traits] > 0) - 1).abs()
    distinct = positions[traits].abs()[change.fillna(np.inf) >= MIN_DESCRIBED_CHANGE]
    strongest = distinct.sort_values(ascending=False, kind="stable").index

    clauses = [
        _compare(f, medians[f], base[f], "the typical customer")
        for f in strongest[:DESCRIBED_TRAITS]
    ]
    clauses.append(
        f"last order {medians['recency']:,.0f} days ago (median; "
        f"{base['recency']:,.0f} across all customers)"
    )
    text = "; ".join(clauses)
    return f"{text[0].upper()}{text[1:]}."


def _ratio_clause(feature: str, value: float, typical: float, whom: str) -> str:
    more, less, same = RATIO_PHRASES[feature]
    ratio = value / typical if typical > 0 else (np.inf if value > 0 else 1.0)
    if abs(ratio - 1) < ABOUT_THE_SAME:
        return same.format(whom)
    if ratio > 1:
        return more.format(_times(ratio), whom)
    return less.format(f"{1 - ratio:.0%}", whom)


def _times(ratio: float) -> str:
    if not np.isfinite(ratio):
        return "many times"
    return f"{ratio:.0f} times" if ratio >= 10 else f"{ratio:.1f} times"
