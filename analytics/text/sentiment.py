"""Tone of sales notes from sentence embeddings and a logistic regression.

Each note is embedded with the shipped MiniLM encoder
(``analytics.text.embeddings``) and a multinomial logistic regression maps the
384 numbers to positive, neutral or negative. With ``lexicon_weight`` above
zero the baseline's tone-word score (``analytics.text.lexicon``), squashed to
(-1, 1), is one more feature: embeddings place a note among similar ones,
while the word count catches blunt words the embedding dilutes in long
notes. The fitted model is a few
kilobytes of coefficients, stored as JSON (never pickle) with the name of the
encoder it needs.

A note's *net tone* is P(positive) - P(negative), from -1 to +1: a score to
compare notes and periods with, not a percentage.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from typing import Self

import numpy as np
from sklearn.base import BaseEstimator

from analytics.text.embeddings import ENCODER_NAME, embed
from analytics.text.errors import ArtifactError, NotFittedError
from analytics.text.lexicon import lexicon_score

logger = logging.getLogger(__name__)

ARTIFACT_FORMAT = "json"
ARTIFACT_MODEL = "note_sentiment"
ARTIFACT_VERSION = 1
Embedder = Callable[[Sequence[str]], np.ndarray]


class NoteSentimentClassifier(BaseEstimator):
    """Positive, neutral or negative, from MiniLM embeddings.

    Parameters
    ----------
    C : float
        Inverse regularisation strength of the logistic regression.
    lexicon_weight : float
        Scale of the tone-word feature; 0 leaves it out (embeddings only).
    class_weight : str or None
        "balanced" weighs the tones equally whatever their counts.
    embedder : callable or None
        Texts to an (n, d) array; the MiniLM encoder when None.

    Attributes
    ----------
    classes_ : ndarray of str
    coef_ : ndarray of shape (n_classes, 384 or 385)
    intercept_ : ndarray of shape (n_classes,)
    n_training_notes_ : int
    """

    def __init__(
        self,
        C: float = 2.0,
        class_weight: str | None = "balanced",
        lexicon_weight: float = 1.0,
        embedder: Embedder | None = None,
    ) -> None:
        self.C = C
        self.class_weight = class_weight
        self.lexicon_weight = lexicon_weight
        self.embedder = embedder

    @property
    def name(self) -> str:
        return "minilm_lexicon_logreg" if self.lexicon_weight else "minilm_logreg"

    def fit(self, texts: Sequence[str], tones: Sequence[str]) -> Self:
        from sklearn.linear_model import LogisticRegression

        X = self.features(texts)
        model = LogisticRegression(
            C=self.C, class_weight=self.class_weight, max_iter=2000
        ).fit(X, np.asarray(tones))

        self.classes_ = model.classes_
        self.coef_ = model.coef_
        self.intercept_ = model.intercept_
        self.n_training_notes_ = len(X)
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities of shape (n, n_classes), columns in ``classes_`` order."""
        self._check_fitted()
        return self.proba_from_features(self.features(texts))

    def features(self, texts: Sequence[str]) -> np.ndarray:
        """The model's inputs: embeddings, and the weighted tone-word score."""
        texts = [str(text) for text in texts]
        X = (self.embedder or embed)(texts)
        if not self.lexicon_weight:
            return X
        words = np.tanh(np.array([lexicon_score(t) for t in texts]) / 2)
        return np.column_stack([X, self.lexicon_weight * words])

    def proba_from_features(self, X: np.ndarray) -> np.ndarray:
        """As ``predict_proba``, for the output of ``features``."""
        self._check_fitted()
        logits = X @ self.coef_.T + self.intercept_
        logits -= logits.max(axis=1, keepdims=True)
        odds = np.exp(logits)
        return odds / odds.sum(axis=1, keepdims=True)

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """The most likely tone of each note."""
        self._check_fitted()
        return self.classes_[self.predict_proba(texts).argmax(axis=1)]

    def net_tone(self, texts: Sequence[str]) -> np.ndarray:
        """P(positive) - P(negative) of each note, shape (n,), in [-1, 1]."""
        proba = self.predict_proba(texts)
        column = {tone: i for i, tone in enumerate(self.classes_)}
        return proba[:, column["positive"]] - proba[:, column["negative"]]

    def to_artifact(self) -> tuple[str, bytes]:
        """The fitted model as ``("json", payload)``: coefficients, not pickle."""
        self._check_fitted("be saved")
        envelope = {
            "model": ARTIFACT_MODEL,
            "version": ARTIFACT_VERSION,
            "encoder": ENCODER_NAME,
            "params": {
                "C": self.C,
                "class_weight": self.class_weight,
                "lexicon_weight": self.lexicon_weight,
            },
            "classes": self.classes_.tolist(),
            "coef": self.coef_.round(7).tolist(),
            "intercept": self.intercept_.round(7).tolist(),
            "n_training_notes": self.n_training_notes_,
        }
        return ARTIFACT_FORMAT, json.dumps(envelope).encode()

    @classmethod
    def from_artifact(cls, fmt: str, payload: bytes) -> Self:
        """Rebuild a fitted model from what ``to_artifact`` returned."""
        envelope = _read_envelope(fmt, payload)
        model = cls(**envelope["params"])
        model.classes_ = np.array(envelope["classes"])
        model.coef_ = np.array(envelope["coef"])
        model.intercept_ = np.array(envelope["intercept"])
        model.n_training_notes_ = int(envelope["n_training_notes"])
        return model

    def _check_fitted(self, action: str = "predict") -> None:
        if not hasattr(self, "coef_"):
            raise NotFittedError("note sentiment classifier", action)


def _read_envelope(fmt: str, payload: bytes) -> dict:
    if fmt != ARTIFACT_FORMAT:
        raise ArtifactError(
            f"A note sentiment model is stored as {ARTIFACT_FORMAT!r}, not {fmt!r}; "
            "re-train it with `quotebot train`."
        )
    try:
        envelope = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ArtifactError(
            f"The note sentiment artifact is not valid JSON ({error}); re-train it."
        ) from error
    if envelope.get("model") != ARTIFACT_MODEL or envelope.get("encoder") != (
        ENCODER_NAME
    ):
        raise ArtifactError(
            "The stored artifact is not a note sentiment model for "
            f"{ENCODER_NAME}; re-train it with `quotebot train`."
        )
    return envelope
