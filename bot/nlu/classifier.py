"""Intent classification behind one small interface: ``classify(text)``.

The first classifier is a TF-IDF model over word and character n-grams with a
logistic regression, trained in well under a second from the utterance files in
``bot/nlu/data`` (one file per intent, one utterance per line). Anything that
replaces it keeps ``classify`` and ``Classification``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).with_name("data")
MIN_CONFIDENCE = 0.45
MIN_MARGIN = 0.1
MAX_CHARS = 2000
SLACK_MENTION = re.compile(r"<@[A-Z0-9]+(\|[^>]*)?>")


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


def clean_text(text: str) -> str:
    """Drop Slack mentions and extra spaces, and cap absurdly long messages."""
    text = SLACK_MENTION.sub(" ", text or "")
    return " ".join(text.split())[:MAX_CHARS]


def load_utterances(data_dir: Path = DATA_DIR) -> tuple[list[str], list[str]]:
    """Utterances and their intents from ``<intent>.txt`` files."""
    texts, intents = [], []
    for path in sorted(data_dir.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for line in filter(None, (line.strip() for line in lines)):
            texts.append(line)
            intents.append(path.stem)
    return texts, intents


def build_model():
    """An untrained pipeline: word and character n-grams into a logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
    )
    return make_pipeline(features, LogisticRegression(C=10.0, max_iter=2000))


@cache
def _model():
    texts, intents = load_utterances()
    model = build_model().fit([clean_text(t).lower() for t in texts], intents)
    logger.info("trained intent classifier on %d utterances", len(texts))
    return model


def classify(text: str) -> Classification:
    """Classify one message; empty or symbol-only text is ``help``."""
    cleaned = clean_text(text).lower()
    if not re.search(r"[a-z]{2,}", cleaned):
        return Classification("help", 1.0)

    model = _model()
    probabilities = model.predict_proba([cleaned])[0]
    ranked = sorted(
        zip(model.classes_, probabilities, strict=True), key=lambda pair: -pair[1]
    )
    (intent, confidence), *rest = ranked
    return Classification(
        intent=str(intent),
        confidence=round(float(confidence), 4),
        alternatives=tuple((str(name), round(float(p), 4)) for name, p in rest),
    )
