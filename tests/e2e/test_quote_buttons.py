"""Buttons on a quote card, pressed over signed HTTP and read back from the emulator.

Each test drafts a quote in the store, posts its card with the bot's token,
and presses the card's buttons as Slack would: the server acts, updates the
card in place and uploads the PDF, and the emulator shows the result.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from bot.slack.quote_cards import post_card
from storage.db import session_scope
from storage.drafts import create_draft_quote
from storage.models import AuditEntry, Customer, Product, Quote
from tests.e2e.workspace import (
    button_ids,
    button_press,
    channel_id,
    eventually,
    post_form,
    user_id,
)
from tools.people import requester_by_email
from tools.quote_actions import quote_card

pytestmark = pytest.mark.e2e

ALEX = "alex.rivera@example.com"


def posted_card(store: str, bot_client, channel: str) -> tuple[str, str]:
    """Draft a quote for Alex Healthy Inc and post its card; its number and ts."""
    with session_scope(store) as session:
        customer = session.scalar(
            select(Customer).where(Customer.name == "Alex Healthy Inc")
        )
        hub = session.scalar(select(Product).where(Product.sku == "GATEWAY-HUB"))
        quote = create_draft_quote(
            session,
            customer_id=customer.id,
            rep_id=customer.owner_rep_id,
            items=[(hub.id, 3)],
        )
        card = quote_card(
            session, requester_by_email(session, ALEX), quote.quote_number
        )
    return card.quote_number, post_card(bot_client, channel, None, card)


def press(server_url, action_id: str, number: str, ts: str, user: str, channel: str):
    message = {"ts": ts, "type": "message"}
    body = button_press(action_id, number, user, channel, message)
    assert post_form(server_url, body).status_code == 200


def buttons_of(bot_client, channel: str, ts: str) -> Callable[[], list[str]]:
    def read():
        messages = bot_client.conversations_history(channel=channel)["messages"]
        return button_ids(next(m for m in messages if m["ts"] == ts))

    return read


def status_and_actions(store: str, number: str, action: str) -> tuple[str, int]:
    with session_scope(store) as session:
        status = session.scalar(
            select(Quote.status).where(Quote.quote_number == number)
        )
        done = session.scalar(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.intent == action, AuditEntry.text == number
            )
        )
    return status, done


def test_a_sent_quote_marked_won_keeps_only_its_pdf_which_lands_in_the_thread(
    server_url, bot_client, store
):
    alex, channel = user_id(bot_client, "alex.rivera"), channel_id(bot_client, "sales")
    number, ts = posted_card(store, bot_client, channel)
    buttons = buttons_of(bot_client, channel, ts)
    assert buttons() == ["quote_sent", "quote_edit", "quote_pdf", "quote_discard"]

    press(server_url, "quote_sent", number, ts, alex, channel)
    assert eventually(buttons, lambda ids: "quote_won" in ids) == [
        "quote_won",
        "quote_lost",
        "quote_pdf",
    ]
    press(server_url, "quote_won", number, ts, alex, channel)
    assert eventually(buttons, lambda ids: ids == ["quote_pdf"]) == ["quote_pdf"]
    press(server_url, "quote_pdf", number, ts, alex, channel)

    def pdfs():
        files = bot_client.files_list(channel=channel)["files"]
        return [f for f in files if f["name"] == f"{number}.pdf"]

    assert eventually(pdfs, bool), f"no {number}.pdf in the channel's files"
    assert status_and_actions(store, number, "quote_won") == ("accepted", 1)


def test_two_presses_of_discard_at_once_discard_the_draft_once(
    server_url, bot_client, store
):
    alex, channel = user_id(bot_client, "alex.rivera"), channel_id(bot_client, "sales")
    number, ts = posted_card(store, bot_client, channel)

    presses = [
        threading.Thread(
            target=press,
            args=(server_url, "quote_discard", number, ts, alex, channel),
        )
        for _ in range(2)
    ]
    for thread in presses:
        thread.start()
    for thread in presses:
        thread.join(30)

    buttons = buttons_of(bot_client, channel, ts)
    assert eventually(buttons, lambda ids: ids == ["quote_pdf"]) == ["quote_pdf"]
    assert status_and_actions(store, number, "quote_discard") == ("cancelled", 1)


def test_another_reps_press_changes_nothing(server_url, bot_client, store):
    priya = user_id(bot_client, "priya.nair")
    channel = channel_id(bot_client, "sales")
    number, ts = posted_card(store, bot_client, channel)

    press(server_url, "quote_sent", number, ts, priya, channel)
    time.sleep(1.0)

    assert buttons_of(bot_client, channel, ts)()[0] == "quote_sent"
    assert status_and_actions(store, number, "quote_sent") == ("draft", 0)
