"""The emulated workspace as a test meets it: its people, channels and cards.

The server answers Slack after its ack, so what it posted is read back from
the emulator with ``eventually``, which asks again until the answer is there.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
from slack_sdk import WebClient

from tests.e2e.conftest import SIGNING_SECRET
from tests.e2e.slack_wire import interaction, signed_form_headers


def user_id(bot_client: WebClient, name: str) -> str:
    """The Slack id of ``name``, the part of their email before ``@example.com``."""
    found = bot_client.users_lookupByEmail(email=f"{name}@example.com")
    return found["user"]["id"]


def channel_id(bot_client: WebClient, name: str) -> str:
    channels = bot_client.conversations_list()["channels"]
    return next(c["id"] for c in channels if c["name"] == name)


def eventually(read: Callable, ready: Callable = bool, wait: float = 60.0):
    """``read()`` again until ``ready`` holds for it, or its last value."""
    deadline = time.monotonic() + wait
    while True:
        value = read()
        if ready(value) or time.monotonic() >= deadline:
            return value
        time.sleep(0.2)


def post_form(server_url: str, body: str) -> httpx.Response:
    """POST a slash command or interaction to the server, signed as Slack signs it."""
    headers = signed_form_headers(SIGNING_SECRET, body)
    return httpx.post(f"{server_url}/slack/events", content=body, headers=headers)


def button_press(
    action_id: str,
    value: str,
    user: str,
    channel: str,
    message: dict,
    trigger_id: str = "1.2.press",
) -> str:
    """The interaction body of ``user`` pressing a quote card's button."""
    container = {"type": "message", "message_ts": message["ts"], "channel_id": channel}
    button = {
        "type": "button",
        "action_id": action_id,
        "block_id": "quote_actions",
        "value": value,
        "action_ts": str(time.time()),
    }
    return interaction(
        {
            "type": "block_actions",
            "user": {"id": user},
            "trigger_id": trigger_id,
            "container": container,
            "channel": {"id": channel, "name": "sales"},
            "message": message,
            "actions": [button],
        }
    )


def button_ids(message: dict) -> list[str]:
    """The action ids of a message's buttons, in the order they are shown."""
    return [
        element["action_id"]
        for block in message.get("blocks", [])
        if block["type"] == "actions"
        for element in block["elements"]
    ]
