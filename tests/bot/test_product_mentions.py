import pytest

from bot.nlu.entities import extract_entities
from storage.db import session_scope
from tests.factories import make_product
from tools.names import Vocabulary, store_vocabulary

VOCABULARY = Vocabulary(
    customers=("Acme Corp", "Initech", "Northwind Traders"),
    regions=("EMEA", "North America West"),
    categories=("Hardware", "Software licences", "Training"),
    products=(
        "Analytics Suite",
        "Analytics Training",
        "Gateway Hub",
        "Hardware Care Pack",
        "Installation Service",
        "Network Switch 24-port",
        "Network Switch 48-port",
        "WHITE HANGING HEART T-LIGHT HOLDER",
    ),
)


@pytest.mark.parametrize(
    ("text", "product"),
    [
        ("what goes with the gateway hub", "Gateway Hub"),
        ("what do people buy with Gateway Hub?", "Gateway Hub"),
        ("bought together with the gateway", "Gateway Hub"),
        ("gatway hub bundles", "Gateway Hub"),
        ("price for network switch 48-port", "Network Switch 48-port"),
        ("white hanging heart t-light holder", "WHITE HANGING HEART T-LIGHT HOLDER"),
    ],
)
def test_a_product_is_named_as_the_store_spells_it(text, product):
    assert extract_entities(text, VOCABULARY)["product"] == product


def test_a_product_and_a_customer_are_found_in_one_message():
    assert extract_entities("analytics suite price for initech", VOCABULARY) == {
        "customer": "Initech",
        "product": "Analytics Suite",
    }


def test_a_category_name_alone_is_a_category_not_a_product():
    assert extract_entities("forecast hardware sales", VOCABULARY) == {
        "category": "Hardware"
    }


def test_a_product_named_around_a_category_is_the_product():
    assert extract_entities("what goes with hardware care pack", VOCABULARY) == {
        "product": "Hardware Care Pack"
    }


def test_words_that_fit_several_products_are_passed_on_as_typed():
    entities = extract_entities("what goes with a network switch 12-port", VOCABULARY)

    assert entities == {"product": "network"}


@pytest.mark.parametrize(
    "text", ["what else can I sell to acme", "what's my churn risk list", "help"]
)
def test_messages_naming_no_product_have_no_product(text):
    assert "product" not in extract_entities(text, VOCABULARY)


def test_the_store_vocabulary_lists_product_names(sqlite_url):
    with session_scope(sqlite_url) as session:
        make_product(session, "Gateway Hub", "Hardware")
        make_product(session, "Analytics Suite", "Software licences")
        vocabulary = store_vocabulary(session)

    assert vocabulary.products == ("Analytics Suite", "Gateway Hub")
