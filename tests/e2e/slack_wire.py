"""Requests built and signed the way Slack builds and signs them."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from urllib.parse import urlencode


def signature(secret: str, timestamp: str, body: str) -> str:
    """``v0=`` HMAC-SHA256 of ``v0:{timestamp}:{body}``, as Slack computes it."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: str, timestamp: int | None = None) -> dict:
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature(secret, timestamp, body),
    }


def app_mention(user: str, channel: str, text: str, ts: str) -> str:
    """An Events API ``event_callback`` envelope for a mention of the bot."""
    return _event_callback(
        {
            "type": "app_mention",
            "user": user,
            "text": text,
            "ts": ts,
            "channel": channel,
            "event_ts": ts,
        }
    )


def direct_message(user: str, channel: str, text: str, ts: str) -> str:
    """An Events API envelope for a message sent to the bot in a DM."""
    return _event_callback(
        {
            "type": "message",
            "channel_type": "im",
            "user": user,
            "text": text,
            "ts": ts,
            "channel": channel,
            "event_ts": ts,
        }
    )


def app_home_opened(user: str, channel: str, tab: str = "home") -> str:
    """An Events API envelope for a person opening the app's Home tab."""
    return _event_callback(
        {
            "type": "app_home_opened",
            "user": user,
            "channel": channel,
            "tab": tab,
            "event_ts": f"{time.time():.6f}",
        }
    )


def _event_callback(event: dict) -> str:
    envelope = {
        "token": "legacy-verification-token",
        "team_id": "T000000001",
        "api_app_id": "A0QUOTEBOT",
        "type": "event_callback",
        "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "event": event,
        "authorizations": [
            {"team_id": "T000000001", "user_id": "U0QUOTEBOT", "is_bot": True}
        ],
    }
    return json.dumps(envelope)


def signed_form_headers(secret: str, body: str, timestamp: int | None = None) -> dict:
    """Headers of a form-encoded request (slash command, interaction), signed."""
    headers = signed_headers(secret, body, timestamp)
    return headers | {"Content-Type": "application/x-www-form-urlencoded"}


def slash_command(
    command: str, text: str, user: str, channel: str, trigger_id: str
) -> str:
    """A slash command's form body, as Slack posts it to the request URL."""
    return urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": "T000000001",
            "team_domain": "quotebot-tests",
            "channel_id": channel,
            "channel_name": "sales",
            "user_id": user,
            "user_name": user,
            "command": command,
            "text": text,
            "api_app_id": "A0QUOTEBOT",
            "response_url": "https://hooks.slack.com/commands/T000000001/1/x",
            "trigger_id": trigger_id,
        }
    )


def interaction(payload: dict) -> str:
    """An interaction's form body: the payload as JSON in one ``payload`` field."""
    envelope = {
        "token": "legacy-verification-token",
        "team": {"id": "T000000001", "domain": "quotebot-tests"},
        "api_app_id": "A0QUOTEBOT",
    }
    return urlencode({"payload": json.dumps(envelope | payload)})
