"""The served quote-anomaly model: two detectors and one ranking.

``QuoteAnomalyModel`` fits an Isolation Forest and a Keras autoencoder on the
same quote features, and the robust-z baseline beside them. Their raw scores
are on different scales, so each is turned into a rank percentile against the
training quotes (the share of training quotes it is more unusual than); the
combined score is the higher of the two detectors' percentiles (a quote is
as unusual as the detector that finds it most unusual, since each catches
kinds the other misses: the forest extreme values, the autoencoder broken
relations between features), and its own
percentile against the training quotes is what answers show: "more unusual
than 99% of quotes". None of these is a probability.

The model also keeps the median and spread of every feature over the
training quotes, which ``analytics.anomalies.explain`` uses to say which
numbers of a quote are far from usual.

The artifact is a zip of a JSON envelope (forest arrays, scaler, reference
percentiles, medians) and the autoencoder's ``.keras`` file; never a pickle.
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from typing import Any, Self

import numpy as np
import pandas as pd

from analytics.anomalies.autoencoder import MODEL_FILE, AutoencoderDetector
from analytics.anomalies.baseline import MAD_SCALE, RobustZBaseline
from analytics.anomalies.errors import ArtifactError, NotFittedError, TooFewQuotesError
from analytics.anomalies.features import FEATURES, feature_matrix
from analytics.anomalies.forest import IsolationForestDetector
from analytics.params import HyperparameterMixin

logger = logging.getLogger(__name__)

DETECTORS = ("isolation_forest", "autoencoder")
RANKINGS = ("isolation_forest", "autoencoder", "combined", "robust_z")
MIN_QUOTES = 50
REFERENCE_POINTS = 2001
ARTIFACT_FORMAT = "anomalies-zip"
ARTIFACT_VERSION = 1
ENVELOPE_FILE = "anomalies.json"


class QuoteAnomalyModel(HyperparameterMixin):
    """Isolation Forest and autoencoder, ranked together, with the baseline.

    Parameters
    ----------
    n_estimators, max_samples
        Passed to ``IsolationForestDetector``.
    encoding_dim, epochs
        Passed to ``AutoencoderDetector``.
    random_state : int
        Seed of both detectors.

    Attributes
    ----------
    detectors_ : dict of str to detector
        ``isolation_forest``, ``autoencoder`` and ``robust_z``, fitted.
    references_ : dict of str to ndarray
        Sorted quantiles of each ranking's scores over the training quotes
        (at most ``REFERENCE_POINTS``), to turn a score into a percentile.
    medians_, spreads_ : Series, shape (12,)
        Median and scaled MAD of each feature over the training quotes.
    n_training_quotes_ : int
    """

    def __init__(
        self,
        n_estimators: int = 200,
        max_samples: int = 256,
        encoding_dim: int = 3,
        epochs: int = 40,
        random_state: int = 0,
    ) -> None:
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.encoding_dim = encoding_dim
        self.epochs = epochs
        self.random_state = random_state

    def fit(self, features: pd.DataFrame) -> Self:
        """Learn what usual quotes look like from ``features``.

        Parameters
        ----------
        features : DataFrame, shape (n_quotes, >= 12)
            From ``quote_features``; at least ``MIN_QUOTES`` rows.

        Returns
        -------
        self
        """
        X = feature_matrix(features)
        if len(X) < MIN_QUOTES:
            raise TooFewQuotesError(MIN_QUOTES, len(X))

        self.detectors_ = {
            "isolation_forest": IsolationForestDetector(
                self.n_estimators, self.max_samples, self.random_state
            ).fit(X),
            "autoencoder": AutoencoderDetector(
                encoding_dim=self.encoding_dim,
                epochs=self.epochs,
                random_state=self.random_state,
            ).fit(X),
            "robust_z": RobustZBaseline().fit(X),
        }
        self.references_ = {}
        raw = self._raw_scores(X)
        for name in (*DETECTORS, "robust_z"):
            self.references_[name] = _quantiles(raw[name])
        self.references_["combined"] = _quantiles(self._combined(raw))
        self._learn_spreads(X)
        self.n_training_quotes_ = len(X)
        logger.info("fitted quote anomaly detectors on %s quotes", len(X))
        return self

    def score(self, features: pd.DataFrame) -> pd.DataFrame:
        """Each quote's scores, percentiles and rank, most unusual first.

        Returns
        -------
        DataFrame, shape (n_quotes, 9)
            Indexed like ``features`` and sorted by ``combined``, highest
            first. ``isolation_forest``, ``autoencoder``, ``robust_z``: each
            ranking's percentile against the training quotes, in [0, 1];
            ``combined``: the higher of the two detectors' percentiles;
            ``unusual_than``: the combined score's percentile against the
            training quotes (the share of them this quote is more unusual
            than); ``rank``: 1 for the most unusual quote of ``features``;
            ``*_raw`` columns: the detectors' own scores.
        """
        self._check_fitted()
        raw = self._raw_scores(feature_matrix(features))
        scores = pd.DataFrame(index=features.index)
        for name in (*DETECTORS, "robust_z"):
            scores[name] = self._percentile(name, raw[name])
            scores[f"{name}_raw"] = raw[name]
        scores["combined"] = scores[list(DETECTORS)].max(axis=1)
        scores["unusual_than"] = self._percentile("combined", scores["combined"])
        scores = scores.sort_values("combined", ascending=False, kind="stable")
        scores["rank"] = np.arange(1, len(scores) + 1)
        return scores

    def to_artifact(self) -> tuple[str, bytes]:
        """The fitted model as ``("anomalies-zip", payload)``."""
        self._check_fitted("be saved")
        envelope = json.dumps(self._envelope()).encode()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(ENVELOPE_FILE, envelope)
            for name, payload in self.detectors_["autoencoder"].files().items():
                archive.writestr(name, payload)
        return ARTIFACT_FORMAT, buffer.getvalue()

    @classmethod
    def from_artifact(cls, fmt: str, payload: bytes) -> Self:
        """Rebuild a fitted model from what ``to_artifact`` returned."""
        if fmt != ARTIFACT_FORMAT:
            raise ArtifactError(
                f"quote anomaly artifacts have format {ARTIFACT_FORMAT!r}; got "
                f"{fmt!r}. Load it with the model that saved it."
            )
        envelope, files = _unpack(payload)
        try:
            return cls(**envelope["params"])._restore(envelope["state"], files)
        except (KeyError, TypeError, ValueError) as error:
            raise ArtifactError(
                f"the quote anomaly artifact is incomplete ({error!r}); train again."
            ) from error

    def is_fitted(self) -> bool:
        return hasattr(self, "references_")

    def _raw_scores(self, X: np.ndarray) -> dict[str, np.ndarray]:
        return {name: d.score(X) for name, d in self.detectors_.items()}

    def _combined(self, raw: dict[str, np.ndarray]) -> np.ndarray:
        return np.max([self._percentile(n, raw[n]) for n in DETECTORS], axis=0)

    def _percentile(self, name: str, values) -> np.ndarray:
        """Share of the training quotes scoring strictly lower, per value."""
        reference = self.references_[name]
        below = np.searchsorted(reference, np.asarray(values, float), side="left")
        return below / len(reference)

    def _learn_spreads(self, X: np.ndarray) -> None:
        medians = np.median(X, axis=0)
        mads = np.median(np.abs(X - medians), axis=0) * MAD_SCALE
        self.medians_ = pd.Series(medians, index=list(FEATURES))
        self.spreads_ = pd.Series(np.maximum(mads, 1e-6), index=list(FEATURES))

    def _envelope(self) -> dict[str, Any]:
        detectors = self.detectors_
        return {
            "version": ARTIFACT_VERSION,
            "features": list(FEATURES),
            "params": self.get_params(),
            "state": {
                "isolation_forest": detectors["isolation_forest"].state(),
                "autoencoder": detectors["autoencoder"].state(),
                "robust_z": detectors["robust_z"].state(),
                "references": {k: v.tolist() for k, v in self.references_.items()},
                "medians": self.medians_.tolist(),
                "spreads": self.spreads_.tolist(),
                "n_training_quotes": self.n_training_quotes_,
            },
        }

    def _restore(self, state: dict[str, Any], files: dict[str, bytes]) -> Self:
        self.detectors_ = {
            "isolation_forest": IsolationForestDetector.from_state(
                state["isolation_forest"]
            ),
            "autoencoder": AutoencoderDetector.from_state(state["autoencoder"], files),
            "robust_z": RobustZBaseline.from_state(state["robust_z"]),
        }
        self.references_ = {
            name: np.asarray(values, dtype=float)
            for name, values in state["references"].items()
        }
        self.medians_ = pd.Series(state["medians"], index=list(FEATURES), dtype=float)
        self.spreads_ = pd.Series(state["spreads"], index=list(FEATURES), dtype=float)
        self.n_training_quotes_ = int(state["n_training_quotes"])
        return self

    def _check_fitted(self, action: str = "score quotes") -> None:
        if not self.is_fitted():
            raise NotFittedError("quote anomaly model", action)

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"


def _quantiles(values: np.ndarray) -> np.ndarray:
    """The sorted scores, thinned to at most ``REFERENCE_POINTS`` quantiles."""
    ordered = np.sort(np.asarray(values, dtype=float))
    if len(ordered) <= REFERENCE_POINTS:
        return ordered
    return np.quantile(ordered, np.linspace(0, 1, REFERENCE_POINTS))


def _unpack(payload: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            envelope = json.loads(archive.read(ENVELOPE_FILE))
            files = {MODEL_FILE: archive.read(MODEL_FILE)}
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError) as error:
        raise ArtifactError(
            f"the quote anomaly artifact cannot be read ({error}); train again."
        ) from error
    if envelope.get("version") != ARTIFACT_VERSION:
        raise ArtifactError(
            f"the quote anomaly artifact has version {envelope.get('version')!r}; "
            f"this code reads version {ARTIFACT_VERSION}. Train again."
        )
    if envelope.get("features") != list(FEATURES):
        raise ArtifactError(
            "the quote anomaly artifact was trained on other features; train again."
        )
    return envelope, files
