"""Intent classification behind one small interface: ``classify(text)``.

A message is read as a MiniLM sentence embedding (``bot.nlu.encoding``) and a
logistic regression over those embeddings picks the intent. The training
utterances are the files in ``bot/nlu/data``: ``<intent>.txt``, or
``<intent>.<source>.txt`` for examples taken from a public data set; one
utterance per line, lines starting with ``# `` are comments. Their embeddings
are cached on disk, so a start costs loading the encoder and a sub-second fit.

``is_confident`` is the gate between acting and asking: the top intent must
reach ``MIN_CONFIDENCE`` and lead the runner-up by ``MIN_MARGIN``. Both were
chosen by ``bot.nlu.evaluate.tune_thresholds`` on out-of-fold predictions over
the training utterances: the most in-scope messages acted on correctly while
at least 95 % of out-of-scope ones are refused or questioned.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from bot.nlu.encoding import encode, encode_cached

logger = logging.getLogger(__name__)
_FITTING = threading.Lock()

DATA_DIR = Path(__file__).with_name("data")
MIN_CONFIDENCE = 0.2
MIN_MARGIN = 0.05
MAX_CHARS = 2000
REFUSALS = ("help", "out_of_scope")
SLACK_MENTION = re.compile(r"<@[A-Z0-9]+(\|[^>]*)?>")
WORD = re.compile(r"[^\W\d_]{2,}")


class ClassifierError(Exception):
    """The intent classifier was used before it was fitted."""


@dataclass(frozen=True)
class Classification:
    """The most likely intent, how sure the model is, and the runners-up."""

    intent: str
    confidence: float
    alternatives: tuple[tuple[str, float], ...] = ()

    @property
    def is_confident(self) -> bool:
        """Sure enough to act: above the threshold and clear of the runner-up."""
        runner_up = self.alternatives[0][1] if self.alternatives else 0.0
        return (
            self.confidence >= MIN_CONFIDENCE
            and self.confidence - runner_up >= MIN_MARGIN
        )


class IntentClassifier:
    """Logistic regression over sentence embeddings of the messages.

    Parameters
    ----------
    C : float
        Inverse regularisation strength of the logistic regression.
    encoder : callable
        Texts to an array of shape (n, d); MiniLM embeddings by default.
    """

    def __init__(self, C: float = 10.0, encoder: Callable = encode):
        self.C = C
        self.encoder = encoder

    def fit(
        self,
        texts: Sequence[str],
        intents: Sequence[str],
        embeddings: np.ndarray | None = None,
    ) -> IntentClassifier:
        """Fit on labelled texts; ``embeddings`` spares encoding them again."""
        from sklearn.linear_model import LogisticRegression

        features = self.encoder(texts) if embeddings is None else embeddings
        self.model_ = LogisticRegression(
            C=self.C, class_weight="balanced", max_iter=2000
        )
        self.model_.fit(features, list(intents))

        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities of shape (n, len(classes_))."""
        if not hasattr(self, "model_"):
            raise ClassifierError("Call fit before predict_proba.")
        return self.model_.predict_proba(self.encoder(texts))

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """The most likely intent of each text."""
        return self.classes_[self.predict_proba(texts).argmax(axis=1)]


def clean_text(text: str) -> str:
    """Drop Slack mentions and extra spaces, and cap absurdly long messages."""
    text = SLACK_MENTION.sub(" ", text or "")
    return " ".join(text.split())[:MAX_CHARS]


def load_utterances(data_dir: Path = DATA_DIR) -> tuple[list[str], list[str]]:
    """Utterances and their intents from the ``<intent>[.<source>].txt`` files."""
    texts, intents = [], []
    for path in sorted(data_dir.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("# "):
                texts.append(clean_text(line))
                intents.append(path.name.split(".")[0])
    return texts, intents


def trained_classifier() -> IntentClassifier:
    """The classifier fitted on the shipped utterances, once per process.

    Callers on other threads wait for the one fit under way instead of
    starting their own.
    """
    with _FITTING:
        return _fit_shipped_classifier()


@cache
def _fit_shipped_classifier() -> IntentClassifier:
    texts, intents = load_utterances()
    classifier = IntentClassifier().fit(texts, intents, encode_cached(texts))
    logger.info(
        "trained intent classifier on %d utterances, %d intents",
        len(texts),
        len(classifier.classes_),
    )
    return classifier


def warm_up_in_background() -> None:
    """Load the encoder and fit the classifier on a daemon thread.

    A server calls this at start so that the first message is answered as
    fast as the rest, while Slack's requests are acknowledged meanwhile.
    """
    threading.Thread(
        target=trained_classifier, name="intent-classifier-warm-up", daemon=True
    ).start()


def classify(text: str) -> Classification:
    """Classify one message; text without a single word is ``help``."""
    cleaned = clean_text(text)
    if not WORD.search(cleaned):
        return Classification("help", 1.0)

    classifier = trained_classifier()
    probabilities = classifier.predict_proba([cleaned])[0]
    return ranked_classification(classifier.classes_, probabilities)


def ranked_classification(classes, probabilities) -> Classification:
    """The intents ordered by probability, as a ``Classification``."""
    order = np.argsort(-probabilities, kind="stable")
    (intent, confidence), *rest = [
        (str(classes[i]), round(float(probabilities[i]), 4)) for i in order
    ]
    return Classification(intent, confidence, tuple(rest))
