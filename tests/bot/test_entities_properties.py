"""Whatever people type, understanding it never crashes and keeps its promises."""

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.nlu import classify
from bot.nlu.entities import extract_entities
from tests.bot.test_entities import VOCABULARY

KEYS = {
    "customer", "region", "category", "product", "items", "quantity", "discount_pct",
    "money", "horizon_days", "period", "quote_number", "top_n", "scope", "model",
    "frequency", "channel", "report",
}  # fmt: skip
FEW = settings(
    max_examples=100,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# The classifier encodes each message, so it gets fewer examples.
FEWER = settings(FEW, max_examples=15)

SYMBOLS = st.text(alphabet="0123456789$€£%,.x×#<>|@:*-+() ", max_size=80)
WORDS = st.sampled_from([
    "the", "a", "an", "and", "for", "with", "x", "3", "12", "five", "off", "%",
    "$", "k", "every", "monday", "daily", "to", "me", "dm", "#sales",
    "<#C0123ABC|sales>", "<@U0BOT>", "gateway", "hub", "hubs", "analytics",
    "suite", "rack", "servers", "q-2026-0042", "next", "quarter", "10%",
    "12,000", "budget", "of", "discount", "percent",
])  # fmt: skip
SLACK_LIKE = st.lists(WORDS, max_size=40).map(" ".join)
MESSAGES = st.one_of(st.text(max_size=300), SYMBOLS, SLACK_LIKE)
LONG_MESSAGES = st.builds(
    lambda text, times: (text + " ") * times,
    st.one_of(st.text(min_size=1, max_size=60), SLACK_LIKE),
    st.integers(min_value=100, max_value=400),
)
FILLER = st.lists(
    st.sampled_from(["please", "draft", "quote", "acme", "now", "thanks", "hi"]),
    max_size=6,
).map(" ".join)


def _keeps_its_promises(entities: dict) -> None:
    assert set(entities) <= KEYS
    for item in entities.get("items", []):
        assert set(item) == {"product", "quantity"}
        assert isinstance(item["quantity"], int) and item["quantity"] > 0
        assert isinstance(item["product"], str) and item["product"]
    if "discount_pct" in entities:
        assert 0 <= entities["discount_pct"] <= 100
    if "money" in entities:
        assert math.isfinite(entities["money"]) and entities["money"] >= 0
    if "frequency" in entities:
        assert entities["frequency"].split(":")[0] in {"daily", "weekly", "monthly"}


@FEW
@given(MESSAGES)
def test_any_message_yields_well_formed_entities(text):
    _keeps_its_promises(extract_entities(text, VOCABULARY))
    _keeps_its_promises(extract_entities(text))


@settings(FEW, max_examples=10)
@given(LONG_MESSAGES)
def test_very_long_messages_are_read_without_a_crash(text):
    _keeps_its_promises(extract_entities(text, VOCABULARY))


@FEW
@given(FILLER, st.integers(min_value=1, max_value=99_999), FILLER)
def test_a_stated_quantity_of_a_product_is_an_item(before, quantity, after):
    text = f"{before} {quantity} gateway hubs {after}"

    items = extract_entities(text, VOCABULARY)["items"]

    assert {"product": "Gateway Hub", "quantity": quantity} in items


@FEW
@given(FILLER, st.integers(min_value=0, max_value=1000).map(lambda n: n / 10))
def test_a_percent_off_is_the_discount(before, percent):
    entities = extract_entities(f"{before} {percent:g}% off", VOCABULARY)

    assert entities["discount_pct"] == percent


@FEW
@given(st.integers(min_value=1, max_value=10**9), st.sampled_from("$€£"))
def test_a_sum_with_a_currency_sign_is_money_and_no_quantity(amount, sign):
    entities = extract_entities(f"{sign}{amount:,} for 2 gateway hubs", VOCABULARY)

    assert entities["money"] == amount
    assert entities["items"] == [{"product": "Gateway Hub", "quantity": 2}]


@FEWER
@given(MESSAGES)
def test_any_message_is_classified_without_a_crash(text):
    result = classify(text)

    assert isinstance(result.intent, str) and 0.0 <= result.confidence <= 1.0
