"""K-means customer segments, with the number of segments chosen from the data.

``CustomerSegmenter`` follows the scikit-learn estimator contract. ``fit``
transforms the features (``scaling``), runs K-means for each candidate k and,
with ``k="auto"``, keeps the k of the highest silhouette; candidates within
``SILHOUETTE_TOLERANCE`` of it count as tied and the lowest Davies-Bouldin
index among them wins, so a k whose clusters overlap more is not kept for a
silhouette better in the third decimal. ``k=4`` is the fixed choice of the
original guide, the baseline the chosen k is compared against.

Segments are numbered by the value of their centre, 0 the most valuable, and
named relative to the base (``naming``). A customer is assigned to the
nearest centre after scaling, which is all a JSON artifact needs: the model is
stored as its scaling, centres, names and profiles, never pickled.

K-means and its scores run on one thread (OpenMP and BLAS alike): a customer
base is thousands of rows by six columns, too small for threads to pay off,
and on a busy two-core machine their contention made fitting five to ten
times slower.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any, Self

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, davies_bouldin_score, silhouette_score
from threadpoolctl import threadpool_limits

from analytics.segments.errors import (
    ArtifactError,
    NotFittedError,
    SegmentError,
    TooFewCustomersError,
)
from analytics.segments.features import FEATURES
from analytics.segments.naming import describe_segments, name_segments
from analytics.segments.profile import base_medians, segment_profiles
from analytics.segments.scaling import FeatureScaling

logger = logging.getLogger(__name__)

FIXED_K = 4
KMEANS_THREADS = 1
MIN_CUSTOMERS_PER_SEGMENT = 5
SILHOUETTE_TOLERANCE = 0.005
SILHOUETTE_SAMPLE = 5000
STABILITY_SEEDS = (0, 1, 2, 3, 4)
ARTIFACT_FORMAT = "json"
ARTIFACT_MODEL = "customer_segmenter"
ARTIFACT_VERSION = 1


class CustomerSegmenter:
    """Behavioural customer segments by K-means on scaled features.

    Parameters
    ----------
    k : int or "auto"
        Number of segments, or ``"auto"`` to choose it within ``k_range`` by
        silhouette, Davies-Bouldin breaking near-ties.
    k_range : tuple of int
        Smallest and largest k tried by ``"auto"``, both included. The largest
        is lowered when there are fewer than ``MIN_CUSTOMERS_PER_SEGMENT``
        customers per segment.
    random_state : int
        Seed of the K-means initialisations.
    n_init : int
        K-means runs per k; the one of least inertia is kept.

    Attributes
    ----------
    k_ : int
        Number of segments fitted.
    scores_ : dict of int to dict of str to float
        Per k tried, its ``silhouette`` and ``davies_bouldin``.
    scaling_ : FeatureScaling
        The learned transform from features to K-means coordinates.
    centers_ : ndarray, shape (k_, 6)
        Segment centres in scaled coordinates, row i for segment i.
    labels_ : ndarray of int, shape (n_customers,)
        The training customers' segments.
    names_, descriptions_ : dict of int to str
        Segment id to name and to a sentence for a rep.
    profiles_ : DataFrame, shape (k_, 17)
        ``segment_profiles`` of the training customers.
    base_medians_ : Series, shape (6,)
        The median training customer, by feature.
    """

    def __init__(
        self,
        k: int | str = "auto",
        k_range: tuple[int, int] = (2, 8),
        random_state: int = 0,
        n_init: int = 10,
    ) -> None:
        self.k = k
        self.k_range = k_range
        self.random_state = random_state
        self.n_init = n_init

    def fit(self, features: pd.DataFrame) -> Self:
        """Learn the segments of the customers in ``features``.

        Parameters
        ----------
        features : DataFrame, shape (n_customers, >= 6)
            The ``FEATURES`` columns, as ``segment_features`` builds them.

        Returns
        -------
        self
        """
        features = _check_features(features)
        candidates = self._candidate_ks(features)

        self.scaling_ = FeatureScaling.fit(features)
        coordinates = self.scaling_.transform(features)
        with threadpool_limits(limits=KMEANS_THREADS):
            fits = {k: self._kmeans(k).fit(coordinates) for k in candidates}
            self.scores_ = {
                k: _scores(coordinates, fit.labels_, self.random_state)
                for k, fit in fits.items()
            }

        self.k_ = choose_k(self.scores_) if self.k == "auto" else int(self.k)
        chosen = fits[self.k_]
        self.centers_, self.labels_ = _by_value(chosen.cluster_centers_, chosen.labels_)

        self._describe(features)
        logger.info(
            "segmented %s customers into %s segments, silhouette %.3f",
            len(features),
            self.k_,
            self.scores_[self.k_]["silhouette"],
        )
        return self

    def predict(self, features: pd.DataFrame) -> np.ndarray:
        """The segment of each customer: the nearest centre after scaling.

        Returns
        -------
        ndarray of int, shape (n_customers,)
        """
        self._check_fitted("assign segments")
        coordinates = self.transform(features)
        distances = ((coordinates[:, None, :] - self.centers_[None]) ** 2).sum(axis=2)
        return distances.argmin(axis=1)

    def fit_predict(self, features: pd.DataFrame) -> np.ndarray:
        """Fit, then the training customers' segments, shape (n_customers,)."""
        return self.fit(features).labels_

    def transform(self, features: pd.DataFrame) -> np.ndarray:
        """Scaled coordinates, shape (n_customers, 6), as the centres are given."""
        self._check_fitted("scale features")
        return self.scaling_.transform(_check_features(features))

    def stability_ari(
        self,
        features: pd.DataFrame,
        seeds: Iterable[int] = STABILITY_SEEDS,
        bootstrap: bool = True,
    ) -> float:
        """Mean adjusted Rand index of refits against this segmentation.

        Each seed refits K-means with ``k_`` segments, on a bootstrap sample
        of the customers when ``bootstrap`` (only the initialisation changes
        otherwise), assigns every customer of ``features`` to the refit's
        centres and compares that labelling with ``predict(features)``. Near 1
        means the segments do not depend on the luck of the draw.

        Returns
        -------
        float
            Mean ARI over ``seeds``; 1 is the same partition every time.
        """
        self._check_fitted("measure stability")
        coordinates = self.transform(features)
        reference = self.predict(features)

        with threadpool_limits(limits=KMEANS_THREADS):
            refits = [self._refit(coordinates, seed, bootstrap) for seed in seeds]
        return float(np.mean([adjusted_rand_score(reference, r) for r in refits]))

    def to_artifact(self) -> tuple[str, bytes]:
        """The fitted segmenter as ``("json", payload)``, to store and reload."""
        self._check_fitted("be saved")
        return ARTIFACT_FORMAT, json.dumps(self._envelope()).encode()

    @classmethod
    def from_artifact(cls, fmt: str, payload: bytes) -> Self:
        """Rebuild a fitted segmenter from what ``to_artifact`` returned."""
        if fmt != ARTIFACT_FORMAT:
            raise ArtifactError(
                f"customer segmenter artifacts have format {ARTIFACT_FORMAT!r}; got "
                f"{fmt!r}. Load it with the model that saved it."
            )
        envelope = _read_envelope(payload)
        try:
            return cls(**envelope["params"])._restore(envelope["state"])
        except (KeyError, TypeError, ValueError) as error:
            raise ArtifactError(
                f"the customer segmenter artifact is incomplete ({error!r}); "
                "re-train the segmenter."
            ) from error

    def get_params(self) -> dict[str, Any]:
        """The hyperparameters given to ``__init__``, by name."""
        return {
            "k": self.k,
            "k_range": tuple(self.k_range),
            "random_state": self.random_state,
            "n_init": self.n_init,
        }

    def is_fitted(self) -> bool:
        """True once ``fit`` has run (or the model was loaded from an artifact)."""
        return hasattr(self, "centers_")

    def _candidate_ks(self, features: pd.DataFrame) -> list[int]:
        """The k to try, checked against the number of customers."""
        low, high = _check_k(self.k, self.k_range)
        distinct = len(features.loc[:, list(FEATURES)].drop_duplicates())
        got = min(len(features), distinct)
        if got < MIN_CUSTOMERS_PER_SEGMENT * low:
            raise TooFewCustomersError(MIN_CUSTOMERS_PER_SEGMENT * low, got, low)

        top = min(high, got // MIN_CUSTOMERS_PER_SEGMENT)
        if top < high:
            logger.info("only %s customers: trying up to %s segments", got, top)
        return list(range(low, top + 1))

    def _kmeans(self, k: int, seed: int | None = None) -> KMeans:
        seed = self.random_state if seed is None else seed
        return KMeans(n_clusters=k, n_init=self.n_init, random_state=seed)

    def _refit(self, coordinates: np.ndarray, seed: int, bootstrap: bool) -> np.ndarray:
        sample = coordinates
        if bootstrap:
            rows = np.random.default_rng(seed).integers(
                0, len(coordinates), len(coordinates)
            )
            sample = coordinates[rows]
        return self._kmeans(self.k_, seed).fit(sample).predict(coordinates)

    def _describe(self, features: pd.DataFrame) -> None:
        """Names, sentences and profiles of the fitted segments."""
        self.names_ = name_segments(features, self.labels_)
        self.descriptions_ = describe_segments(features, self.labels_, self.names_)
        self.base_medians_ = base_medians(features)
        self.profiles_ = segment_profiles(
            features, self.labels_, self.names_, self.descriptions_
        )

    def _envelope(self) -> dict[str, Any]:
        return {
            "version": ARTIFACT_VERSION,
            "model": ARTIFACT_MODEL,
            "params": {**self.get_params(), "k_range": list(self.k_range)},
            "state": {
                "k": self.k_,
                "scaling": self.scaling_.state(),
                "centers": self.centers_.tolist(),
                "names": {str(s): name for s, name in self.names_.items()},
                "descriptions": {str(s): d for s, d in self.descriptions_.items()},
                "scores": {str(k): s for k, s in self.scores_.items()},
                "base_medians": self.base_medians_.to_dict(),
                "profiles": self.profiles_.reset_index().to_dict(orient="list"),
            },
        }

    def _restore(self, state: dict[str, Any]) -> Self:
        self.k_ = int(state["k"])
        self.scaling_ = FeatureScaling.from_state(state["scaling"])
        self.centers_ = np.asarray(state["centers"], dtype=float)
        self.labels_ = np.empty(0, dtype=int)
        self.names_ = {int(s): name for s, name in state["names"].items()}
        self.descriptions_ = {int(s): d for s, d in state["descriptions"].items()}
        self.scores_ = {int(k): s for k, s in state["scores"].items()}
        self.base_medians_ = pd.Series(state["base_medians"], dtype=float)
        self.profiles_ = pd.DataFrame(state["profiles"]).set_index("segment")
        _check_restored(self)
        return self

    def _check_fitted(self, action: str) -> None:
        if not self.is_fitted():
            raise NotFittedError(action)

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"


def choose_k(scores: dict[int, dict[str, float]]) -> int:
    """The k of the highest silhouette; Davies-Bouldin breaks near-ties.

    Parameters
    ----------
    scores : dict of int to dict of str to float
        Per k, its ``silhouette`` and ``davies_bouldin``.

    Returns
    -------
    int
        Among the k within ``SILHOUETTE_TOLERANCE`` of the best silhouette,
        the one of lowest Davies-Bouldin index (the smaller k on a tie).
    """
    best = max(score["silhouette"] for score in scores.values())
    tied = [
        k for k, s in scores.items() if s["silhouette"] >= best - SILHOUETTE_TOLERANCE
    ]
    return min(tied, key=lambda k: (scores[k]["davies_bouldin"], k))


def _scores(coordinates: np.ndarray, labels: np.ndarray, seed: int) -> dict[str, float]:
    """Silhouette (on a sample of large bases) and Davies-Bouldin of ``labels``."""
    sample = SILHOUETTE_SAMPLE if len(coordinates) > SILHOUETTE_SAMPLE else None
    silhouette = silhouette_score(
        coordinates, labels, sample_size=sample, random_state=seed
    )
    return {
        "silhouette": float(silhouette),
        "davies_bouldin": float(davies_bouldin_score(coordinates, labels)),
    }


def _by_value(centers: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Centres and labels renumbered by the centres' value, most valuable first."""
    order = np.argsort(-centers[:, FEATURES.index("value")], kind="stable")
    renumber = np.empty_like(order)
    renumber[order] = np.arange(len(order))
    return centers[order], renumber[labels]


def _check_k(k: int | str, k_range: tuple[int, int]) -> tuple[int, int]:
    """The smallest and largest k to try; refuses anything else."""
    if k == "auto":
        low, high = _check_k_range(k_range)
        return low, high
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 2:
        raise SegmentError(
            f"The 'k' parameter of CustomerSegmenter must be 'auto' or a whole "
            f"number of at least 2. Got {k!r} instead."
        )
    return int(k), int(k)


def _check_k_range(k_range: tuple[int, int]) -> tuple[int, int]:
    try:
        low, high = (int(bound) for bound in k_range)
    except (TypeError, ValueError):
        low, high = 0, -1
    if not 2 <= low <= high:
        raise SegmentError(
            "The 'k_range' parameter of CustomerSegmenter must be (smallest, "
            f"largest) with 2 <= smallest <= largest. Got {k_range!r} instead."
        )
    return low, high


def _check_features(features: pd.DataFrame) -> pd.DataFrame:
    """``features`` if it has every feature, finite and non-negative."""
    missing = [name for name in FEATURES if name not in features]
    if missing:
        raise SegmentError(
            f"the features frame lacks the columns {', '.join(missing)}; build it "
            "with segment_features."
        )
    values = features.loc[:, list(FEATURES)].to_numpy(dtype=float)
    if not np.isfinite(values).all() or (values < 0).any():
        raise SegmentError(
            "the features must be finite and non-negative; build them with "
            "segment_features."
        )
    return features


def _read_envelope(payload: bytes) -> dict[str, Any]:
    try:
        envelope = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ArtifactError(
            f"the customer segmenter artifact is not valid JSON ({error}); "
            "re-train the segmenter."
        ) from error
    if not isinstance(envelope, dict) or envelope.get("model") != ARTIFACT_MODEL:
        raise ArtifactError(
            "this artifact holds no customer segmenter; load it with the model "
            "that saved it."
        )
    if envelope.get("version") != ARTIFACT_VERSION:
        raise ArtifactError(
            f"the customer segmenter artifact has version "
            f"{envelope.get('version')!r}; this code reads version "
            f"{ARTIFACT_VERSION}. Re-train the segmenter."
        )
    return envelope


def _check_restored(model: CustomerSegmenter) -> None:
    shape = (model.k_, len(model.scaling_.features))
    if model.centers_.shape != shape or len(model.names_) != model.k_:
        raise ArtifactError(
            f"the customer segmenter artifact holds centres of shape "
            f"{model.centers_.shape} for {model.k_} segments; re-train the "
            "segmenter."
        )
