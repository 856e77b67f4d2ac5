import csv
from pathlib import Path

import pytest

from bot.nlu import classify
from bot.nlu.classifier import clean_text
from bot.nlu.entities import extract_entities
from tests.shared_files import shared_file

HELD_OUT = Path(__file__).with_name("data") / "heldout_intents.tsv"


def held_out_examples() -> list[tuple[str, str]]:
    with HELD_OUT.open(encoding="utf-8") as file:
        return [
            (row["text"], row["intent"]) for row in csv.DictReader(file, delimiter="\t")
        ]


def test_held_out_paraphrases_are_classified_correctly():
    examples = held_out_examples()
    wrong = [(text, intent, classify(text).intent) for text, intent in examples]
    wrong = [case for case in wrong if case[1] != case[2]]

    assert len(wrong) / len(examples) <= 0.1, wrong


def test_most_requests_outside_the_bots_job_are_refused():
    lines = (
        shared_file("datasets/intents/clinc150_oos_train_val.tsv")
        .read_text(encoding="utf-8")
        .splitlines()[1:]
    )
    texts = [line.split("\t")[0] for line in lines if line.strip()]

    acted_on = [
        t
        for t in texts
        if (c := classify(t)).intent not in ("out_of_scope", "help") and c.is_confident
    ]

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
