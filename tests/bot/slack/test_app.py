"""Listeners ack within Slack's 3 seconds whatever the answer takes, and once only."""

import json
import threading
import time
import uuid

import pytest
from slack_bolt import BoltRequest
from slack_sdk.http_retry import RateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier

from bot.settings import Settings
from bot.slack import messages
from bot.slack.app import create_app

SECRET = "test-signing-secret"
ANSWERED_BY_ACK_ALONE = {
    "view_submission",
    "view_closed",
    "options",
    "block_suggestion",
}
"""Kinds whose ack carries the answer (form errors, menu options) and must stay sync."""


@pytest.fixture
def app(fake_slack, store_url):
    settings = Settings(
        database_url=store_url,
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_api_url=fake_slack.url,
    )
    return create_app(settings)


@pytest.fixture
def slow_answer(monkeypatch):
    """Make every message's answer wait until the test releases it."""
    gate = {"started": threading.Event(), "release": threading.Event(), "calls": 0}

    def blocked(database_url, client, event, text):
        gate["calls"] += 1
        gate["client"] = client
        gate["started"].set()
        gate["release"].wait(30)

    monkeypatch.setattr(messages, "_reply", blocked)
    yield gate
    gate["release"].set()


def listener_kind(listener) -> str:
    """The Bolt matcher that picks requests for ``listener``: event, command, ..."""
    [kind] = {
        matcher.func.__qualname__.split(".")[0]
        for matcher in listener.matchers
        if hasattr(matcher, "func") and ".<locals>." in matcher.func.__qualname__
    }
    return kind


def mention_body() -> str:
    return json.dumps(
        {
            "type": "event_callback",
            "team_id": "T1",
            "event_id": f"Ev{uuid.uuid4().hex[:10]}",
            "event_time": int(time.time()),
            "event": {
                "type": "app_mention",
                "user": "UALEX",
                "text": "<@U0QUOTEBOT> churn risk list",
                "ts": "1700000000.000100",
                "channel": "C0SALES",
            },
        }
    )


def signed_request(body: str, headers: dict | None = None) -> BoltRequest:
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(
        timestamp=timestamp, body=body
    )
    return BoltRequest(
        body=body,
        headers={
            "content-type": ["application/json"],
            "x-slack-request-timestamp": [timestamp],
            "x-slack-signature": [signature],
            **{name: [value] for name, value in (headers or {}).items()},
        },
    )


def test_every_event_command_and_action_listener_acks_and_hands_work_to_lazy(app):
    listeners = app._listeners

    kinds = [listener_kind(listener) for listener in listeners]
    ack_only = [
        kind
        for kind, listener in zip(kinds, listeners, strict=True)
        if not listener.lazy_functions and kind not in ANSWERED_BY_ACK_ALONE
    ]
    assert "event" in kinds
    assert ack_only == []


def test_a_mention_is_acked_while_its_answer_is_still_being_worked_on(app, slow_answer):
    response = app.dispatch(signed_request(mention_body()))

    assert response.status == 200
    assert slow_answer["started"].wait(10)
    assert not slow_answer["release"].is_set()


def test_listeners_get_a_client_that_waits_out_rate_limits(app, slow_answer):
    app.dispatch(signed_request(mention_body()))
    assert slow_answer["started"].wait(10)

    handlers = slow_answer["client"].retry_handlers

    assert any(isinstance(h, RateLimitErrorRetryHandler) for h in handlers)


def test_a_retry_while_the_first_delivery_is_still_answered_does_nothing(
    app, slow_answer
):
    body = mention_body()
    app.dispatch(signed_request(body))
    assert slow_answer["started"].wait(10)

    retry = app.dispatch(
        signed_request(
            body, {"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"}
        )
    )

    assert (retry.status, retry.body) == (200, "")
    assert slow_answer["calls"] == 1


def test_a_request_with_a_bad_signature_is_refused(app, slow_answer):
    request = signed_request(mention_body())
    request.headers["x-slack-signature"] = ["v0=" + "0" * 64]

    response = app.dispatch(request)

    assert response.status == 401
    assert slow_answer["calls"] == 0


def test_every_lazy_function_logs_and_apologises_when_it_fails(app):
    lazies = [lazy for listener in app._listeners for lazy in listener.lazy_functions]

    assert lazies
    assert all(getattr(lazy, "reported", False) for lazy in lazies)
