"""A private channel the bot was never added to: replies arrive by response_url.

The emulator refuses the bot's posts there (``not_in_channel``), as Slack
does. The command's ``response_url`` points at a local server standing in
for ``hooks.slack.com``, which keeps what the bot sent through it.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, urlencode

import pytest

from tests.bot.slack.outside import ResponseUrls
from tests.e2e.conftest import user_client
from tests.e2e.slack_wire import slash_command
from tests.e2e.workspace import button_press, eventually, post_form, user_id

pytestmark = pytest.mark.e2e

QUOTE_NUMBER = re.compile(r"Q-\d{4}-\d{4,}")


@pytest.fixture
def urls():
    catcher = ResponseUrls()
    yield catcher
    catcher.close()


def private_channel(emulator_url: str, name: str) -> str:
    """A private channel Alex made, without the bot in it."""
    alex = user_client(emulator_url, "alex")
    created = alex.api_call(
        "conversations.create", json={"name": name, "is_private": True}
    )
    return created["channel"]["id"]


def command(bot_client, text: str, user: str, channel: str, response_url: str) -> str:
    """A /quote body from ``channel`` whose ``response_url`` is ``response_url``."""
    trigger = bot_client.api_call("views.generateTriggerId", json={"user_id": user})
    body = slash_command("/quote", text, user, channel, trigger["trigger_id"])
    fields = dict(parse_qsl(body)) | {"response_url": response_url}
    return urlencode(fields)


def test_a_quote_drafted_in_a_private_channel_arrives_through_its_response_url(
    server_url, emulator_url, bot_client, urls
):
    channel = private_channel(emulator_url, "deal-room-quote")
    alex = user_id(bot_client, "alex.rivera")
    body = command(
        bot_client, "Alex Healthy Inc 3 Gateway Hubs", alex, channel, urls.url("quote")
    )

    assert post_form(server_url, body).status_code == 200

    (card,) = eventually(lambda: urls.to("quote"))
    assert card["response_type"] == "in_channel"
    assert QUOTE_NUMBER.search(card["text"])
    assert "quote_sent" in json.dumps(card["blocks"])


def test_a_button_on_that_card_replaces_it_through_the_buttons_response_url(
    server_url, emulator_url, bot_client, urls
):
    channel = private_channel(emulator_url, "deal-room-button")
    alex = user_id(bot_client, "alex.rivera")
    body = command(
        bot_client, "Alex Healthy Inc 4 Gateway Hubs", alex, channel, urls.url("quote")
    )
    post_form(server_url, body)
    (card,) = eventually(lambda: urls.to("quote"))
    number = QUOTE_NUMBER.search(card["text"]).group(0)
    message = {"ts": "1700000000.000100", "text": card["text"]}
    press = json.loads(
        dict(parse_qsl(button_press("quote_sent", number, alex, channel, message)))[
            "payload"
        ]
    )
    press["response_url"] = urls.url("button")

    post_form(server_url, urlencode({"payload": json.dumps(press)}))

    (update,) = eventually(lambda: urls.to("button"))
    assert update["replace_original"] is True
    assert "quote_won" in json.dumps(update["blocks"])
