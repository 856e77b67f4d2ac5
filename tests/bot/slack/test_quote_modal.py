"""The quote form's listeners: search as you type, checks in the ack, drafts, edits."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from bot.render.quote_form import CUSTOMER, EDIT, NEW
from bot.settings import Settings
from bot.slack import quote_modal
from bot.slack.quote_modal import customer_options, product_options
from storage.db import session_scope
from storage.models import Product, Quote
from tests.bot.slack.form_values import form_values
from tests.bot.slack.recording_client import RecordingClient, bolt_app, interaction
from tests.factories import make_customer, make_product, make_rep
from tools.drafts import draft_quote
from tools.people import requester_by_email
from tools.quote_actions import mark_sent

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
