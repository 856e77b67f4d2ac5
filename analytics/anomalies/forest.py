"""An Isolation Forest whose trees are kept as plain arrays, not a pickle.

scikit-learn's ``IsolationForest`` learns the trees; ``fit`` then copies each
tree into five arrays (split feature, threshold, left and right child, and
the path length a quote that ends in a leaf is credited with), all trees end
to end. Scoring walks those arrays for every quote and tree at once, level by
level, and gives exactly what scikit-learn's ``score_samples`` gives, negated
so that higher is more unusual: ``2 ** (-mean path length / c(max_samples))``,
between 0 and 1. The arrays are the model's whole state, so the artifact is
JSON and reloading it gives the same scores to the last bit.
"""

from __future__ import annotations

from typing import Any, Self

import numpy as np
from sklearn.ensemble import IsolationForest

from analytics.anomalies.errors import NotFittedError
from analytics.params import HyperparameterMixin

LEAF = -1


class IsolationForestDetector(HyperparameterMixin):
    """Isolation Forest over the quote features (no scaling needed).

    Parameters
    ----------
    n_estimators : int
        Number of trees.
    max_samples : int
        Quotes drawn to grow each tree (all of them when fewer).
    random_state : int
        Seed of the subsamples and the splits.

    Attributes
    ----------
    trees_ : dict of str to ndarray
        ``feature, threshold, left, right, leaf_length`` of every node of
        every tree, end to end (children as absolute positions, -1 at leaves).
    roots_ : ndarray of int, shape (n_estimators,)
        Where each tree starts in ``trees_``.
    depth_ : int
        Deepest level of any tree.
    max_samples_ : int
        Quotes that grew each tree.
    """

    name = "isolation_forest"

    def __init__(
        self, n_estimators: int = 200, max_samples: int = 256, random_state: int = 0
    ) -> None:
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.random_state = random_state

    def fit(self, X: np.ndarray) -> Self:
        """Grow the forest on the quote features ``X``, shape (n_quotes, n_features)."""
        forest = IsolationForest(
            n_estimators=self.n_estimators,
            max_samples=min(self.max_samples, len(X)),
            random_state=self.random_state,
        ).fit(X)
        parts = [
            _tree_arrays(tree.tree_, features)
            for tree, features in zip(
                forest.estimators_, forest.estimators_features_, strict=True
            )
        ]
        self._join(parts)
        self.max_samples_ = int(forest.max_samples_)
        return self

    def score(self, X: np.ndarray) -> np.ndarray:
        """How unusual each quote is, in (0, 1), higher more so; shape (n_quotes,)."""
        if not hasattr(self, "trees_"):
            raise NotFittedError("isolation forest")
        trees = self.trees_
        rows = np.arange(len(X))[:, None]
        node = np.broadcast_to(self.roots_, (len(X), len(self.roots_))).copy()
        for _ in range(self.depth_):
            inner = trees["left"][node] != LEAF
            feature = np.where(inner, trees["feature"][node], 0)
            go_left = X[rows, feature] <= trees["threshold"][node]
            child = np.where(go_left, trees["left"][node], trees["right"][node])
            node = np.where(inner, child, node)
        mean_length = trees["leaf_length"][node].mean(axis=1)
        return 2.0 ** (-mean_length / average_path_length(self.max_samples_))

    def state(self) -> dict[str, Any]:
        """The fitted arrays as JSON-ready lists."""
        if not hasattr(self, "trees_"):
            raise NotFittedError("isolation forest", "be saved")
        return {
            "params": self.get_params(),
            "trees": {key: values.tolist() for key, values in self.trees_.items()},
            "roots": self.roots_.tolist(),
            "depth": self.depth_,
            "max_samples": self.max_samples_,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Self:
        detector = cls(**state["params"])
        kinds = {"feature": int, "left": int, "right": int}
        detector.trees_ = {
            key: np.asarray(values, dtype=kinds.get(key, float))
            for key, values in state["trees"].items()
        }
        detector.roots_ = np.asarray(state["roots"], dtype=int)
        detector.depth_ = int(state["depth"])
        detector.max_samples_ = int(state["max_samples"])
        return detector

    def _join(self, parts: list[dict[str, np.ndarray]]) -> None:
        sizes = np.array([len(part["left"]) for part in parts])
        self.roots_ = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(int)
        joined = {}
        for key in ("feature", "threshold", "leaf_length", "depth"):
            joined[key] = np.concatenate([part[key] for part in parts])
        for key in ("left", "right"):
            shifted = [
                np.where(part[key] == LEAF, LEAF, part[key] + root)
                for part, root in zip(parts, self.roots_, strict=True)
            ]
            joined[key] = np.concatenate(shifted).astype(int)
        self.depth_ = int(joined.pop("depth").max())
        self.trees_ = joined


def average_path_length(n: np.ndarray | float) -> np.ndarray | float:
    """Mean path length of an unsuccessful search in a binary tree of ``n`` items.

    The normaliser of the isolation depth: 0 for one item, 1 for two, and
    ``2 (ln(n - 1) + gamma) - 2 (n - 1) / n`` beyond.
    """
    n = np.asarray(n, dtype=float)
    safe = np.maximum(n, 3.0)
    length = 2.0 * (np.log(safe - 1.0) + np.euler_gamma) - 2.0 * (safe - 1.0) / safe
    length = np.where(n <= 1, 0.0, np.where(n == 2, 1.0, length))
    return length if length.ndim else float(length)


def _tree_arrays(tree, features: np.ndarray) -> dict[str, np.ndarray]:
    """One fitted tree as arrays, with split features mapped to the full matrix."""
    left = tree.children_left.astype(int)
    right = tree.children_right.astype(int)
    depth = _node_depths(left, right)
    leaf = left == LEAF
    leaf_length = np.where(leaf, depth + average_path_length(tree.n_node_samples), 0.0)
    feature = np.where(leaf, 0, np.asarray(features)[np.maximum(tree.feature, 0)])
    return {
        "feature": feature.astype(int),
        "threshold": tree.threshold.astype(float),
        "left": left,
        "right": right,
        "leaf_length": leaf_length.astype(float),
        "depth": depth,
    }


def _node_depths(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    depth = np.zeros(len(left), dtype=int)
    for node in range(len(left)):
        if left[node] != LEAF:
            depth[left[node]] = depth[right[node]] = depth[node] + 1
    return depth
