"""From behavioural features to the space the segments are drawn in.

Each feature is first transformed as ``FEATURE_TRANSFORMS`` says: money and
order rates become ``log1p(x / median)``, multiples of the median customer's,
so that multiplying every amount by a thousand changes nothing; days since the
last order become ``log1p(days)``; tenure and acceptance stay as they are.
Then ``StandardScaler`` centres each column and divides it by its standard
deviation, so no feature weighs more for being measured in larger units.

``FeatureScaling`` keeps the medians, means and scales as plain arrays, which
is what a JSON artifact needs and all that assigning a segment needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler

from analytics.segments.errors import ArtifactError
from analytics.segments.features import FEATURE_TRANSFORMS, FEATURES

TRANSFORMS = ("identity", "log", "log_ratio")


@dataclass(frozen=True)
class FeatureScaling:
    """The learned transform from features to standardised coordinates.

    Attributes
    ----------
    features : tuple of str, length n_features
        Column names, in the order of the other arrays.
    transforms : tuple of str, length n_features
        ``"identity"``, ``"log"`` or ``"log_ratio"`` per feature.
    medians : ndarray, shape (n_features,)
        Base medians that ``"log_ratio"`` features are divided by (1 elsewhere).
    mean, scale : ndarray, shape (n_features,)
        Mean and standard deviation of the transformed columns.
    """

    features: tuple[str, ...]
    transforms: tuple[str, ...]
    medians: np.ndarray
    mean: np.ndarray
    scale: np.ndarray

    @classmethod
    def fit(cls, features: pd.DataFrame, names: tuple[str, ...] = FEATURES) -> Self:
        """Learn the medians and the standardisation from ``features``.

        Parameters
        ----------
        features : DataFrame, shape (n_customers, >= n_features)
            Checked, finite, non-negative features with the columns ``names``.
        """
        transforms = tuple(FEATURE_TRANSFORMS.get(name, "identity") for name in names)
        values = features.loc[:, list(names)].to_numpy(dtype=float)

        medians = _ratio_medians(values, transforms)
        transformed = _apply(values, transforms, medians)
        scaler = StandardScaler().fit(transformed)

        return cls(names, transforms, medians, scaler.mean_, scaler.scale_)

    def transform(self, features: pd.DataFrame) -> np.ndarray:
        """Standardised coordinates, shape (n_customers, n_features)."""
        values = features.loc[:, list(self.features)].to_numpy(dtype=float)
        return (_apply(values, self.transforms, self.medians) - self.mean) / self.scale

    def state(self) -> dict[str, Any]:
        """The learned arrays as JSON-ready lists."""
        return {
            "features": list(self.features),
            "transforms": list(self.transforms),
            "medians": self.medians.tolist(),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Self:
        """Rebuild what ``state`` returned; refuses transforms this code lacks."""
        unknown = set(state["transforms"]) - set(TRANSFORMS)
        if unknown:
            raise ArtifactError(
                f"the artifact uses unknown feature transforms {sorted(unknown)}; "
                "re-train the segmenter with this code."
            )
        return cls(
            tuple(state["features"]),
            tuple(state["transforms"]),
            np.asarray(state["medians"], dtype=float),
            np.asarray(state["mean"], dtype=float),
            np.asarray(state["scale"], dtype=float),
        )


def _ratio_medians(values: np.ndarray, transforms: tuple[str, ...]) -> np.ndarray:
    """The column medians of ``"log_ratio"`` features, 1 for the others.

    A zero median (most customers at zero) falls back to the column mean, and
    a zero mean to 1, so the ratio stays defined.
    """
    medians = np.median(values, axis=0)
    means = values.mean(axis=0)
    medians = np.where(medians > 0, medians, np.where(means > 0, means, 1.0))
    is_ratio = np.array([t == "log_ratio" for t in transforms])
    return np.where(is_ratio, medians, 1.0)


def _apply(
    values: np.ndarray, transforms: tuple[str, ...], medians: np.ndarray
) -> np.ndarray:
    """``values`` of shape (n, n_features) with each column's transform applied."""
    out = values / medians
    for column, transform in enumerate(transforms):
        if transform != "identity":
            out[:, column] = np.log1p(out[:, column])
    return out
