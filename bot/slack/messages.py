"""Mentions, direct messages and the buttons on answers.

Each listener acks and hands the work to a lazy function. For a message,
that function first posts an acknowledgement in the thread, then resolves
the Slack user to a rep, calls ``bot.dialogue.converse`` (the thread is the
conversation) and turns the acknowledgement into the answer; a chart follows
as a file, and a quote the conversation drafted shows as its card. A
button's answer is posted in the thread of the message it is on; a refusal
or a failure is told only to the person who pressed it.
"""

from __future__ import annotations

import logging
import re

from slack_bolt import App
from slack_sdk import WebClient

from bot.answer import audit, run_intent
from bot.dialogue import ConversationKey, converse
from bot.settings import Settings
from bot.slack.delivery import (
    SORRY,
    post_ephemeral,
    post_progress,
    post_result,
    replace_with_result,
)
from bot.slack.identity import requester_for
from bot.slack.quote_cards import refresh_card
from storage.db import session_scope
from tools.errors import ToolError
from tools.quote_actions import QuoteCard, quote_card
from tools.results import ToolResult

logger = logging.getLogger(__name__)


def register(app: App, settings: Settings) -> None:
    database_url = settings.database_url

    def acknowledge(ack):
        ack()

    def reply_to_message(event, client):
        _reply(database_url, client, event, event.get("text", ""))

    def explain_account(body, client):
        customer = body["actions"][0]["value"]
        _run_action(database_url, client, body, "churn_explain", {"customer": customer})

    def answer_clarified(body, client):
        intent = body["actions"][0]["value"]
        _run_action(database_url, client, body, intent, {})

    app.event("app_mention")(ack=acknowledge, lazy=[reply_to_message])
    app.event({"type": "message", "channel_type": "im"})(
        ack=acknowledge, lazy=[_only_plain_messages(reply_to_message)]
    )
    app.action(re.compile(r"^churn_explain:"))(ack=acknowledge, lazy=[explain_account])
    app.action(re.compile(r"^clarify_"))(ack=acknowledge, lazy=[answer_clarified])


def _only_plain_messages(lazy):
    """Skip edits, joins and bot posts in DMs; answer what a person typed."""

    def guarded(event, client):
        if event.get("subtype") or event.get("bot_id"):
            return
        lazy(event, client)

    guarded.__name__ = lazy.__name__
    return guarded


def _reply(database_url: str, client: WebClient, event: dict, text: str) -> None:
    """Acknowledge in the thread at once, then replace that with the answer."""
    channel = event["channel"]
    thread_ts = event.get("thread_ts") or event["ts"]
    progress_ts = post_progress(client, channel, thread_ts)

    result, card = _converse(database_url, client, event, text, thread_ts)

    if card is not None:
        refresh_card(client, channel, progress_ts, card)
    else:
        replace_with_result(client, channel, progress_ts, thread_ts, result)


def _converse(
    database_url: str, client: WebClient, event: dict, text: str, thread_ts: str
) -> tuple[ToolResult, QuoteCard | None]:
    """The thread's answer to ``text``, and the card of a quote it drafted, if any.

    A refusal or a failure comes back as an error answer, never raised, so the
    acknowledgement is always replaced.
    """
    user = event["user"]
    try:
        requester = _requester(database_url, client, user)
        key = ConversationKey(event["channel"], user, thread_ts, event.get("team"))
        with session_scope(database_url) as session:
            result = converse(session, requester, text, key, surface="slack")
            return result, _drafted_card(session, requester, result)
    except ToolError as error:
        return ToolResult(intent="error", summary=str(error)), None
    except Exception:
        logger.exception("answering a Slack message failed")
        return ToolResult(intent="error", summary=SORRY), None


def _drafted_card(session, requester, result: ToolResult) -> QuoteCard | None:
    """The card of the quote a conversation just drafted, shown in its place."""
    number = result.data.get("quote_number")
    if result.intent != "draft_quote" or not number:
        return None
    return quote_card(session, requester, number)


def _run_action(database_url, client, body, intent: str, entities: dict) -> None:
    """Answer a button in the thread of its message; a refusal only to the clicker.

    An unexpected failure is left to the listener's wrapper, which logs it and
    tells the clicker ``SORRY`` privately.
    """
    channel, user = body["channel"]["id"], body["user"]["id"]
    message = body.get("message", {})
    thread_ts = message.get("thread_ts") or message.get("ts")

    try:
        requester = _requester(database_url, client, user)
        with session_scope(database_url) as session:
            result = run_intent(session, requester, intent, entities)
            audit(session, requester, "slack-button", intent, result)
    except ToolError as error:
        post_ephemeral(client, channel, user, str(error), thread_ts)
        return

    post_result(client, channel, thread_ts, result)


def _requester(database_url: str, client: WebClient, slack_user_id: str):
    """The rep behind a Slack user, in a transaction of its own.

    Linking a new user writes to the store; committing that before the model
    runs keeps SQLite's write lock short, so other events are acked at once.
    """
    with session_scope(database_url) as session:
        return requester_for(session, client, slack_user_id)
