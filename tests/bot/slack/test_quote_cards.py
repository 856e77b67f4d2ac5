"""Buttons on quote cards, pressed through a Bolt app that records what it sends."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import select

from bot.render.quote_form import EDIT
from bot.settings import Settings
from bot.slack import quote_cards
from bot.slack.delivery import SORRY
from storage.db import session_scope
from storage.drafts import create_draft_quote
from storage.models import Quote
from tests.bot.slack.recording_client import RecordingClient, bolt_app, interaction
from tests.factories import make_customer, make_product, make_team
from tools.people import requester_by_email
from tools.quote_actions import quote_card

CHANNEL = "C0SALES"
CARD_TS = "1700000000.000100"
EMAILS = {
    "UALEX": "alex.rivera@example.com",
    "UPRIYA": "priya.nair@example.com",
    "UDANA": "dana.whitfield@example.com",
}


@pytest.fixture
def store(sqlite_url) -> str:
    """Alex's draft for Acme: two Gateway Hubs."""
    with session_scope(sqlite_url) as session:
        alex = make_team(session)["Alex Rivera"]
        acme = make_customer(session, "Acme Corp", alex)
        hub = make_product(session, "Gateway Hub", "Hardware")
        create_draft_quote(
            session, customer_id=acme.id, rep_id=alex.id, items=[(hub.id, 2)]
        )
    return sqlite_url


@pytest.fixture
def client() -> RecordingClient:
    return RecordingClient(EMAILS)


@pytest.fixture
def app(store, client):
    app = bolt_app(client)
    quote_cards.register(app, Settings(database_url=store))
    return app


def number_of(store: str) -> str:
    with session_scope(store) as session:
        return session.scalar(select(Quote.quote_number))


def status_of(store: str) -> str:
    with session_scope(store) as session:
        return session.scalar(select(Quote.status))


def press(app, action_id: str, value: str, user: str = "UALEX", thread_ts=None):
    """A ``block_actions`` payload for a button on the card at ``CARD_TS``."""
    message = {"ts": CARD_TS, "text": "card"} | (
        {"thread_ts": thread_ts} if thread_ts else {}
    )
    payload = {
        "type": "block_actions",
        "user": {"id": user},
        "team": {"id": "T1"},
        "api_app_id": "A1",
        "trigger_id": "111.222.trigger",
        "container": {"type": "message", "message_ts": CARD_TS, "channel_id": CHANNEL},
        "channel": {"id": CHANNEL},
        "message": message,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "quote_actions",
                "value": value,
                "type": "button",
                "action_ts": "1700000001.000001",
            }
        ],
    }
    response = interaction(app, payload)
    assert response.status == 200
    return response


def button_ids(update: dict) -> list[str]:
    blocks = update["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    return [
        e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]
    ]


def test_mark_sent_updates_the_card_in_place_with_won_and_lost(app, client, store):
    press(app, "quote_sent", number_of(store))

    [update] = client.sent("chat.update")
    assert (update["channel"], update["ts"]) == (CHANNEL, CARD_TS)
    assert button_ids(update) == ["quote_won", "quote_lost", "quote_pdf"]
    assert client.sent("chat.postEphemeral") == []
    assert status_of(store) == "sent"


def test_a_second_click_tells_only_the_clicker_it_was_already_done(app, client, store):
    number = number_of(store)

    press(app, "quote_sent", number)
    press(app, "quote_sent", number, user="UDANA")

    [told] = client.sent("chat.postEphemeral")
    assert told["user"] == "UDANA"
    assert told["text"].startswith(f"{number} was already marked sent by Alex Rivera")
    assert len(client.sent("chat.update")) == 2


def test_another_rep_is_refused_privately_and_the_card_is_left_alone(
    app, client, store
):
    press(app, "quote_discard", number_of(store), user="UPRIYA")

    [told] = client.sent("chat.postEphemeral")
    assert told["user"] == "UPRIYA"
    assert "Alex Rivera's quote" in told["text"]
    assert client.sent("chat.update") == []
    assert status_of(store) == "draft"


def test_won_and_lost_decide_a_sent_quote_once(app, client, store):
    number = number_of(store)
    press(app, "quote_sent", number)

    press(app, "quote_won", number)
    press(app, "quote_lost", number)

    assert status_of(store) == "accepted"
    assert button_ids(client.sent("chat.update")[-1]) == ["quote_pdf"]
    [told] = client.sent("chat.postEphemeral")
    assert "cannot be marked lost" in told["text"]


def test_discard_leaves_only_the_pdf_button(app, client, store):
    press(app, "quote_discard", number_of(store))

    assert status_of(store) == "cancelled"
    assert button_ids(client.sent("chat.update")[0]) == ["quote_pdf"]


def test_pdf_is_uploaded_into_the_cards_thread(app, client, store):
    number = number_of(store)

    press(app, "quote_pdf", number, thread_ts="1700000000.000001")

    [upload] = client.sent("files.upload_v2")
    assert upload["channel"] == CHANNEL
    assert upload["thread_ts"] == "1700000000.000001"
    assert upload["filename"] == f"{number}.pdf"
    assert upload["content"].startswith(b"%PDF-")
    assert status_of(store) == "draft"


def test_a_pdf_of_a_card_outside_a_thread_starts_one_under_the_card(app, client, store):
    press(app, "quote_pdf", number_of(store))

    assert client.sent("files.upload_v2")[0]["thread_ts"] == CARD_TS


def test_edit_opens_the_edit_form_that_will_refresh_this_card(app, client, store):
    number = number_of(store)

    press(app, "quote_edit", number)

    [opened] = client.sent("views.open")
    view = opened["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert opened["trigger_id"] == "111.222.trigger"
    assert view["callback_id"] == EDIT
    assert json.loads(view["private_metadata"]) == {
        "channel": CHANNEL,
        "ts": CARD_TS,
        "quote_number": number,
    }


def test_a_sent_quote_cannot_be_edited(app, client, store):
    number = number_of(store)
    press(app, "quote_sent", number)

    press(app, "quote_edit", number)

    assert client.sent("views.open") == []
    assert "no longer a draft" in client.sent("chat.postEphemeral")[0]["text"]


def test_a_failure_is_logged_and_the_clicker_is_told_sorry(
    app, client, store, monkeypatch, caplog
):
    def broken(*_args, **_kwargs):
        raise RuntimeError("the store went away")

    monkeypatch.setitem(quote_cards.ACTIONS, "quote_sent", broken)

    with caplog.at_level(logging.ERROR, logger="bot.slack.quote_cards"):
        press(app, "quote_sent", number_of(store))

    assert client.sent("chat.postEphemeral")[0]["text"] == SORRY
    assert "the store went away" in caplog.text


def test_the_open_the_draft_button_posts_the_card_in_its_thread(app, client, store):
    number = number_of(store)

    press(app, "open_quote:0", number, thread_ts="1700000000.000001")

    [posted] = client.sent("chat.postMessage")
    assert posted["thread_ts"] == "1700000000.000001"
    assert button_ids(posted) == [
        "quote_sent",
        "quote_edit",
        "quote_pdf",
        "quote_discard",
    ]


def test_post_card_then_refresh_card_replace_the_same_message(store, client):
    with session_scope(store) as session:
        alex = requester_by_email(session, EMAILS["UALEX"])
        card = quote_card(session, alex, number_of(store))

    ts = quote_cards.post_card(client, CHANNEL, None, card)
    quote_cards.refresh_card(client, CHANNEL, ts, card)

    [update] = client.sent("chat.update")
    assert update["ts"] == ts
    assert update["text"].startswith(f"Draft quote {card.quote_number} for Acme Corp")
