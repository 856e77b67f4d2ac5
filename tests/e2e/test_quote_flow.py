"""A rep drafts a quote through /quote and its form, then works the card's buttons.

Everything goes over signed HTTP to ``quotebot serve``, and every reply is
read back from the Slack emulator: the modal it opened, the card in the
channel, the card after a button press, and the files in the channel.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import httpx
import pytest
from slack_sdk.errors import SlackApiError

from bot.render.quote_form import CUSTOMER, DISCOUNT, PRODUCT, QUANTITY
from tests.e2e.slack_wire import interaction, slash_command
from tests.e2e.workspace import (
    button_press,
    channel_id,
    eventually,
    post_form,
    user_id,
)

pytestmark = pytest.mark.e2e

QUOTE_NUMBER = re.compile(r"Q-\d{4}-\d{4,}")
VIEW_ID = re.compile(r"<td>(V[A-Z0-9]+)</td>")
ALREADY = re.compile(r"Q-\d{4}-\d{4,} was already marked sent")
EMPTY_MODAL = {
    "type": "modal",
    "title": {"type": "plain_text", "text": "x"},
    "blocks": [],
}


def run_command(server_url, bot_client, command: str, text: str, user, channel):
    """Slack mints a trigger id for the command, then posts it to the server."""
    trigger = bot_client.api_call("views.generateTriggerId", json={"user_id": user})
    body = slash_command(command, text, user, channel, trigger["trigger_id"])
    return post_form(server_url, body), trigger["trigger_id"]


def modal_ids(emulator_url: str) -> list[str]:
    """The ids of the modals the emulator's inspector lists, newest first."""
    page = httpx.get(emulator_url.removesuffix("api/") + "?tab=views").text
    modals = page.split("<h2>Modals</h2>", 1)[1].split("<h2>", 1)[0]
    return VIEW_ID.findall(modals)


def ephemeral_texts(emulator_url: str, channel: str) -> str:
    """The inspector's section of ephemeral messages in ``channel``, as HTML."""
    page = httpx.get(
        emulator_url.removesuffix("api/"),
        params={"tab": "messages", "channel": channel},
    ).text
    return page.split("<h2>Ephemeral</h2>", 1)[1].split("<h2>", 1)[0]


def form_state(customer: str | None, sku: str | None, quantity: str | None) -> dict:
    def picked(value):
        return {"text": {"type": "plain_text", "text": value}, "value": value}

    values = {
        "customer": {
            CUSTOMER: {"selected_option": picked(customer) if customer else None}
        },
        "line_1_product": {PRODUCT: {"selected_option": picked(sku) if sku else None}},
        "line_1_quantity": {QUANTITY: {"type": "number_input", "value": quantity}},
        "discount": {DISCOUNT: {"type": "number_input", "value": "5"}},
    }
    return {"values": values}


def submission(
    view_id: str, user: str, metadata: dict, state: dict, callback_id="quote_new"
) -> str:
    """The form's submission; ``metadata`` is what the server put in the view."""
    return interaction(
        {
            "type": "view_submission",
            "user": {"id": user},
            "view": {
                "id": view_id,
                "type": "modal",
                "callback_id": callback_id,
                "private_metadata": json.dumps(metadata),
                "state": state,
            },
        }
    )


def customer_search(user: str, typed: str) -> str:
    return interaction(
        {
            "type": "block_suggestion",
            "user": {"id": user},
            "action_id": CUSTOMER,
            "block_id": "customer",
            "value": typed,
            "view": {"id": "V0", "callback_id": "quote_new"},
        }
    )


def press(
    action_id: str, card: dict, user: str, channel: str, trigger_id="1.2.press"
) -> str:
    """``user`` pressing the ``action_id`` button of ``card``."""
    number = QUOTE_NUMBER.search(card_text(card)).group(0)
    return button_press(action_id, number, user, channel, card, trigger_id)


def card_text(message: dict) -> str:
    return json.dumps(message.get("blocks", [])) + message.get("text", "")


def buttons(message: dict) -> set[str]:
    return {
        element["action_id"]
        for block in message.get("blocks", [])
        if block["type"] == "actions"
        for element in block["elements"]
    }


def channel_history(bot_client, channel: str) -> list[dict]:
    return bot_client.conversations_history(channel=channel)["messages"]


def card_for(
    bot_client, channel: str, customer: str, seen: frozenset = frozenset()
) -> Callable[[], dict | None]:
    """The newest card for ``customer`` whose quote is not one of ``seen``."""

    def read():
        for message in channel_history(bot_client, channel):
            text = card_text(message)
            number = QUOTE_NUMBER.search(text)
            if number and number.group(0) not in seen and customer in text:
                return message
        return None

    return read


def quote_numbers(bot_client, channel: str) -> frozenset:
    history = channel_history(bot_client, channel)
    return frozenset(QUOTE_NUMBER.findall("".join(map(card_text, history))))


def message_at(bot_client, channel: str, ts: str) -> Callable[[], dict]:
    def read():
        return next(m for m in channel_history(bot_client, channel) if m["ts"] == ts)

    return read


def channel_files(
    bot_client, channel: str, ending: str, seen: frozenset = frozenset()
) -> Callable[[], list]:
    """The channel's files named ``*ending`` other than those ``seen`` before."""

    def read():
        files = bot_client.files_list(channel=channel)["files"]
        return [f for f in files if f["name"].endswith(ending) and f["id"] not in seen]

    return read


def test_a_rep_drafts_a_quote_in_the_form_and_marks_it_sent_once(
    server_url, emulator_url, bot_client
):
    alex = user_id(bot_client, "alex.rivera")
    channel = channel_id(bot_client, "sales")
    before, seen = set(modal_ids(emulator_url)), quote_numbers(bot_client, channel)

    response, trigger = run_command(server_url, bot_client, "/quote", "", alex, channel)

    assert response.status_code == 200
    opened = eventually(lambda: set(modal_ids(emulator_url)) - before, bool, 10)
    (view_id,) = opened
    with pytest.raises(SlackApiError) as reuse:
        bot_client.views_open(trigger_id=trigger, view=EMPTY_MODAL)
    assert reuse.value.response["error"] == "exchanged_trigger_id"

    options = post_form(server_url, customer_search(alex, "healthy")).json()["options"]
    assert [o["text"]["text"] for o in options] == ["Alex Healthy Inc"]
    customer = options[0]["value"]

    wrong = post_form(
        server_url,
        submission(
            view_id,
            alex,
            {"channel": channel},
            form_state(customer, "GATEWAY-HUB", "0"),
        ),
    )
    assert wrong.json()["response_action"] == "errors"
    assert list(wrong.json()["errors"]) == ["line_1_quantity"]

    right = post_form(
        server_url,
        submission(
            view_id,
            alex,
            {"channel": channel},
            form_state(customer, "GATEWAY-HUB", "12"),
        ),
    )
    assert (right.status_code, right.text) == (200, "")
    card = eventually(card_for(bot_client, channel, "Alex Healthy Inc", seen), bool)
    assert card is not None
    assert "Gateway Hub" in card_text(card)
    assert "quote_sent" in buttons(card)

    post_form(server_url, press("quote_sent", card, alex, channel))
    sent = eventually(
        message_at(bot_client, channel, card["ts"]),
        lambda message: "quote_sent" not in buttons(message),
    )
    assert "quote_sent" not in buttons(sent)
    assert {"quote_won", "quote_lost"} <= buttons(sent)
    assert "sent" in card_text(sent).lower()

    post_form(server_url, press("quote_sent", sent, alex, channel))
    told = eventually(lambda: ephemeral_texts(emulator_url, channel), ALREADY.search)
    assert ALREADY.search(told)
    assert message_at(bot_client, channel, card["ts"])()["blocks"] == sent["blocks"]

    post_form(server_url, press("quote_pdf", sent, alex, channel))
    pdfs = eventually(channel_files(bot_client, channel, ".pdf"), bool)
    assert pdfs, "no PDF of the quote in the channel"


def test_quote_with_the_whole_request_in_its_text_posts_the_card_directly(
    server_url, bot_client
):
    priya = user_id(bot_client, "priya.nair")
    channel = channel_id(bot_client, "sales")
    seen = quote_numbers(bot_client, channel)

    response, _ = run_command(
        server_url,
        bot_client,
        "/quote",
        "Priya Healthy Inc 3 Analytics Suite",
        priya,
        channel,
    )

    assert response.status_code == 200
    card = eventually(card_for(bot_client, channel, "Priya Healthy Inc", seen), bool)
    assert card is not None
    assert "Analytics Suite" in card_text(card)


def test_forecast_command_puts_its_chart_in_the_channels_files(server_url, bot_client):
    dana = user_id(bot_client, "dana.whitfield")
    channel = channel_id(bot_client, "sales")
    seen = frozenset(f["id"] for f in channel_files(bot_client, channel, ".png")())

    response, _ = run_command(server_url, bot_client, "/forecast", "30", dana, channel)

    assert response.status_code == 200
    charts = eventually(channel_files(bot_client, channel, ".png", seen), bool)
    assert charts, "no chart in the channel's files"


def test_the_edit_button_opens_the_form_and_saving_it_updates_the_card(
    server_url, emulator_url, bot_client
):
    alex = user_id(bot_client, "alex.rivera")
    channel = channel_id(bot_client, "sales")
    seen = quote_numbers(bot_client, channel)
    run_command(
        server_url,
        bot_client,
        "/quote",
        "Alex Slipping Ltd 2 Gateway Hubs",
        alex,
        channel,
    )
    card = eventually(card_for(bot_client, channel, "Alex Slipping Ltd", seen), bool)
    number = QUOTE_NUMBER.search(card_text(card)).group(0)
    before = set(modal_ids(emulator_url))
    trigger = bot_client.api_call("views.generateTriggerId", json={"user_id": alex})

    post_form(
        server_url, press("quote_edit", card, alex, channel, trigger["trigger_id"])
    )

    (view_id,) = eventually(lambda: set(modal_ids(emulator_url)) - before, bool, 10)
    metadata = {"channel": channel, "ts": card["ts"], "quote_number": number}
    state = form_state(None, "ANALYTICS-SUITE", "4")
    del state["values"]["customer"]
    saved = post_form(
        server_url, submission(view_id, alex, metadata, state, "quote_edit")
    )
    assert (saved.status_code, saved.text) == (200, "")
    edited = eventually(
        message_at(bot_client, channel, card["ts"]),
        lambda message: "Analytics Suite" in card_text(message),
    )
    assert "Analytics Suite" in card_text(edited)
    assert "Gateway Hub" not in card_text(edited)
