"""The quote form: its views, its checks shown inline, its search-as-you-type."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from bot.settings import Settings
from bot.slack import quote_modal
from bot.slack.quote_modal import (
    CUSTOMER,
    DISCOUNT,
    EDIT,
    MAX_LINES,
    NEW,
    PRODUCT,
    QUANTITY,
    FormLine,
    Prefill,
    customer_options,
    edit_view,
    new_view,
    product_options,
    read_form,
)
from storage.db import session_scope
from storage.models import Product, Quote
from tests.bot.slack.recording_client import RecordingClient, bolt_app, interaction
from tests.factories import make_customer, make_product, make_rep
from tools.drafts import draft_quote
from tools.errors import ToolError
from tools.people import requester_by_email
from tools.quote_actions import QuoteCard, QuoteLine, mark_sent

CHANNEL = "C0SALES"
EMAILS = {
    "UALEX": "alex.rivera@example.com",
    "UDANA": "dana.whitfield@example.com",
}


@pytest.fixture
def store(store_url) -> str:
    """Alex and Priya on Dana's team, Sam on another; two products.

    On SQLite and on PostgreSQL, whose LIKE and case rules differ.
    """
    with session_scope(store_url) as session:
        make_rep(session, "Dana Whitfield", role="manager")
        alex = make_rep(session, "Alex Rivera")
        priya = make_rep(session, "Priya Nair")
        sam = make_rep(session, "Sam Okafor", team="emea")
        make_customer(session, "Acme Corp", alex)
        make_customer(session, "Globex", alex)
        make_customer(session, "Acme Labs", priya)
        make_customer(session, "Acme 100% Ltd", sam)
        make_product(session, "Gateway Hub", "Hardware")
        make_product(session, "Analytics Suite", "Software")
    return store_url


def as_person(store: str, email: str):
    with session_scope(store) as session:
        return requester_by_email(session, email)


def option(value: str | None) -> dict | None:
    return (
        {"text": {"type": "plain_text", "text": "x"}, "value": value} if value else None
    )


def form_values(customer=None, lines=(), discount=None, with_customer=True) -> dict:
    """A view's ``state.values`` as Slack sends it for the quote form."""
    values = {}
    if with_customer:
        picked = {"type": "external_select", "selected_option": option(customer)}
        values["customer"] = {CUSTOMER: picked}
    rows = list(lines) + [(None, None)] * (3 - len(lines))
    for number, (sku, quantity) in enumerate(rows, start=1):
        values[f"line_{number}_product"] = {
            PRODUCT: {"type": "external_select", "selected_option": option(sku)}
        }
        values[f"line_{number}_quantity"] = {
            QUANTITY: {"type": "number_input", "value": quantity}
        }
    values["discount"] = {DISCOUNT: {"type": "number_input", "value": discount}}
    return values


def submission(values: dict, callback_id=NEW, metadata=None, user="UALEX") -> dict:
    return {
        "type": "view_submission",
        "team": {"id": "T1"},
        "user": {"id": user},
        "api_app_id": "A1",
        "view": {
            "id": "V0FORM",
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": json.dumps(metadata or {"channel": CHANNEL}),
            "state": {"values": values},
        },
    }


def customer_id(store: str, name: str) -> str:
    with session_scope(store) as session:
        from storage.models import Customer

        return str(session.scalar(select(Customer.id).where(Customer.name == name)))


def app_for(store: str):
    client = RecordingClient(EMAILS)
    app = bolt_app(client)
    quote_modal.register(app, Settings(database_url=store))
    return app, client


def test_the_new_quote_form_has_a_customer_search_three_lines_and_a_discount():
    view = new_view(CHANNEL)

    block_ids = [block["block_id"] for block in view["blocks"]]
    assert view["callback_id"] == NEW
    assert json.loads(view["private_metadata"]) == {"channel": CHANNEL}
    assert block_ids == [
        "customer",
        "line_1_product",
        "line_1_quantity",
        "line_2_product",
        "line_2_quantity",
        "line_3_product",
        "line_3_quantity",
        "discount",
    ]
    customer = view["blocks"][0]["element"]
    assert customer["type"] == "external_select"
    assert 1 <= customer["min_query_length"] <= 2
    quantity = view["blocks"][2]["element"]
    assert (quantity["type"], quantity["is_decimal_allowed"]) == ("number_input", False)
    assert view["blocks"][-1]["element"]["is_decimal_allowed"] is True
    assert len(view["title"]["text"]) <= 24


def test_the_form_opens_filled_in_with_what_was_understood():
    prefill = Prefill(
        7, "Acme Corp", (FormLine("GATEWAY-HUB", "Gateway Hub", 10),), 5.0
    )

    view = new_view(CHANNEL, prefill)

    blocks = {block["block_id"]: block["element"] for block in view["blocks"]}
    assert blocks["customer"]["initial_option"]["value"] == "7"
    assert blocks["line_1_product"]["initial_option"]["value"] == "GATEWAY-HUB"
    assert blocks["line_1_quantity"]["initial_value"] == "10"
    assert "initial_option" not in blocks["line_2_product"]
    assert blocks["discount"]["initial_value"] == "5"


def test_option_texts_are_cut_to_slacks_limit_and_keep_the_sku():
    long_name = "Regency Cakestand Three Tier With Extra Long Description " * 3
    prefill = Prefill(lines=(FormLine("SKU-123", long_name, 1),))

    view = new_view(CHANNEL, prefill)

    text = view["blocks"][1]["element"]["initial_option"]["text"]["text"]
    assert len(text) <= 75
    assert text.endswith("(SKU-123)")


def a_card(lines: int) -> QuoteCard:
    return QuoteCard(
        quote_number="Q-2026-0042",
        customer="Acme Corp",
        rep="Alex Rivera",
        status="draft",
        currency="USD",
        created_at=dt.datetime(2026, 6, 30, 10),
        valid_until=dt.date(2026, 7, 30),
        lines=tuple(
            QuoteLine(f"Product {n}", f"SKU-{n}", n, Decimal(100), Decimal(100 * n))
            for n in range(1, lines + 1)
        ),
        subtotal=Decimal(1000),
        discount_pct=Decimal("7.5"),
        total=Decimal(925),
        suggestion=None,
        warning=None,
        checked=False,
    )


def test_the_edit_form_shows_the_drafts_lines_and_remembers_the_card():
    view = edit_view(a_card(4), CHANNEL, "1700000000.000100")

    blocks = {block.get("block_id"): block for block in view["blocks"]}
    assert view["callback_id"] == EDIT
    assert json.loads(view["private_metadata"]) == {
        "channel": CHANNEL,
        "ts": "1700000000.000100",
        "quote_number": "Q-2026-0042",
    }
    assert "customer" not in blocks
    assert blocks["line_4_product"]["element"]["initial_option"]["value"] == "SKU-4"
    assert blocks["line_4_quantity"]["element"]["initial_value"] == "4"
    assert "line_5_product" in blocks
    assert blocks["discount"]["element"]["initial_value"] == "7.5"
    assert len(view["title"]["text"]) <= 24


def test_a_complete_form_reads_as_lines_and_a_discount():
    values = form_values("3", [("GATEWAY-HUB", "10"), ("SUITE", "2")], "5.5")

    form, errors = read_form(values, "rep")

    assert errors == {}
    assert form.customer_id == 3
    assert form.items == (("GATEWAY-HUB", 10), ("SUITE", 2))
    assert form.discount_pct == 5.5


@pytest.mark.parametrize(
    ("values", "block_id", "words"),
    [
        (form_values(None, [("HUB", "1")]), "customer", "Choose a customer"),
        (form_values("3", []), "line_1_product", "at least one product"),
        (form_values("3", [("HUB", None)]), "line_1_quantity", "whole number"),
        (form_values("3", [("HUB", "0")]), "line_1_quantity", "whole number"),
        (form_values("3", [("HUB", "2.5")]), "line_1_quantity", "whole number"),
        (form_values("3", [(None, "4")]), "line_1_product", "Choose a product"),
        (
            form_values("3", [("HUB", "1"), ("HUB", "2")]),
            "line_2_product",
            "already on line 1",
        ),
        (form_values("3", [("HUB", "1")], "120"), "discount", "between 0 and 100"),
        (form_values("3", [("HUB", "1")], "-1"), "discount", "between 0 and 100"),
        (form_values("3", [("HUB", "1")], "25"), "discount", "at most 20%"),
    ],
    ids=[
        "no-customer",
        "no-product",
        "no-quantity",
        "zero",
        "fraction",
        "quantity-without-product",
        "repeated-product",
        "discount-over-100",
        "negative-discount",
        "over-the-reps-limit",
    ],
)
def test_a_wrong_form_gets_one_sentence_under_the_field_at_fault(
    values, block_id, words
):
    _, errors = read_form(values, "rep")

    assert list(errors) == [block_id]
    assert words in errors[block_id]


def test_a_manager_may_give_a_deeper_discount_than_a_rep():
    values = form_values("3", [("HUB", "1")], "25")

    assert read_form(values, "manager")[1] == {}


def test_the_edit_form_needs_no_customer_and_an_empty_discount_means_none():
    values = form_values(lines=[("HUB", "3")], with_customer=False)

    form, errors = read_form(values, "rep")

    assert errors == {}
    assert form.discount_pct == 0.0


def test_a_rep_searching_customers_finds_only_their_own_accounts(store):
    alex = as_person(store, "alex.rivera@example.com")

    with session_scope(store) as session:
        names = [o["text"]["text"] for o in customer_options(session, alex, "ac")]

    assert names == ["Acme Corp"]


def test_a_manager_searching_customers_finds_the_teams_accounts_only(store):
    dana = as_person(store, "dana.whitfield@example.com")

    with session_scope(store) as session:
        names = [o["text"]["text"] for o in customer_options(session, dana, "acme")]

    assert names == ["Acme Corp", "Acme Labs"]


def test_a_typo_still_finds_the_account_and_a_percent_sign_is_a_letter(store):
    alex = as_person(store, "alex.rivera@example.com")
    dana = as_person(store, "dana.whitfield@example.com")

    with session_scope(store) as session:
        typo = customer_options(session, alex, "glbex")
        percent = customer_options(session, dana, "%")

    assert [o["text"]["text"] for o in typo] == ["Globex"]
    assert percent == []


def test_products_are_found_by_name_or_sku_and_offered_by_sku(store):
    with session_scope(store) as session:
        by_name = product_options(session, "suite")
        by_sku = product_options(session, "gateway-h")

    assert by_name[0]["value"] == "ANALYTICS-SUITE"
    assert by_name[0]["text"]["text"] == "Analytics Suite (ANALYTICS-SUITE)"
    assert [o["value"] for o in by_sku] == ["GATEWAY-HUB"]


def test_inactive_products_are_not_offered_and_at_most_100_are(store):
    with session_scope(store) as session:
        for number in range(120):
            make_product(session, f"Cable {number:03d}", "Accessories")
        hub = session.scalar(select(Product).where(Product.sku == "GATEWAY-HUB"))
        hub.active = False

    with session_scope(store) as session:
        cables = product_options(session, "cable")
        hubs = product_options(session, "gateway")

    assert len(cables) == 100
    assert hubs == []


def test_the_search_answers_slacks_options_request_for_the_person_typing(store):
    app, _ = app_for(store)
    request = {
        "type": "block_suggestion",
        "team": {"id": "T1"},
        "user": {"id": "UALEX"},
        "action_id": CUSTOMER,
        "block_id": "customer",
        "value": "acme",
        "view": {"id": "V0FORM", "callback_id": NEW},
    }

    response = interaction(app, request)

    options = json.loads(response.body)["options"]
    assert [o["text"]["text"] for o in options] == ["Acme Corp"]


def test_a_wrong_submission_is_answered_with_errors_and_nothing_is_drafted(store):
    app, client = app_for(store)
    values = form_values(customer_id(store, "Acme Corp"), [("GATEWAY-HUB", "0")])

    response = interaction(app, submission(values))

    assert response.status == 200
    assert json.loads(response.body) == {
        "response_action": "errors",
        "errors": {
            "line_1_quantity": "Enter how many, as a whole number of 1 or more."
        },
    }
    with session_scope(store) as session:
        assert session.scalar(select(func.count(Quote.id))) == 0
    assert client.sent("chat.postMessage") == []


def test_a_valid_submission_drafts_the_quote_once_and_posts_its_card(store):
    app, client = app_for(store)
    values = form_values(
        customer_id(store, "Acme Corp"), [("GATEWAY-HUB", "10")], discount="5"
    )

    first = interaction(app, submission(values))
    interaction(app, submission(values))

    assert (first.status, first.body) == (200, "")
    with session_scope(store) as session:
        quote = session.scalar(select(Quote))
        assert session.scalar(select(func.count(Quote.id))) == 1
        assert (quote.idempotency_key, quote.discount_pct) == (
            "slack-view:V0FORM",
            Decimal(5),
        )
    posted = client.sent("chat.postMessage")
    assert posted[0]["channel"] == CHANNEL
    assert quote.quote_number in json.dumps(posted[0]["blocks"])


def test_a_submission_for_someone_elses_account_is_refused_privately(store):
    app, client = app_for(store)
    values = form_values(customer_id(store, "Acme Labs"), [("GATEWAY-HUB", "1")])

    interaction(app, submission(values))

    (refusal,) = client.sent("chat.postEphemeral")
    assert refusal["user"] == "UALEX"
    assert "not one of your accounts" in refusal["text"]
    assert client.sent("chat.postMessage") == []


def a_draft(store: str) -> str:
    """Alex's draft for Acme Corp: 2 Gateway Hubs at 5% off; its number."""
    with session_scope(store) as session:
        alex = requester_by_email(session, "alex.rivera@example.com")
        result = draft_quote(
            session, alex, "Acme Corp", [("GATEWAY-HUB", 2)], discount_pct=5
        )
        return result.data["quote_number"]


def edit_submission(number: str, lines) -> dict:
    values = form_values(lines=lines, with_customer=False)
    metadata = {"channel": CHANNEL, "ts": "1700000000.000100", "quote_number": number}
    return submission(values, EDIT, metadata)


def test_an_edit_replaces_the_drafts_lines_and_refreshes_its_card_in_place(store):
    number = a_draft(store)
    app, client = app_for(store)

    response = interaction(
        app, edit_submission(number, [("GATEWAY-HUB", "3"), ("ANALYTICS-SUITE", "1")])
    )

    assert (response.status, response.body) == (200, "")
    with session_scope(store) as session:
        quote = session.scalar(select(Quote).where(Quote.quote_number == number))
        lines = [(item.product.sku, item.quantity) for item in quote.items]
        assert lines == [("GATEWAY-HUB", 3), ("ANALYTICS-SUITE", 1)]
        assert quote.discount_pct == 0
    (update,) = client.sent("chat.update")
    assert (update["channel"], update["ts"]) == (CHANNEL, "1700000000.000100")
    assert "Analytics Suite" in json.dumps(update["blocks"])


def test_editing_a_quote_already_sent_changes_nothing_and_says_why(store):
    number = a_draft(store)
    with session_scope(store) as session:
        mark_sent(
            session, requester_by_email(session, "alex.rivera@example.com"), number
        )
    app, client = app_for(store)

    interaction(app, edit_submission(number, [("GATEWAY-HUB", "9")]))

    (told,) = client.sent("chat.postEphemeral")
    assert f"{number} was marked sent" in told["text"]
    assert client.sent("chat.update") == []
    with session_scope(store) as session:
        quote = session.scalar(select(Quote).where(Quote.quote_number == number))
        assert quote.items[0].quantity == 2


def test_a_draft_with_more_lines_than_the_form_holds_is_not_shown_in_part():
    with pytest.raises(ToolError, match="more than the quote form holds"):
        edit_view(a_card(MAX_LINES + 1), CHANNEL, "1700000000.000100")


def test_the_largest_draft_the_form_holds_fits_in_a_modal():
    view = edit_view(a_card(MAX_LINES), CHANNEL, "1700000000.000100")

    assert len(view["blocks"]) <= 100
    assert view["blocks"][-2]["block_id"] == f"line_{MAX_LINES}_quantity"
