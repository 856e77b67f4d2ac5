import json

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.nlu.entities import extract_entities
from storage.db import session_scope
from tests.factories import make_customer, make_product, make_rep
from tools.names import Vocabulary

PRODUCTS = (
    "Analytics Suite",
    "Analytics Training",
    "Firewall Appliance",
    "Gateway Hub",
    "Integration Hours",
    "Managed Services (month)",
    "Network Switch 24-port",
    "Network Switch 48-port",
    "Onboarding Hours",
    "Rack Server",
    "Thin Client",
)
VOCABULARY = Vocabulary(
    customers=("Acme Corp", "Globex Corporation", "Initech", "Northwind Traders"),
    categories=("Hardware", "Training"),
    products=PRODUCTS,
)


def _items(text):
    found = extract_entities(text, VOCABULARY).get("items", [])
    return [(item["product"], item["quantity"]) for item in found]


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("10 Analytics Suite", [("Analytics Suite", 10)]),
        ("Analytics Suite x4", [("Analytics Suite", 4)]),
        ("analytics suite x 4 for acme", [("Analytics Suite", 4)]),
        ("analytics suite × 3", [("Analytics Suite", 3)]),
        ("4x analytics suite", [("Analytics Suite", 4)]),
        ("4 x analytics suite", [("Analytics Suite", 4)]),
        ("20 onboarding hours", [("Onboarding Hours", 20)]),
        ("20 onboarding hrs", [("Onboarding Hours", 20)]),
        ("five gateway hubs", [("Gateway Hub", 5)]),
        ("twelve thin clients for globex", [("Thin Client", 12)]),
        ("12 of the gateway hubs for initech", [("Gateway Hub", 12)]),
        ("10 seats of analytics suite", [("Analytics Suite", 10)]),
        ("1,000 thin clients", [("Thin Client", 1000)]),
        ("2 netwrk switch 48-port", [("Network Switch 48-port", 2)]),
        ("3 GATEWAY HUBS", [("Gateway Hub", 3)]),
        ("7 analitics suite", [("Analytics Suite", 7)]),
        (
            "3 rack servers and 10 onboarding hours",
            [("Rack Server", 3), ("Onboarding Hours", 10)],
        ),
        (
            "draft a quote for acme: 2 gateway hubs, 5 thin clients plus 8 "
            "integration hours",
            [("Gateway Hub", 2), ("Thin Client", 5), ("Integration Hours", 8)],
        ),
        (
            "quote northwind a gateway hub and 2 firewall appliances",
            [("Gateway Hub", 1), ("Firewall Appliance", 2)],
        ),
        ("add an analytics suite", [("Analytics Suite", 1)]),
        (
            "10 x analytics suite and 5 analytics training seats",
            [("Analytics Suite", 10), ("Analytics Training", 5)],
        ),
        ("12 months of managed services", [("Managed Services (month)", 12)]),
        ("2 analytics for acme", [("analytics", 2)]),
    ],
)
def test_items_are_the_products_with_the_quantity_asked_for(text, items):
    assert _items(text) == items


@pytest.mark.parametrize(
    "text",
    [
        "what goes with the gateway hub",
        "what goes with a network switch",
        "draft a quote for acme",
        "a analytics for initech",
        "top 5 customers",
        "price for gateway hub at $12,000",
        "gateway hub for 10% off",
        "gateway hubs in 2026",
        "show q-2026-0042 gateway hub",
        "",
    ],
)
def test_no_item_without_a_stated_quantity(text):
    assert _items(text) == []


def test_the_quantity_of_the_named_product_comes_from_its_item():
    entities = extract_entities("price for analytics suite x5 for acme", VOCABULARY)

    assert entities["product"] == "Analytics Suite" and entities["quantity"] == 5


@pytest.mark.parametrize(
    ("text", "discount"),
    [
        ("10% off", 10.0),
        ("15 percent discount", 15.0),
        ("a 12.5% discount for acme", 12.5),
        ("discount of 20%", 20.0),
        ("discounted by 7 %", 7.0),
        ("with 5 pct off", 5.0),
        ("10 per cent off the gateway hubs", 10.0),
        ("a 15% dicount", 15.0),
        ("3 gateway hubs at 8%", 8.0),
        ("give them 30 PERCENT OFF", 30.0),
    ],
)
def test_discounts_are_read_in_percent(text, discount):
    assert extract_entities(text)["discount_pct"] == discount


@pytest.mark.parametrize(
    "text",
    [
        "win rate above 20% last month",
        "accounts at 50% churn risk",
        "150% off",
        "what's a good discount for acme",
        "top 10 accounts",
    ],
)
def test_percentages_that_are_not_discounts_are_left_alone(text):
    assert "discount_pct" not in extract_entities(text)


@pytest.mark.parametrize(
    ("text", "money"),
    [
        ("$12,000", 12000.0),
        ("12k", 12000.0),
        ("€5,400", 5400.0),
        ("budget of 50k", 50000.0),
        ("Budget is 75000", 75000.0),
        ("£1.5m deal", 1500000.0),
        ("$ 2,500.50 for the hub", 2500.5),
        ("3000 dollars", 3000.0),
        ("usd 900", 900.0),
        ("a 40 grand deal worth 40k", 40000.0),
    ],
)
def test_money_is_read_in_currency_units(text, money):
    assert extract_entities(text)["money"] == money


@pytest.mark.parametrize(
    "text",
    [
        "top 12 accounts",
        "q-2026-0042",
        "10% off",
        "forecast 6 weeks",
        "12 gateway hubs",
    ],
)
def test_numbers_that_are_not_money_are_left_alone(text):
    assert "money" not in extract_entities(text, VOCABULARY)


def test_money_and_a_discount_are_not_counted_as_items_or_accounts():
    entities = extract_entities(
        "quote acme 4 gateway hubs, $12,000 budget, 10% off", VOCABULARY
    )

    assert entities["items"] == [{"product": "Gateway Hub", "quantity": 4}]
    assert entities["money"] == 12000.0 and entities["discount_pct"] == 10.0
    assert "top_n" not in entities


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("forecast the next 2 months", 60),
        ("revenue next year", 365),
        ("next quarter", 90),
        ("the coming 6 weeks", 42),
        ("next month", 30),
        ("forecast two quarters", 180),
        ("forecast over the next 90 days", 90),
    ],
)
def test_horizons_are_read_in_days(text, days):
    assert extract_entities(text)["horizon_days"] == days


@pytest.mark.parametrize(
    ("text", "frequency"),
    [
        ("every Monday", "weekly:monday"),
        ("send it each friday", "weekly:friday"),
        ("on tuesdays", "weekly:tuesday"),
        ("weekly on wed", "weekly:wednesday"),
        ("every week on thursday", "weekly:thursday"),
        ("evry monday morning", "weekly:monday"),
        ("daily", "daily"),
        ("every morning", "daily"),
        ("each day", "daily"),
        ("every weekday", "daily"),
        ("each week", "weekly"),
        ("once a week", "weekly"),
        ("WEEKLY", "weekly"),
        ("monthly", "monthly"),
        ("montly please", "monthly"),
        ("on the first of every month", "monthly"),
    ],
)
def test_frequencies(text, frequency):
    assert extract_entities(text)["frequency"] == frequency


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("post it to <#C0123ABC|sales-leadership>", "C0123ABC"),
        ("in <#C0999XYZ>", "C0999XYZ"),
        ("to #sales-leadership", "#sales-leadership"),
        ("post in #Team-EMEA.", "#team-emea"),
        ("send it to me", "dm"),
        ("DM me", "dm"),
        ("as a direct message", "dm"),
    ],
)
def test_channels(text, channel):
    assert extract_entities(text)["channel"] == channel


@pytest.mark.parametrize(
    "text", ["we are #1 in EMEA", "see https://example.com/#top", "tell me more"]
)
def test_text_that_names_no_channel_has_no_channel(text):
    assert "channel" not in extract_entities(text)


@pytest.mark.parametrize(
    ("text", "report"),
    [
        ("send the forecast every monday", "revenue_forecast"),
        ("subscribe #sales to the churn report", "churn_risk_list"),
        ("daily sales summary to me", "sales_summary"),
        ("post the pipeline weekly", "sales_summary"),
        ("stop the churn report", "churn_risk_list"),
        ("unsubscribe me from the anomalies digest", "quote_anomalies"),
        ("segments every month to #marketing", "customer_segments"),
        ("send top customers monthly", "customer_value"),
        ("send me the model health each week", "model_health"),
    ],
)
def test_the_report_of_a_subscription(text, report):
    assert extract_entities(text)["report"] == report


@pytest.mark.parametrize(
    "text", ["what's my churn risk list", "forecast next quarter", "sales last month"]
)
def test_a_question_about_a_report_is_no_subscription_to_it(text):
    assert "report" not in extract_entities(text)


def test_a_whole_subscription_request():
    entities = extract_entities(
        "send the churn report to <#C0123ABC|sales-leadership> every Monday"
    )

    assert entities == {
        "report": "churn_risk_list",
        "channel": "C0123ABC",
        "frequency": "weekly:monday",
    }


def test_a_whole_draft_request():
    entities = extract_entities(
        "draft a quote for Northwind: 3 rack servers and 20 onboarding hrs, "
        "12.5% discount",
        VOCABULARY,
    )

    assert entities["customer"] == "Northwind Traders"
    assert entities["items"] == [
        {"product": "Rack Server", "quantity": 3},
        {"product": "Onboarding Hours", "quantity": 20},
    ]
    assert entities["discount_pct"] == 12.5


def test_the_nlu_command_prints_every_new_entity_as_json(sqlite_url):
    with session_scope(sqlite_url) as session:
        make_customer(session, "Northwind Traders", make_rep(session, "Alex Rivera"))
        make_product(session, "Rack Server", "Hardware")
        make_product(session, "Onboarding Hours", "Services")
    text = (
        "quote northwind 3 rack servers and 20 onboarding hrs, 10% off, budget 50k; "
        "send the forecast to <#C0123ABC|sales> every monday for the next 2 months"
    )

    result = CliRunner().invoke(app, ["nlu", text, "--json", "--db", sqlite_url])

    entities = json.loads(result.stdout)["entities"]
    assert entities["customer"] == "Northwind Traders"
    assert entities["items"] == [
        {"product": "Rack Server", "quantity": 3},
        {"product": "Onboarding Hours", "quantity": 20},
    ]
    assert (entities["discount_pct"], entities["money"]) == (10.0, 50000.0)
    assert (entities["channel"], entities["frequency"]) == ("C0123ABC", "weekly:monday")
    assert (entities["report"], entities["horizon_days"]) == ("revenue_forecast", 60)


@pytest.mark.parametrize(
    "text",
    [
        "top 10 churn risks for the team",
        "best accounts next quarter",
        "sales last month",
    ],
)
def test_words_of_a_question_are_not_read_as_a_product_they_start(text):
    vocabulary = Vocabulary(
        products=(
            "Team Collaboration",
            "Best Dad Candle",
            "Next Day Carriage",
            "Sale Error",
        )
    )

    assert "product" not in extract_entities(text, vocabulary)


@pytest.mark.parametrize(
    ("text", "items"),
    [
        (
            "8 picnic basket wicker small and 1 regency cakestand 3 tier",
            [("PICNIC BASKET WICKER SMALL", 8), ("REGENCY CAKESTAND 3 TIER", 1)],
        ),
        (
            "2 wood 2 drawer cabinet white finish 6 set of 4 knick knack tins",
            [
                ("WOOD 2 DRAWER CABINET WHITE FINISH", 2),
                ("SET OF 4 KNICK KNACK TINS", 6),
            ],
        ),
        (
            "48 eau de nil love bird candle",
            [("EAU DE NIL LOVE BIRD CANDLE", 48)],
        ),
    ],
)
def test_long_product_names_and_names_with_numbers_are_items(text, items):
    vocabulary = Vocabulary(
        products=(
            "EAU DE NIL LOVE BIRD CANDLE",
            "LOVE BIRD CANDLE",
            "PICNIC BASKET WICKER SMALL",
            "REGENCY CAKESTAND 3 TIER",
            "SET OF 4 KNICK KNACK TINS",
            "WOOD 2 DRAWER CABINET WHITE FINISH",
        )
    )
    found = extract_entities(text, vocabulary)["items"]

    assert [(item["product"], item["quantity"]) for item in found] == items
