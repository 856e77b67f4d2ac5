import pytest

from bot.nlu.entities import extract_entities
from bot.nlu.mentions import NameIndex
from tools.names import Vocabulary

CUSTOMERS = (
    "Acme Corp",
    "Acme Logistics",
    "Globex Corporation",
    "Initech",
    "Northwind Traders",
    "Customer 12346",
    "Customer 12347",
)
VOCABULARY = Vocabulary(
    customers=CUSTOMERS,
    regions=("APAC", "EMEA", "North America West"),
    categories=("Hardware", "Software licences", "Training"),
)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("why is Northwind flagged?", "Northwind Traders"),
        ("northwnd traders risk", "Northwind Traders"),
        ("what kind of customer is initech", "Initech"),
        ("<@U0BOT> globex's value", "Globex Corporation"),
        ("acme corp please", "Acme Corp"),
        ("why is customer 12347 at risk", "Customer 12347"),
    ],
)
def test_a_customer_is_found_however_it_is_typed(text, name):
    mention = NameIndex(CUSTOMERS).find(text)

    assert mention is not None and mention.name == name


def test_words_that_fit_several_customers_list_them_instead_of_guessing():
    mention = NameIndex(CUSTOMERS).find("is acme at risk")

    assert mention.name is None
    assert mention.candidates == ("Acme Corp", "Acme Logistics")


def test_a_different_number_is_a_different_customer():
    assert NameIndex(CUSTOMERS).find("customer 12348 value") is None


@pytest.mark.parametrize(
    "text", ["what's my churn risk list", "forecast the next quarter", "help", ""]
)
def test_ordinary_words_match_no_customer(text):
    assert NameIndex(CUSTOMERS).find(text) is None


def test_entities_name_customers_regions_and_categories_as_the_store_does():
    assert extract_entities("why is northwind flagged", VOCABULARY) == {
        "customer": "Northwind Traders"
    }
    assert extract_entities("forecast emea revenue next month", VOCABULARY) == {
        "region": "EMEA",
        "horizon_days": 30,
    }
    assert extract_entities("software sales next quarter", VOCABULARY) == {
        "category": "Software licences",
        "horizon_days": 90,
    }


def test_an_ambiguous_customer_is_passed_on_as_typed():
    assert extract_entities("is acme at risk?", VOCABULARY) == {"customer": "acme"}
