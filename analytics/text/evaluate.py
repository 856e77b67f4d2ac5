"""How well each sentiment model reads the tone of a note, against the baseline.

Every model learns from the training part of the labelled notes
(``analytics.text.notes_data``) and is scored on the held-out part. When
notes with a known tone from elsewhere are given (the demo store's notes,
whose tone follows each account's health), each is scored on those too,
without having seen any of them.

The lexicon's word list was written alongside the labelled notes, so its
held-out score flatters it; the notes from elsewhere are the fairer test.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from analytics.text.embeddings import embed
from analytics.text.lexicon import LexiconSentiment
from analytics.text.notes_data import load_labelled_notes, split_notes
from analytics.text.sentiment import NoteSentimentClassifier

logger = logging.getLogger(__name__)

BASELINE = "lexicon"


def sentiment_models() -> dict[str, object]:
    """Every sentiment model under its name, unfitted: the baseline first."""
    return {
        "lexicon": LexiconSentiment(),
        "minilm_logreg": NoteSentimentClassifier(lexicon_weight=0.0),
        "minilm_lexicon_logreg": NoteSentimentClassifier(),
    }


def evaluate_sentiment(labelled: pd.DataFrame | None = None) -> dict:
    """Accuracy and macro F1 of every model on held-out notes.

    Parameters
    ----------
    labelled : DataFrame or None
        Further notes with a known tone, columns ``text`` and ``tone``; each
        model is also scored on them, under ``"demo_notes"``.

    Returns
    -------
    dict
        ``{"models": {NAME: {"accuracy", "f1"}}, "selected", "baseline",
        "train_notes", "held_out_notes"}``, and ``"demo_notes": {"notes",
        "models"}`` when ``labelled`` has rows. ``selected`` is the model with
        the best held-out macro F1.
    """
    train, test = split_notes(load_labelled_notes())
    extra = labelled["text"].tolist() if labelled is not None else []
    embedder = _embedded_once(train["text"].tolist() + test["text"].tolist() + extra)
    fitted = {}
    for name, model in sentiment_models().items():
        if isinstance(model, NoteSentimentClassifier):
            model.set_params(embedder=embedder)
        fitted[name] = model.fit(train["text"].tolist(), train["tone"].tolist())
    scores = {name: _scores(model, test) for name, model in fitted.items()}
    result = {
        "models": scores,
        "selected": max(scores, key=lambda name: (scores[name]["f1"], name)),
        "baseline": BASELINE,
        "train_notes": len(train),
        "held_out_notes": len(test),
    }
    if labelled is not None and len(labelled):
        result["demo_notes"] = {
            "notes": len(labelled),
            "models": {name: _scores(m, labelled) for name, m in fitted.items()},
        }
    logger.info("evaluated sentiment models: %s", result["models"])
    return result


def fit_sentiment_model(**params) -> NoteSentimentClassifier:
    """The embedding classifier fitted on every labelled note, to serve."""
    notes = load_labelled_notes()
    model = NoteSentimentClassifier(**params)
    return model.fit(notes["text"].tolist(), notes["tone"].tolist())


def _embedded_once(texts: list[str]):
    """An embedder that looks up texts embedded in one batch, so models share it."""
    unique = list(dict.fromkeys(str(t) for t in texts))
    vectors = dict(zip(unique, embed(unique), strict=True))

    def lookup(batch):
        return np.stack([vectors[str(t)] for t in batch]) if batch else embed([])

    return lookup


def _scores(model, notes: pd.DataFrame) -> dict[str, float]:
    from sklearn.metrics import accuracy_score, f1_score

    predicted = model.predict(notes["text"].tolist())
    truth = np.asarray(notes["tone"])
    return {
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "f1": round(float(f1_score(truth, predicted, average="macro")), 4),
    }
