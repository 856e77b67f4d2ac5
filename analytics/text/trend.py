"""How an account's tone moves over time, from the net tone of its notes.

Net tone is P(positive) - P(negative) of each note (see
``NoteSentimentClassifier.net_tone``); a period's tone is the mean over its
notes. ``recent_shift`` compares the last days with everything before them,
which is what a rep asks when they ask how an account feels now.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

RECENT_DAYS = 90
CLEAR_SHIFT = 0.2


@dataclass(frozen=True)
class ToneShift:
    """Mean net tone of the recent notes and of those before them."""

    recent: float | None
    before: float | None
    recent_notes: int
    before_notes: int

    @property
    def direction(self) -> str:
        """ "warmer", "cooler", "steady", or "new" when one side has no notes."""
        if self.recent is None or self.before is None:
            return "new"
        change = self.recent - self.before
        if abs(change) < CLEAR_SHIFT:
            return "steady"
        return "warmer" if change > 0 else "cooler"


def tone_trend(notes: pd.DataFrame, freq: str = "QE") -> pd.DataFrame:
    """Mean net tone and note count per calendar period.

    Parameters
    ----------
    notes : DataFrame
        Columns ``created_at`` (datetime) and ``net_tone`` (float, -1 to 1).
    freq : str
        A pandas period-end frequency: "QE" for quarters, "ME" for months.

    Returns
    -------
    DataFrame
        One row per period that has notes, oldest first, with columns
        ``period`` (label such as "2026 Q2"), ``end`` (Timestamp), ``notes``
        and ``tone``.
    """
    grouped = notes.set_index("created_at")["net_tone"].resample(freq)
    trend = pd.DataFrame({"notes": grouped.count(), "tone": grouped.mean()})
    trend = trend[trend["notes"] > 0].reset_index(names="end")
    trend["period"] = [_label(end, freq) for end in trend["end"]]
    return trend[["period", "end", "notes", "tone"]]


def recent_shift(
    notes: pd.DataFrame, as_of: pd.Timestamp, days: int = RECENT_DAYS
) -> ToneShift:
    """The mean net tone of the ``days`` before ``as_of`` against all earlier."""
    since = pd.Timestamp(as_of) - pd.Timedelta(days=days)
    recent = notes.loc[notes["created_at"] >= since, "net_tone"]
    before = notes.loc[notes["created_at"] < since, "net_tone"]
    return ToneShift(_mean(recent), _mean(before), len(recent), len(before))


def _mean(values: pd.Series) -> float | None:
    return round(float(values.mean()), 3) if len(values) else None


def _label(end: pd.Timestamp, freq: str) -> str:
    if freq.startswith("Q"):
        return f"{end.year} Q{end.quarter}"
    return end.strftime("%b %Y")
