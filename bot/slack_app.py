"""The Bolt app: listeners ack at once and hand the work to lazy functions.

Each listener does three things: ``ack``, decide which lazy function answers,
and return. The lazy functions run in Bolt's thread pool, resolve the Slack
user to a rep, call ``bot.dialogue.converse`` (the thread is the conversation)
and post the reply in the thread.
"""

from __future__ import annotations

import logging
import re

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError

from bot.answer import audit, run_intent
from bot.dialogue import ConversationKey, converse
from bot.render.blocks import fallback_text, to_blocks
from bot.render.charts import render_chart
from bot.settings import Settings
from storage.db import session_scope
from storage.models import ProcessedSlackEvent
from tools.errors import ToolError
from tools.people import Requester, link_slack_user, requester_by_slack_id
from tools.results import ToolResult

logger = logging.getLogger(__name__)

SORRY = (
    "Sorry, something went wrong on my side while answering that. "
    "It has been logged; please try again in a minute."
)


def create_app(settings: Settings) -> App:
    """A Bolt app wired to the store and to the Web API at ``SLACK_API_URL``."""
    client = WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
    )
    secret = settings.slack_signing_secret
    app = App(
        client=client, signing_secret=secret.get_secret_value() if secret else None
    )
    database_url = settings.database_url

    @app.middleware
    def skip_duplicate_events(body, next):
        """Act once per Slack event id, whatever Slack retries."""
        event_id = body.get("event_id")
        if event_id and not _first_delivery(database_url, event_id):
            logger.info("ignoring repeated delivery of event %s", event_id)
            return BoltResponse(status=200, body="")
        return next()

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
    return app


def _first_delivery(database_url: str, event_id: str) -> bool:
    try:
        with session_scope(database_url) as session:
            session.add(ProcessedSlackEvent(event_id=event_id))
    except IntegrityError:
        return False
    return True


def _only_plain_messages(lazy):
    """Skip edits, joins and bot posts in DMs; answer what a person typed."""

    def guarded(event, client):
        if event.get("subtype") or event.get("bot_id"):
            return
        lazy(event, client)

    guarded.__name__ = lazy.__name__
    return guarded


def _reply(database_url: str, client: WebClient, event: dict, text: str) -> None:
    thread_ts = event.get("thread_ts") or event["ts"]
    try:
        with session_scope(database_url) as session:
            requester = _requester(session, client, event["user"])
            key = ConversationKey(event["channel"], event["user"], thread_ts)
            result = converse(session, requester, text, key, surface="slack")
    except ToolError as error:
        result = ToolResult(intent="error", summary=str(error))
    except Exception:
        logger.exception("answering a Slack message failed")
        result = ToolResult(intent="error", summary=SORRY)
    _post(client, event["channel"], thread_ts, result)


def _run_action(database_url, client, body, intent: str, entities: dict) -> None:
    message = body.get("message", {})
    thread_ts = message.get("thread_ts") or message.get("ts")
    try:
        with session_scope(database_url) as session:
            requester = _requester(session, client, body["user"]["id"])
            result = run_intent(session, requester, intent, entities)
            audit(session, requester, "slack-button", intent, result)
    except ToolError as error:
        result = ToolResult(intent="error", summary=str(error))
    except Exception:
        logger.exception("handling a button press failed")
        result = ToolResult(intent="error", summary=SORRY)
    _post(client, body["channel"]["id"], thread_ts, result)


def _requester(session, client: WebClient, slack_user_id: str) -> Requester:
    """The rep behind a Slack user, linking them by profile email the first time."""
    requester = requester_by_slack_id(session, slack_user_id)
    if requester is not None:
        return requester
    profile = client.users_info(user=slack_user_id)["user"].get("profile", {})
    return link_slack_user(session, slack_user_id, profile.get("email"))


def _post(client: WebClient, channel: str, thread_ts: str | None, result: ToolResult):
    """Post the answer in the thread, then its chart as a PNG file beside it."""
    client.chat_postMessage(
        channel=channel,
        thread_ts=thread_ts,
        text=fallback_text(result),
        blocks=to_blocks(result),
    )
    if result.chart is not None:
        client.files_upload_v2(
            channel=channel,
            thread_ts=thread_ts,
            content=render_chart(result.chart),
            filename=f"{result.intent}.png",
            title=result.chart.title,
            alt_txt=result.chart.alt_text,
        )


def run_socket_mode(settings: Settings) -> None:
    """Serve the same app over a Socket Mode connection (blocks until stopped)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.nlu.classifier import warm_up_in_background

    settings.require_socket_mode()
    warm_up_in_background()
    SocketModeHandler(
        create_app(settings), settings.slack_app_token.get_secret_value()
    ).start()
