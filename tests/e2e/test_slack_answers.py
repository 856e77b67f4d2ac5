"""People ask the bot in Slack and read its answers, charts included, in the thread."""

from __future__ import annotations

import time

import httpx
import pytest
from sqlalchemy import select

from bot.slack.delivery import PROGRESS
from storage.db import session_scope
from storage.models import SalesRep
from tests.e2e.conftest import SIGNING_SECRET, user_client
from tests.e2e.slack_wire import app_mention, direct_message, signed_headers

pytestmark = pytest.mark.e2e


def sales_channel(bot_client) -> str:
    channels = bot_client.conversations_list()["channels"]
    return next(c["id"] for c in channels if c["name"] == "sales")


def mention(emulator_url, bot_client, name: str, text: str) -> tuple[str, str, str]:
    """Post the message as the person in Slack; return its event body and place."""
    person = user_client(emulator_url, name)
    user_id = bot_client.users_lookupByEmail(
        email=f"{name.replace('-', '.')}@example.com"
    )
    channel = sales_channel(bot_client)
    ts = person.chat_postMessage(channel=channel, text=text)["ts"]
    return app_mention(user_id["user"]["id"], channel, text, ts), channel, ts


def deliver(server_url: str, body: str, extra_headers: dict | None = None):
    """POST an event to the server, signed with the app's signing secret."""
    headers = signed_headers(SIGNING_SECRET, body) | (extra_headers or {})
    return httpx.post(f"{server_url}/slack/events", content=body, headers=headers)


def bot_replies(bot_client, channel: str, ts: str, wait: float = 60.0) -> list[dict]:
    """The thread's replies, waiting up to ``wait`` seconds for the first answer.

    A reply still showing the bot's progress line is waited on until the
    answer has replaced it.
    """
    deadline = time.monotonic() + wait
    while True:
        messages = bot_client.conversations_replies(channel=channel, ts=ts)["messages"]
        replies = [m for m in messages if m["ts"] != ts]
        working = any(m.get("text") == PROGRESS for m in replies)
        if (replies and not working) or time.monotonic() >= deadline:
            return replies
        time.sleep(0.2)


def all_text(message: dict) -> str:
    parts = [message.get("text", "")]
    for block in message.get("blocks", []):
        parts.append(block.get("text", {}).get("text", ""))
        parts += [
            element.get("text", "")
            for element in block.get("elements", [])
            if isinstance(element.get("text"), str)
        ]
    return "\n".join(parts)


def test_a_rep_gets_their_own_churn_list_in_the_thread(
    server_url, emulator_url, bot_client
):
    body, channel, ts = mention(
        emulator_url,
        bot_client,
        "alex.rivera",
        "<@U0QUOTEBOT> what's my churn risk list",
    )

    response = deliver(server_url, body)

    assert response.status_code == 200
    replies = bot_replies(bot_client, channel, ts)
    assert len(replies) == 1
    text = all_text(replies[0])
    assert "Alex Slipping Ltd" in text
    assert "usually orders every 14 days" in text
    assert "Priya" not in text


def test_a_retried_event_is_answered_once(server_url, emulator_url, bot_client):
    body, channel, ts = mention(
        emulator_url, bot_client, "priya.nair", "<@U0QUOTEBOT> churn risk list"
    )

    first = deliver(server_url, body)
    retry = deliver(
        server_url,
        body,
        {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )

    assert (first.status_code, retry.status_code) == (200, 200)
    bot_replies(bot_client, channel, ts)
    time.sleep(1.0)
    assert len(bot_replies(bot_client, channel, ts, wait=0)) == 1


def test_a_slack_user_who_is_not_a_rep_is_told_how_to_get_access(
    server_url, emulator_url, bot_client
):
    body, channel, ts = mention(
        emulator_url,
        bot_client,
        "casey.stranger",
        "<@U0QUOTEBOT> what's my churn risk list",
    )

    deliver(server_url, body)

    replies = bot_replies(bot_client, channel, ts)
    assert "not set up as a sales rep" in all_text(replies[0])


@pytest.mark.parametrize(
    "headers",
    [
        lambda body: signed_headers("the-wrong-secret", body),
        lambda body: signed_headers(
            SIGNING_SECRET, body, timestamp=int(time.time()) - 600
        ),
        lambda body: {"Content-Type": "application/json"},
    ],
    ids=["wrong-secret", "stale-timestamp", "unsigned"],
)
def test_badly_signed_requests_are_refused_and_nothing_is_posted(
    server_url, emulator_url, bot_client, headers
):
    body, channel, ts = mention(
        emulator_url,
        bot_client,
        "alex.rivera",
        "<@U0QUOTEBOT> what's my churn risk list",
    )

    response = httpx.post(
        f"{server_url}/slack/events", content=body, headers=headers(body)
    )

    assert response.status_code == 401
    time.sleep(1.0)
    assert bot_replies(bot_client, channel, ts, wait=0) == []


def test_a_direct_message_is_answered_and_the_rep_link_is_remembered(
    server_url, emulator_url, bot_client, store
):
    alex = bot_client.users_lookupByEmail(email="alex.rivera@example.com")["user"]["id"]
    dm = user_client(emulator_url, "alex.rivera").conversations_open(users="U0QUOTEBOT")
    channel = dm["channel"]["id"]
    text = "churn risk list"
    ts = user_client(emulator_url, "alex.rivera").chat_postMessage(
        channel=channel, text=text
    )["ts"]
    body = direct_message(alex, channel, text, ts)

    deliver(server_url, body)

    replies = bot_replies(bot_client, channel, ts)
    assert "Alex Slipping Ltd" in all_text(replies[0])
    with session_scope(store) as session:
        rep = session.scalar(select(SalesRep).where(SalesRep.slack_user_id == alex))
        assert rep.email == "alex.rivera@example.com"


def test_a_forecast_comes_with_its_chart_uploaded_in_the_thread(
    server_url, emulator_url, bot_client
):
    body, channel, ts = mention(
        emulator_url, bot_client, "dana.whitfield", "<@U0QUOTEBOT> forecast next month"
    )

    deliver(server_url, body)

    replies = bot_replies(bot_client, channel, ts)
    deadline = time.monotonic() + 60
    while len(replies) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
        replies = bot_replies(bot_client, channel, ts, wait=0)
    assert "Forecast for the next 30 days" in all_text(replies[0])
    files = [f for reply in replies for f in reply.get("files", [])]
    assert files and files[0]["name"].endswith(".png")
