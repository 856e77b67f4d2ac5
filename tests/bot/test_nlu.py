import csv
import random
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pytest

from bot.nlu import classify, encoding
from bot.nlu.classifier import (
    REFUSALS,
    ClassifierError,
    IntentClassifier,
    clean_text,
    load_utterances,
)
from bot.nlu.entities import extract_entities
from bot.nlu.evaluate import Example, decision, evaluate_examples
from tests.shared_files import shared_file

HELD_OUT = Path(__file__).with_name("data") / "heldout_intents.tsv"
DESIGN_INTENTS = {
    "churn_risk_list",
    "churn_explain",
    "revenue_forecast",
    "draft_quote",
    "quote_lookup",
    "customer_segments",
    "quote_anomalies",
    "product_recommendations",
    "bought_together",
    "customer_value",
    "price_suggestion",
    "customer_sentiment",
    "sales_summary",
    "model_health",
    "subscribe_snapshot",
    "help",
    "out_of_scope",
}


def held_out_examples() -> list[tuple[str, str]]:
    with HELD_OUT.open(encoding="utf-8") as file:
        return [
            (row["text"], row["intent"]) for row in csv.DictReader(file, delimiter="\t")
        ]


def test_held_out_paraphrases_are_classified_correctly():
    examples = held_out_examples()
    wrong = [(text, intent, classify(text).intent) for text, intent in examples]
    wrong = [case for case in wrong if case[1] != case[2]]

    assert len(wrong) / len(examples) <= 0.05, wrong


def test_the_bot_acts_correctly_on_held_out_paraphrases():
    examples = [Example(text, intent) for text, intent in held_out_examples()]

    assert evaluate_examples(examples)["accuracy"] >= 0.95


def held_out_out_of_scope() -> list[str]:
    """CLINC150's oos_val split and Banking77 questions left out of training."""
    clinc = shared_file("datasets/intents/clinc150_oos_train_val.tsv")
    rows = [line.split("\t") for line in clinc.read_text("utf-8").splitlines()[1:]]
    texts = [row[0] for row in rows if row[-1] == "oos_val"]

    trained = set(load_utterances()[0])
    by_category = defaultdict(list)
    with shared_file("datasets/intents/banking77_train.csv").open() as file:
        for row in csv.DictReader(file):
            text = " ".join(row["text"].split())
            if text not in trained:
                by_category[row["category"]].append(text)
    rng = random.Random(1)
    for category in sorted(by_category):
        texts += rng.sample(by_category[category], 2)
    return texts


def test_held_out_requests_outside_the_bots_job_are_refused():
    texts = held_out_out_of_scope()

    acted_on = [
        t for t in texts if (c := classify(t)).intent not in REFUSALS and c.is_confident
    ]

    assert len(texts) > 200
    assert len(acted_on) / len(texts) <= 0.05, acted_on[:10]


@pytest.mark.parametrize("text", ["", "   ", "?", "🙂", "<@U0SALESBOT>"])
def test_empty_or_symbol_only_messages_get_help(text):
    assert classify(text).intent == "help"


def test_very_long_messages_are_cut_before_classifying():
    text = "what's my churn risk list " * 1000

    assert len(clean_text(text)) == 2000
    assert classify(text).intent == "churn_risk_list"


def test_alternatives_are_ranked_and_confidences_sum_to_one():
    result = classify("what's my churn risk list")
    confidences = [result.confidence] + [p for _, p in result.alternatives]

    assert confidences == sorted(confidences, reverse=True)
    assert sum(confidences) == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("top 5 churn risks for the team", {"top_n": 5, "scope": "team"}),
        ("what's my churn risk list", {"scope": "mine"}),
        ("show twenty accounts at risk", {"top_n": 20}),
        ("churn", {}),
        ("top twenty-five at risk", {"top_n": 25}),
    ],
)
def test_entities_for_the_churn_list(text, expected):
    assert extract_entities(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("what will we sell next quarter?", {"horizon_days": 90}),
        ("forecast for the next 6 weeks", {"horizon_days": 42}),
        ("revenue next month", {"horizon_days": 30}),
        ("forecast two months with prophet", {"horizon_days": 60, "model": "prophet"}),
        ("compare all forecast models", {"model": "all"}),
        ("forecast using the seasonal naive model", {"model": "seasonal_naive"}),
    ],
)
def test_entities_for_the_forecast(text, expected):
    assert extract_entities(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "what discount can I give Initech on the firewall appliance?",
        "best price for 15 gateway hubs for globex",
        "how much off should i quote northwind for analytics suite seats",
        "whats a good discount for acme",
    ],
)
def test_discount_questions_ask_for_a_price_suggestion(text):
    result = classify(text)

    assert result.intent == "price_suggestion" and result.is_confident


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("best price for 20 gateway hubs for Initech", 20),
        ("price 5 x analytics suite seats for acme", 5),
        ("12 of the gateway hubs for initech, 10% off?", 12),
        ("what discount for acme on the analytics suite in 2026", None),
    ],
)
def test_the_quantity_is_the_number_right_before_the_product(text, quantity):
    from tools.names import Vocabulary

    vocabulary = Vocabulary(
        customers=("Acme Corp", "Initech"), products=("Gateway Hub", "Analytics Suite")
    )

    assert extract_entities(text, vocabulary).get("quantity") == quantity


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("show Q-2026-0042", "Q-2026-0042"),
        ("status of q-2025-1187 please", "Q-2025-1187"),
        ("what's in quote q-2026-000123?", "Q-2026-000123"),
        ("my open quotes", None),
        ("top 5 quotes of 2026-0042", None),
    ],
)
def test_quote_numbers_are_found_in_any_case(text, number):
    assert extract_entities(text).get("quote_number") == number


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("how does acme feel about us", "customer_sentiment"),
        ("mood of the globex account", "customer_sentiment"),
        ("show Q-2026-0042", "quote_lookup"),
        ("my open quotes", "quote_lookup"),
        ("quotes for initech last month", "quote_lookup"),
    ],
)
def test_sentiment_and_quote_questions_reach_their_tools(text, intent):
    result = classify(text)

    assert result.intent == intent and result.is_confident


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("who are my riskiest accounts", "churn_risk_list"),
        ("why is initech likely to churn", "churn_explain"),
        ("revenue forecast for the next quarter", "revenue_forecast"),
        ("draft a quote for initech w/ 20 onboarding hrs, 10% off", "draft_quote"),
        ("new quote for acme: 5 analytics suite", "draft_quote"),
        ("show Q-2026-0042", "quote_lookup"),
        ("which segment is globex in", "customer_segments"),
        ("any unusual quotes this month", "quote_anomalies"),
        ("what can i upsell to acme", "product_recommendations"),
        ("what goes with the gateway hub", "bought_together"),
        ("top customers by lifetime value", "customer_value"),
        ("what discount should i give acme on 10 gateway hubs", "price_suggestion"),
        ("how does initech feel about us", "customer_sentiment"),
        ("sales summary for last month", "sales_summary"),
        ("how accurate is the churn model", "model_health"),
        ("post the forecast to #sales-leadership every monday", "subscribe_snapshot"),
        ("stop the weekly churn report", "subscribe_snapshot"),
        ("what can you do", "help"),
        ("book a flight to paris", "out_of_scope"),
    ],
)
def test_every_intent_is_recognised_with_confidence(text, intent):
    result = classify(text)

    assert result.intent == intent and result.is_confident


def test_slack_mentions_and_emoji_do_not_change_the_intent():
    plain = classify("draft a quote for acme with 5 gateway hubs")
    dressed = classify("<@U0SALESBOT> draft a quote for acme with 5 gateway hubs 🙏")

    assert plain.intent == dressed.intent == "draft_quote"


@pytest.mark.parametrize(
    "text", ["asdfgh qwerty", "zzzz xxxx", "qwe rty uio", "hjkl hjkl hjkl", "x y z"]
)
def test_gibberish_never_reaches_a_tool_with_confidence(text):
    result = classify(text)

    assert result.intent in REFUSALS or not result.is_confident


@pytest.mark.parametrize("text", ["acme", "tell me about globex"])
def test_a_bare_name_is_never_acted_on_with_a_guess(text):
    result = classify(text)

    assert not result.is_confident
    assert decision(result) in ("clarify", *REFUSALS)


def test_a_near_tie_between_two_intents_gets_a_clarifying_question():
    result = classify("acme forecast quote churn")

    assert not result.is_confident
    assert decision(result) == "clarify"


def test_a_message_that_is_one_letter_gets_help():
    assert classify("k").intent == "help"


def test_the_classifier_refuses_to_predict_before_it_is_fitted():
    with pytest.raises(ClassifierError):
        IntentClassifier(encoder=np.eye).predict_proba(["hello"])


def test_the_classifier_learns_from_whatever_encoder_it_is_given():
    vectors = {
        "up": [1.0, 0.0],
        "high": [0.9, 0.1],
        "down": [0.0, 1.0],
        "low": [0.1, 0.9],
    }

    def encoder(texts):
        return np.array([vectors[text] for text in texts])

    model = IntentClassifier(encoder=encoder).fit(
        ["up", "down", "high", "low"], ["rise", "fall", "rise", "fall"]
    )

    assert list(model.predict(["high", "low"])) == ["rise", "fall"]
    assert model.predict_proba(["up"]).shape == (1, 2)


def test_utterance_embeddings_are_cached_by_their_texts(tmp_path, monkeypatch):
    calls = []

    def fake_encode(texts):
        calls.append(list(texts))
        return np.ones((len(texts), 3), dtype=np.float32)

    monkeypatch.setattr(encoding, "encode", fake_encode)

    first = encoding.encode_cached(["a", "b"], tmp_path)
    again = encoding.encode_cached(["a", "b"], tmp_path)
    encoding.encode_cached(["a", "c"], tmp_path)

    assert np.array_equal(first, again)
    assert calls == [["a", "b"], ["a", "c"]]


def test_intent_files_have_at_least_25_utterances_each():
    texts, intents = load_utterances()
    counts = Counter(intents)

    assert set(counts) >= DESIGN_INTENTS
    assert min(counts.values()) >= 25, counts
