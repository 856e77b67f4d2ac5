"""How well messages are understood, on labelled examples the model never saw.

``evaluate_examples`` scores a list of ``Example`` the way the bot acts on a
message: a confident intent is acted on, anything else becomes a clarifying
question (``clarify``), except ``help`` and ``out_of_scope``, which are
answered as such. An out-of-scope message counts as handled when the bot does
not act on it (refusal, help or a clarifying question). ``tune_thresholds``
chooses the confidence threshold and the ambiguity margin from out-of-fold
predictions over the training utterances.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bot.nlu import classifier as nlu_classifier
from bot.nlu.classifier import REFUSALS, Classification, classify

logger = logging.getLogger(__name__)

OUT_OF_SCOPE = "out_of_scope"
CLARIFY = "clarify"
MIN_REFUSED = 0.95


class EvaluationError(Exception):
    """The examples file cannot be read; the message says what is wrong."""


@dataclass(frozen=True)
class Example:
    """A message, its expected intent and, optionally, its expected entities."""

    text: str
    intent: str
    entities: dict[str, Any] | None = field(default=None)


def read_examples(path: Path) -> list[Example]:
    """Examples from a ``text<TAB>intent[<TAB>entities JSON]`` file with a header."""
    with Path(path).open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file, delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or rows[0][:2] != ["text", "intent"]:
        raise EvaluationError(
            f"{path} must start with the header 'text<TAB>intent', "
            "optionally followed by '<TAB>entities'."
        )
    if len(rows) < 2:
        raise EvaluationError(f"{path} has a header but no examples.")
    return [_example(path, number, row) for number, row in enumerate(rows[1:], 2)]


def _example(path: Path, number: int, row: list[str]) -> Example:
    if len(row) < 2:
        raise EvaluationError(f"{path}, line {number}: expected text<TAB>intent.")
    entities = row[2].strip() if len(row) > 2 else ""
    try:
        expected = json.loads(entities) if entities else None
    except json.JSONDecodeError as error:
        raise EvaluationError(
            f"{path}, line {number}: the entities are not valid JSON ({error.msg})."
        ) from error
    return Example(row[0], row[1].strip(), expected)


def decision(result: Classification) -> str:
    """What the bot does with a classification: an intent, or ``clarify``."""
    if result.is_confident or result.intent in REFUSALS:
        return result.intent
    return CLARIFY


def handled_as(expected: str, decided: str) -> str:
    """The decision, with any refusal of an out-of-scope message as a success."""
    if expected == OUT_OF_SCOPE and decided in (*REFUSALS, CLARIFY):
        return OUT_OF_SCOPE
    return decided


def evaluate_examples(
    examples: Sequence[Example],
    extract: Callable[[str], dict] | None = None,
    classify_text: Callable[[str], Classification] = classify,
) -> dict[str, Any]:
    """Accuracy, per-intent scores, entity accuracy and the errors, as JSON."""
    results = [classify_text(example.text) for example in examples]
    expected = [example.intent for example in examples]
    decided = [
        handled_as(want, decision(result))
        for want, result in zip(expected, results, strict=True)
    ]
    errors = [
        {
            "text": example.text,
            "expected": example.intent,
            "predicted": got,
            "confidence": result.confidence,
        }
        for example, result, got in zip(examples, results, decided, strict=True)
        if got != example.intent
    ]
    return {
        "accuracy": _ratio(len(examples) - len(errors), len(examples)),
        "intents": intent_scores(expected, decided),
        "entities": entity_scores(examples, extract),
        "errors": errors,
    }


def intent_scores(expected: Sequence[str], decided: Sequence[str]) -> dict:
    """Precision, recall, F1 and support of every expected intent."""
    from sklearn.metrics import precision_recall_fscore_support

    labels = sorted(set(expected))
    precision, recall, f1, support = precision_recall_fscore_support(
        expected, decided, labels=labels, zero_division=0
    )
    return {
        label: {
            "precision": round(float(p), 4),
            "recall": round(float(r), 4),
            "f1": round(float(f), 4),
            "support": int(s),
        }
        for label, p, r, f, s in zip(
            labels, precision, recall, f1, support, strict=True
        )
    }


def entity_scores(examples: Sequence[Example], extract: Callable | None) -> dict:
    """Share of examples with expected entities where every one was found."""
    labelled = [example for example in examples if example.entities is not None]
    if not labelled or extract is None:
        return {"accuracy": None, "support": len(labelled)}

    right = sum(
        entities_match(example.entities, extract(example.text)) for example in labelled
    )
    return {"accuracy": _ratio(right, len(labelled)), "support": len(labelled)}


def entities_match(expected: dict[str, Any], found: dict[str, Any]) -> bool:
    """Every expected entity is found with that value (a period: those fields)."""
    return all(
        key in found and _same(value, _plain(found[key]))
        for key, value in expected.items()
    )


def _plain(value: Any) -> Any:
    value = value.to_dict() if hasattr(value, "to_dict") else value
    return json.loads(json.dumps(value, default=str))


def _same(expected: Any, found: Any) -> bool:
    if isinstance(expected, dict) and isinstance(found, dict):
        return all(found.get(key) == value for key, value in expected.items())
    if isinstance(expected, str) and isinstance(found, str):
        return expected.casefold() == found.casefold()
    return expected == found


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def write_report(report: dict, report_dir: Path) -> None:
    """The errors as ``errors.json`` and the confusion matrix as a PNG."""
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    errors_path = report_dir / "errors.json"
    errors_path.write_text(json.dumps(report["errors"], indent=2), encoding="utf-8")
    draw_confusion(report, report_dir / "confusion_matrix.png")


def draw_confusion(report: dict, path: Path) -> None:
    """A matrix of expected (rows) against decided (columns) intents."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels, counts = confusion_counts(report)
    size = 2 + 0.45 * len(labels)
    figure, axes = plt.subplots(figsize=(size + 1, size))
    image = axes.imshow(counts, cmap="Blues")
    axes.set_xticks(range(len(labels)), labels, rotation=90, fontsize=8)
    axes.set_yticks(range(len(labels)), labels, fontsize=8)
    axes.set_xlabel("decided")
    axes.set_ylabel("expected")
    for (row, column), count in np.ndenumerate(counts):
        if count:
            axes.text(column, row, int(count), ha="center", va="center", fontsize=7)
    figure.colorbar(image, ax=axes)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def confusion_counts(report: dict) -> tuple[list[str], np.ndarray]:
    """Labels and the expected x decided counts, rebuilt from scores and errors."""
    labels = sorted(
        set(report["intents"]) | {error["predicted"] for error in report["errors"]}
    )
    index = {label: i for i, label in enumerate(labels)}
    counts = np.zeros((len(labels), len(labels)), dtype=int)
    for label, scores in report["intents"].items():
        counts[index[label], index[label]] = scores["support"]
    for error in report["errors"]:
        counts[index[error["expected"]], index[error["expected"]]] -= 1
        counts[index[error["expected"]], index[error["predicted"]]] += 1
    return labels, counts


def tune_thresholds(
    confidences: Sequence[float] = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6),
    margins: Sequence[float] = (0.05, 0.1, 0.15, 0.2, 0.3),
    folds: int = 5,
) -> dict[str, float]:
    """The threshold and margin with the best in-scope accuracy, refusing enough.

    Out-of-fold probabilities over the training utterances stand for unseen
    messages; a pair qualifies when at least ``MIN_REFUSED`` of out-of-scope
    utterances are not acted on, and the best qualifying pair acts correctly
    on most in-scope utterances (ties go to the stricter pair). The margins
    start above zero: a near tie between two intents always gets a question.
    """
    classes, probabilities, intents = out_of_fold_probabilities(folds)
    best = None
    for confidence in confidences:
        for margin in margins:
            scores = _threshold_scores(
                classes, probabilities, intents, confidence, margin
            )
            if scores["refused"] >= MIN_REFUSED and (
                best is None or scores["accuracy"] > best["accuracy"]
            ):
                best = {"confidence": confidence, "margin": margin, **scores}
    return best or {}


def out_of_fold_probabilities(folds: int = 5):
    """Classes, out-of-fold probabilities and intents of the training utterances."""
    from sklearn.model_selection import StratifiedKFold

    from bot.nlu.encoding import encode_cached

    texts, intents = nlu_classifier.load_utterances()
    embeddings, labels = encode_cached(texts), np.asarray(intents)
    classes = np.unique(labels)
    probabilities = np.zeros((len(texts), len(classes)))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    for train, test in splitter.split(embeddings, labels):
        model = nlu_classifier.IntentClassifier()
        model.fit(np.asarray(texts)[train], labels[train], embeddings[train])
        columns = np.searchsorted(classes, model.classes_)
        probabilities[np.ix_(test, columns)] = model.model_.predict_proba(
            embeddings[test]
        )
    return classes, probabilities, labels


def _threshold_scores(classes, probabilities, intents, confidence, margin) -> dict:
    ordered = np.sort(probabilities, axis=1)
    top, runner_up = ordered[:, -1], ordered[:, -2]
    predicted = classes[probabilities.argmax(axis=1)]
    acts = (top >= confidence) & (top - runner_up >= margin)
    acts &= ~np.isin(predicted, REFUSALS)

    outside = intents == OUT_OF_SCOPE
    inside = ~outside & (intents != "help")
    return {
        "accuracy": float(
            np.mean(acts[inside] & (predicted[inside] == intents[inside]))
        ),
        "refused": float(np.mean(~acts[outside])),
    }


def tfidf_baseline() -> Callable[[str], Classification]:
    """The baseline: word and character TF-IDF into a logistic regression.

    Fitted on the same utterances as the sentence-embedding classifier; it
    returns a ``classify``-like function, so both are scored the same way.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    texts, intents = nlu_classifier.load_utterances()
    features = make_union(
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
    )
    model = make_pipeline(features, LogisticRegression(C=10.0, max_iter=2000))
    model.fit([text.lower() for text in texts], intents)

    def classify_text(text: str) -> Classification:
        cleaned = nlu_classifier.clean_text(text).lower()
        probabilities = model.predict_proba([cleaned])[0]
        return nlu_classifier.ranked_classification(model.classes_, probabilities)

    return classify_text
