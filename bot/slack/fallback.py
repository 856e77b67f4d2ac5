"""Answering in a conversation the bot is not a member of.

In a private channel or group DM nobody has added the bot to, Slack refuses
its ``chat.postMessage``, ``chat.postEphemeral`` and ``chat.update``
(``not_in_channel``, or ``channel_not_found`` when the bot cannot even see
the conversation), yet a person can still type a slash command or press a
button on a card there. Both come with a ``response_url`` that reaches the
conversation anyway:

- an answer or a card goes through it ``in_channel``, a refusal ``ephemeral``;
- a card that came that way is refreshed with ``replace_original``, through
  the ``response_url`` of the button pressed on it;
- a form submission has none of its own (the edit form keeps its button's),
  so its card goes to the person's DM with the bot.

A ``response_url`` works for 30 minutes and five replies.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.render.limits import MESSAGE_TEXT_MAX, cut_text
from bot.slack.delivery import post_ephemeral

logger = logging.getLogger(__name__)

NOT_A_MEMBER = frozenset({"not_in_channel", "channel_not_found"})
"""Slack's errors for a post where the bot is not in the conversation."""

T = TypeVar("T")


def not_a_member(error: Exception) -> bool:
    """Whether Slack refused a call because the bot is not in the conversation."""
    return (
        isinstance(error, SlackApiError) and error.response.get("error") in NOT_A_MEMBER
    )


def respond_at(response_url: str | None) -> Respond | None:
    """A ``respond`` for a ``response_url`` kept from an earlier request."""
    return Respond(response_url=response_url) if response_url else None


def post_or_respond(
    post: Callable[[], T], respond: Respond | None, message: dict
) -> T | None:
    """``post()``; where the bot is not a member, ``message`` through ``respond``.

    ``message`` holds ``respond``'s arguments (``text``, ``blocks``,
    ``response_type``, ``replace_original``). Returns what ``post`` returned,
    or None when the message went through ``respond``.
    """
    try:
        return post()
    except SlackApiError as error:
        if respond is None or not not_a_member(error):
            raise
    logger.info("not in the conversation; answering through its response_url")
    _send(respond, message)
    return None


def post_or_dm(post: Callable[[str], T], channel: str, user: str) -> T:
    """``post(channel)``; where the bot is not a member, ``post(user)``: their DM."""
    try:
        return post(channel)
    except SlackApiError as error:
        if not not_a_member(error):
            raise
    logger.info("not in %s; posting in the DM of %s instead", channel, user)
    return post(user)


def tell(
    client: WebClient,
    channel: str,
    user: str,
    text: str,
    respond: Respond | None = None,
    thread_ts: str | None = None,
) -> None:
    """A sentence only ``user`` sees: beside their request, else by ``respond``.

    With no ``respond`` either, it goes to the person's DM with the bot.
    """
    private = {"text": text, "response_type": "ephemeral", "replace_original": False}

    def ephemeral(where: str) -> None:
        if where == user:
            client.chat_postMessage(channel=user, text=cut_text(text, MESSAGE_TEXT_MAX))
            return
        post_or_respond(
            lambda: post_ephemeral(client, where, user, text, thread_ts),
            respond,
            private,
        )

    post_or_dm(ephemeral, channel, user)


def _send(respond: Respond, message: dict) -> None:
    """Send through a ``response_url``; Slack answers 404 once it has expired."""
    response = respond(**message)
    if response.status_code != 200:
        logger.error(
            "the response_url refused the reply: %s %s",
            response.status_code,
            response.body,
        )
