"""Mentions show progress that the answer replaces; buttons answer in the thread."""

from __future__ import annotations

import json
import logging
from urllib.parse import urlencode

import pytest
from slack_bolt import BoltRequest

from bot.settings import Settings
from bot.slack import messages
from bot.slack.delivery import PROGRESS, SORRY
from bot.slack.failures import report_lazy_failures
from storage.db import session_scope
from storage.models import SalesRep
from tests.bot.slack.recording_client import RecordingClient, bolt_app, dispatch
from tests.factories import make_customer, make_product, make_rep
from tools.drafts import draft_quote
from tools.errors import AccessError
from tools.people import requester_by_email
from tools.results import ToolResult

CHANNEL, TS = "C0SALES", "1700000000.000100"
ANSWER = ToolResult(intent="churn_risk_list", summary="Two accounts are slipping.")


@pytest.fixture
def client(sqlite_url) -> RecordingClient:
    with session_scope(sqlite_url) as session:
        make_rep(session, "Alex Rivera")
    return RecordingClient({"UALEX": "alex.rivera@example.com"})


@pytest.fixture
def app(client, sqlite_url):
    app = bolt_app(client)
    messages.register(app, Settings(_env_file=None, database_url=sqlite_url))
    report_lazy_failures(app)
    return app


def answer_with(monkeypatch, outcome) -> None:
    """Make the conversation return ``outcome``, or raise it if it is an exception."""

    def converse(*args, **kwargs):
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(messages, "converse", converse)
    monkeypatch.setattr(messages, "run_intent", converse)


def mention(app) -> None:
    event = {
        "type": "app_mention",
        "user": "UALEX",
        "text": "<@U0QUOTEBOT> churn risk",
        "ts": TS,
        "channel": CHANNEL,
    }
    body = {"type": "event_callback", "team_id": "T1", "event": event}
    headers = {"content-type": ["application/json"]}
    app.dispatch(BoltRequest(body=json.dumps(body), headers=headers))


def press(app, action_id: str, value: str) -> None:
    payload = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "UALEX"},
        "channel": {"id": CHANNEL},
        "message": {"ts": "1700000000.000200", "thread_ts": TS},
        "actions": [{"action_id": action_id, "value": value, "type": "button"}],
    }
    dispatch(app, urlencode({"payload": json.dumps(payload)}))


def texts(client, method: str) -> list[str]:
    return [call["text"] for call in client.sent(method)]


def test_a_mention_gets_progress_in_its_thread_which_the_answer_replaces(
    app, client, monkeypatch
):
    answer_with(monkeypatch, ANSWER)

    mention(app)

    [progress] = client.sent("chat.postMessage")
    [update] = client.sent("chat.update")
    assert (progress["thread_ts"], progress["text"]) == (TS, PROGRESS)
    assert update["text"] == "Two accounts are slipping."
    assert update["ts"].startswith("1700000000.")


def test_a_refusal_replaces_the_progress_with_its_sentence(app, client, monkeypatch):
    answer_with(monkeypatch, AccessError("Only managers can see the team's list."))

    mention(app)

    assert texts(client, "chat.update") == ["Only managers can see the team's list."]


def test_a_failure_replaces_the_progress_with_sorry_and_logs_the_traceback(
    app, client, monkeypatch, caplog
):
    answer_with(monkeypatch, RuntimeError("the model fell over"))

    with caplog.at_level(logging.ERROR):
        mention(app)

    assert texts(client, "chat.update") == [SORRY]
    assert caplog.records[-1].exc_info[0] is RuntimeError


def test_a_button_answers_in_the_thread_of_its_message(app, client, monkeypatch):
    answer_with(monkeypatch, ANSWER)

    press(app, "churn_explain:0", "Alex Slipping Ltd")

    [posted] = client.sent("chat.postMessage")
    assert (posted["thread_ts"], posted["text"]) == (TS, "Two accounts are slipping.")


def test_a_refused_button_is_answered_only_to_the_person_who_pressed_it(
    app, client, monkeypatch
):
    answer_with(monkeypatch, AccessError("Alex Slipping Ltd is not one of yours."))

    press(app, "churn_explain:0", "Alex Slipping Ltd")

    assert client.sent("chat.postMessage") == []
    [private] = client.sent("chat.postEphemeral")
    assert (private["user"], private["text"]) == (
        "UALEX",
        "Alex Slipping Ltd is not one of yours.",
    )


def test_a_failed_button_is_logged_and_apologised_for_only_to_the_presser(
    app, client, monkeypatch, caplog
):
    answer_with(monkeypatch, RuntimeError("the model fell over"))

    with caplog.at_level(logging.ERROR):
        press(app, "clarify_0", "churn_risk_list")

    assert client.sent("chat.postMessage") == []
    assert texts(client, "chat.postEphemeral") == [SORRY]
    assert any(r.exc_info and r.exc_info[0] is RuntimeError for r in caplog.records)


def test_a_quote_drafted_in_the_conversation_replaces_the_progress_as_its_card(
    app, client, monkeypatch, sqlite_url
):
    with session_scope(sqlite_url) as session:
        alex = requester_by_email(session, "alex.rivera@example.com")
        make_customer(session, "Acme Corp", session.get(SalesRep, alex.rep_id))
        make_product(session, "Gateway Hub", "Hardware")
        session.flush()
        drafted = draft_quote(session, alex, "Acme Corp", [("Gateway Hub", 4)])
    answer_with(monkeypatch, drafted)

    mention(app)

    [update] = client.sent("chat.update")
    buttons = [
        element["action_id"]
        for block in update["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert drafted.data["quote_number"] in update["text"]
    assert "quote_sent" in buttons
