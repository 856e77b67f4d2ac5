"""The transparent baseline: an account's silence against its own rhythm.

The score is ``1 - exp(-max(0, overdue_ratio - 1))``, the one
``analytics.churn_baseline.RhythmChurnBaseline`` gives: zero until the
account is past its usual gap between orders, then rising towards one. It
learns nothing from the labels; calibration (on a later cutoff, as for every
model) turns the score into a probability. Every learned model is judged
against it.
"""

from __future__ import annotations

import numpy as np

from analytics.churn.base import ChurnModel


def overdue_score(overdue_ratio: np.ndarray) -> np.ndarray:
    """The baseline's score of each overdue ratio, shape kept."""
    overdue = np.asarray(overdue_ratio, dtype=float)
    return 1.0 - np.exp(-np.maximum(0.0, overdue - 1.0))


class RulesChurnModel(ChurnModel):
    """Score accounts by how overdue their next order is; no learned weights."""

    name = "rules"
    label = "Overdue rhythm (rules)"
    features = ("overdue_ratio",)

    def __init__(self) -> None:
        pass

    def _fit(self, X, y, validation) -> None:
        """Nothing to learn: the rule is fixed."""

    def _raw_proba(self, X: np.ndarray) -> np.ndarray:
        return overdue_score(X[:, 0])
