"""Turning a model's raw scores into probabilities a rep can take at their word.

A calibrator is fitted on the raw scores a model gives accounts at a later
cutoff than any it was trained on (the validation cutoff), against what those
accounts then did. Two methods:

- **isotonic**: the best non-decreasing step function from score to churn
  rate (``sklearn.isotonic.IsotonicRegression``, clipped outside the scores
  it saw), interpolated linearly between its thresholds. Flexible, but it
  needs many accounts: with few it learns their noise.
- **platt**: a logistic curve on the logit of the score, two numbers. Keeps
  the ranking and is steady on small sets.

Platt is the default: it never reorders or ties accounts, so a model's
ranking survives calibration. ``"auto"`` picks isotonic for at least
``ISOTONIC_MIN_ROWS`` validation accounts and Platt below. A calibrator is
stored as JSON: the isotonic thresholds, or the Platt slope and intercept.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar, Self

import numpy as np
from scipy.special import expit, logit
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from analytics.churn.errors import ArtifactError, ChurnError, FeatureError

CALIBRATIONS = ("isotonic", "platt")
ISOTONIC_MIN_ROWS = 1000
SCORE_FLOOR = 1e-6


class Calibrator(ABC):
    """Maps raw scores, shape (n,), to calibrated probabilities, shape (n,)."""

    method: ClassVar[str] = ""

    def fit(self, scores: np.ndarray, y: np.ndarray) -> Self:
        """Learn the map from ``scores`` to the outcomes ``y`` (0 or 1)."""
        scores, y = np.asarray(scores, dtype=float), np.asarray(y, dtype=float)
        if len(np.unique(y)) < 2:
            raise FeatureError(
                "calibration needs both churned and retained accounts at the "
                "validation cutoff; got only one kind. Use a longer history."
            )
        self._fit(scores, y)
        return self

    def transform(self, scores: np.ndarray) -> np.ndarray:
        """Calibrated probabilities of churn, between 0 and 1."""
        return np.clip(self._transform(np.asarray(scores, dtype=float)), 0.0, 1.0)

    @abstractmethod
    def _fit(self, scores: np.ndarray, y: np.ndarray) -> None: ...

    @abstractmethod
    def _transform(self, scores: np.ndarray) -> np.ndarray: ...

    @abstractmethod
    def to_dict(self) -> dict[str, Any]:
        """The learned map as JSON-ready values, with its ``method``."""

    @staticmethod
    def from_dict(state: dict[str, Any]) -> Calibrator:
        """Rebuild a calibrator from what ``to_dict`` returned."""
        method = state.get("method")
        if method == IsotonicCalibrator.method:
            return IsotonicCalibrator.restore(state)
        if method == PlattCalibrator.method:
            return PlattCalibrator.restore(state)
        raise ArtifactError(
            f"unknown calibration {method!r} in the artifact; re-train the model."
        )


class IsotonicCalibrator(Calibrator):
    """A non-decreasing step map, linear between its thresholds.

    Attributes
    ----------
    thresholds_x_, thresholds_y_ : ndarray, shape (n_thresholds,)
        ``X_thresholds_`` and ``y_thresholds_`` of the fitted regression.
    """

    method = "isotonic"

    def _fit(self, scores: np.ndarray, y: np.ndarray) -> None:
        regression = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
        regression.fit(scores, y)
        self.thresholds_x_ = np.asarray(regression.X_thresholds_, dtype=float)
        self.thresholds_y_ = np.asarray(regression.y_thresholds_, dtype=float)

    def _transform(self, scores: np.ndarray) -> np.ndarray:
        return np.interp(scores, self.thresholds_x_, self.thresholds_y_)

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "X_thresholds_": self.thresholds_x_.tolist(),
            "y_thresholds_": self.thresholds_y_.tolist(),
        }

    @classmethod
    def restore(cls, state: dict[str, Any]) -> IsotonicCalibrator:
        calibrator = cls()
        calibrator.thresholds_x_ = np.asarray(state["X_thresholds_"], dtype=float)
        calibrator.thresholds_y_ = np.asarray(state["y_thresholds_"], dtype=float)
        return calibrator


class PlattCalibrator(Calibrator):
    """A logistic curve on the logit of the raw score.

    Attributes
    ----------
    coef_, intercept_ : float
        ``P = expit(coef_ * logit(score) + intercept_)``.
    """

    method = "platt"

    def _fit(self, scores: np.ndarray, y: np.ndarray) -> None:
        regression = LogisticRegression(C=1e4)
        regression.fit(_logit(scores)[:, None], y)
        self.coef_ = float(regression.coef_[0, 0])
        self.intercept_ = float(regression.intercept_[0])

    def _transform(self, scores: np.ndarray) -> np.ndarray:
        return expit(self.coef_ * _logit(scores) + self.intercept_)

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "coef": self.coef_, "intercept": self.intercept_}

    @classmethod
    def restore(cls, state: dict[str, Any]) -> PlattCalibrator:
        calibrator = cls()
        calibrator.coef_ = float(state["coef"])
        calibrator.intercept_ = float(state["intercept"])
        return calibrator


def make_calibrator(method: str, n_rows: int) -> Calibrator:
    """A new calibrator for ``method``, resolving ``"auto"`` by ``n_rows``."""
    method = resolve_calibration(method, n_rows)
    return IsotonicCalibrator() if method == "isotonic" else PlattCalibrator()


def resolve_calibration(method: str, n_rows: int) -> str:
    """``"isotonic"`` or ``"platt"``; ``"auto"`` is isotonic from 1,000 rows."""
    if method == "auto":
        return "isotonic" if n_rows >= ISOTONIC_MIN_ROWS else "platt"
    if method not in CALIBRATIONS:
        raise ChurnError(
            f"calibration must be 'auto', 'isotonic' or 'platt'; got {method!r}."
        )
    return method


def _logit(scores: np.ndarray) -> np.ndarray:
    return logit(np.clip(scores, SCORE_FLOOR, 1.0 - SCORE_FLOOR))
