import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.nlu.classifier import Classification
from bot.nlu.evaluate import (
    EvaluationError,
    Example,
    decision,
    evaluate_examples,
    read_examples,
    tfidf_baseline,
)

EXAMPLES = Path(__file__).with_name("data") / "nlu_examples.tsv"
runner = CliRunner()


def fixed(intent: str, confidence: float, runner_up: float = 0.0):
    """A classifier that always answers the same."""
    return lambda text: Classification(intent, confidence, (("help", runner_up),))


def test_examples_are_read_with_their_optional_entities():
    examples = read_examples(EXAMPLES)

    assert examples[0] == Example(
        "top 5 churn risks for the team",
        "churn_risk_list",
        {"top_n": 5, "scope": "team"},
    )
    assert examples[-1].entities is None


def test_a_file_without_the_header_is_refused_with_the_expected_header(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("top 5 churn risks\tchurn_risk_list\n", encoding="utf-8")

    with pytest.raises(EvaluationError, match="text<TAB>intent"):
        read_examples(path)


def test_an_unsure_classification_counts_as_a_clarifying_question():
    assert decision(Classification("sales_summary", 0.15)) == "clarify"
    assert decision(Classification("sales_summary", 0.4, (("x", 0.38),))) == "clarify"
    assert decision(Classification("sales_summary", 0.9)) == "sales_summary"


def test_refusing_an_out_of_scope_message_in_any_way_counts_as_right():
    examples = [Example("order a pizza", "out_of_scope")]

    scores = evaluate_examples(examples, classify_text=fixed("sales_summary", 0.15))

    assert scores["accuracy"] == 1.0 and scores["errors"] == []


def test_acting_on_the_wrong_intent_is_an_error_with_its_confidence():
    examples = [Example("how did we do", "sales_summary")]

    scores = evaluate_examples(examples, classify_text=fixed("revenue_forecast", 0.9))

    assert scores["accuracy"] == 0.0
    assert scores["errors"] == [
        {
            "text": "how did we do",
            "expected": "sales_summary",
            "predicted": "revenue_forecast",
            "confidence": 0.9,
        }
    ]
    assert scores["intents"]["sales_summary"]["recall"] == 0.0


def test_entities_count_as_right_only_when_every_expected_one_is_found():
    examples = [
        Example("a", "sales_summary", {"top_n": 5}),
        Example("b", "sales_summary", {"top_n": 5, "scope": "team"}),
        Example("c", "sales_summary"),
    ]

    scores = evaluate_examples(
        examples,
        extract=lambda text: {"top_n": 5, "scope": "mine"},
        classify_text=fixed("sales_summary", 0.9),
    )

    assert scores["entities"] == {"accuracy": 0.5, "support": 2}


def test_nlu_evaluate_prints_the_scores_and_writes_the_report(tmp_path):
    db = f"sqlite:///{tmp_path / 'absent.db'}"
    report = tmp_path / "report"

    result = runner.invoke(
        app,
        ["nlu", "evaluate", str(EXAMPLES), "--json", "--report", str(report)]
        + ["--db", db],
    )

    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert set(scores) == {"accuracy", "intents", "entities", "errors"}
    assert set(scores["intents"]["churn_risk_list"]) == {
        "precision",
        "recall",
        "f1",
        "support",
    }
    assert scores["entities"]["support"] == 3
    assert scores["accuracy"] == 1.0 and scores["entities"]["accuracy"] == 1.0
    assert json.loads((report / "errors.json").read_text()) == scores["errors"]
    assert (report / "confusion_matrix.png").read_bytes()[:4] == b"\x89PNG"


def test_nlu_evaluate_names_the_problem_with_a_bad_file(tmp_path):
    path = tmp_path / "empty.tsv"
    path.write_text("text\tintent\n", encoding="utf-8")

    result = runner.invoke(app, ["nlu", "evaluate", str(path), "--json"])

    assert result.exit_code == 1
    assert "no examples" in result.output


def test_sentence_embeddings_beat_the_tfidf_baseline_on_held_out_paraphrases():
    examples = read_examples(Path(__file__).with_name("data") / "heldout_intents.tsv")

    ours = evaluate_examples(examples)["accuracy"]
    baseline = evaluate_examples(examples, classify_text=tfidf_baseline())["accuracy"]

    assert ours >= 0.95 and ours > baseline
