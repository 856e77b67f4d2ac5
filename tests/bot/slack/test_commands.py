"""Slash commands: /quote drafts or opens the form, /forecast, /churn and /qb answer."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from bot.settings import Settings
from bot.slack import commands, quote_modal
from bot.slack.commands import ASK_SOMETHING, WORKING
from storage.db import session_scope
from storage.models import Quote
from tests.bot.slack.recording_client import RecordingClient, bolt_app, slash_command
from tests.factories import make_customer, make_orders, make_product, make_rep

CHANNEL = "C0SALES"
TODAY = dt.date(2026, 6, 30)
EMAILS = {
    "UALEX": "alex.rivera@example.com",
    "UDANA": "dana.whitfield@example.com",
    "UCASEY": "casey.stranger@example.com",
}


@pytest.fixture
def store(sqlite_url) -> str:
    """Alex and Priya each own a slipping and a healthy account; two products."""
    with session_scope(sqlite_url) as session:
        make_rep(session, "Dana Whitfield", role="manager")
        for name in ("Alex Rivera", "Priya Nair"):
            rep = make_rep(session, name)
            first = name.split()[0]
            slipping = make_customer(session, f"{first} Slipping Ltd", rep)
            healthy = make_customer(session, f"{first} Healthy Inc", rep)
            make_orders(session, slipping, TODAY - dt.timedelta(days=60), 14, 8)
            make_orders(session, healthy, TODAY, 14, 8)
        make_product(session, "Gateway Hub", "Hardware")
        make_product(session, "Analytics Suite", "Software")
    return sqlite_url


@pytest.fixture
def slack(store):
    client = RecordingClient(EMAILS)
    app = bolt_app(client)
    settings = Settings(database_url=store)
    commands.register(app, settings)
    quote_modal.register(app, settings)
    return app, client


def opened_view(client: RecordingClient) -> dict:
    (call,) = client.sent("views.open")
    view = call["view"]
    return json.loads(view) if isinstance(view, str) else view


def draft_count(store: str) -> int:
    with session_scope(store) as session:
        drafts = select(func.count(Quote.id)).where(Quote.status == "draft")
        return session.scalar(drafts)


def test_quote_alone_opens_the_empty_form_for_the_commands_channel(slack):
    app, client = slack

    ack = slash_command(app, "/quote", "", "UALEX", trigger_id="1.2.form")

    assert ack == ""
    assert client.sent("views.open")[0]["trigger_id"] == "1.2.form"
    view = opened_view(client)
    assert view["callback_id"] == quote_modal.NEW
    assert json.loads(view["private_metadata"]) == {"channel": CHANNEL}
    assert "initial_option" not in view["blocks"][0]["element"]


def test_quote_without_a_customer_opens_the_form_with_the_lines_understood(slack):
    app, client = slack

    slash_command(app, "/quote", "10 Gateway Hubs and 2 Analytics Suite", "UALEX")

    blocks = {b["block_id"]: b["element"] for b in opened_view(client)["blocks"]}
    assert "initial_option" not in blocks["customer"]
    assert blocks["line_1_product"]["initial_option"]["value"] == "GATEWAY-HUB"
    assert blocks["line_1_quantity"]["initial_value"] == "10"
    assert blocks["line_2_product"]["initial_option"]["value"] == "ANALYTICS-SUITE"


def test_quote_with_a_customer_but_no_lines_opens_the_form_with_the_customer(slack):
    app, client = slack

    slash_command(app, "/quote", "for Alex Healthy Inc", "UALEX")

    customer = opened_view(client)["blocks"][0]["element"]["initial_option"]
    assert customer["text"]["text"] == "Alex Healthy Inc"


def test_quote_with_everything_drafts_and_posts_once_even_when_retried(slack, store):
    app, client = slack
    text = "Alex Healthy Inc 10 Gateway Hubs 5% off"

    ack = slash_command(app, "/quote", text, "UALEX", trigger_id="1.2.draft")
    slash_command(app, "/quote", text, "UALEX", trigger_id="1.2.draft")

    assert ack == WORKING
    assert draft_count(store) == 1
    with session_scope(store) as session:
        quote = session.scalar(select(Quote).where(Quote.status == "draft"))
        assert quote.idempotency_key == "slack-command:1.2.draft"
        assert (quote.items[0].quantity, float(quote.discount_pct)) == (10, 5.0)
    assert client.sent("views.open") == []
    [card] = client.sent("chat.postMessage")
    assert card["channel"] == CHANNEL
    assert quote.quote_number in json.dumps(card["blocks"])


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Priya Healthy Inc 2 Gateway Hubs", "not one of your accounts"),
        ("Alex Healthy Inc 2 Gateway Hubs 25% off", "Reps may give at most 20% off"),
        ("Alex 2 Gateway Hubs", "Did you mean Alex Slipping Ltd or Alex Healthy Inc?"),
    ],
    ids=["another-reps-account", "over-the-discount-limit", "unclear-name"],
)
def test_quote_that_cannot_be_drafted_is_told_privately_in_one_sentence(
    slack, store, text, words
):
    app, client = slack

    slash_command(app, "/quote", text, "UALEX")

    (refusal,) = client.sent("chat.postEphemeral")
    assert (refusal["channel"], refusal["user"]) == (CHANNEL, "UALEX")
    assert words in refusal["text"]
    assert draft_count(store) == 0
    assert client.sent("chat.postMessage") == []


def test_churn_posts_the_reps_own_list_in_the_channel(slack):
    app, client = slack

    ack = slash_command(app, "/churn", "", "UALEX")

    assert ack == WORKING
    (answer,) = client.sent("chat.postMessage")
    text = json.dumps(answer["blocks"])
    assert answer["channel"] == CHANNEL
    assert answer.get("thread_ts") is None
    assert "Alex Slipping Ltd" in text
    assert "Priya" not in text


def test_forecast_reads_a_bare_number_as_days_and_uploads_its_chart(slack):
    app, client = slack

    slash_command(app, "/forecast", "30", "UDANA")

    (answer,) = client.sent("chat.postMessage")
    assert "Forecast for the next 30 days" in answer["text"]
    (chart,) = client.sent("files.upload_v2")
    assert (chart["channel"], chart["filename"]) == (CHANNEL, "revenue_forecast.png")


def test_qb_answers_a_question_in_the_channel(slack):
    app, client = slack

    slash_command(app, "/qb", "what's my churn risk list", "UALEX")

    (answer,) = client.sent("chat.postMessage")
    assert "Alex Slipping Ltd" in json.dumps(answer["blocks"])


def test_qb_with_nothing_to_ask_says_how_to_ask(slack):
    app, client = slack

    slash_command(app, "/qb", "  ", "UALEX")

    (hint,) = client.sent("chat.postEphemeral")
    assert hint["text"] == ASK_SOMETHING
    assert client.sent("chat.postMessage") == []


def test_someone_who_is_not_a_rep_is_told_privately_how_to_get_access(slack):
    app, client = slack

    slash_command(app, "/churn", "", "UCASEY")

    (refusal,) = client.sent("chat.postEphemeral")
    assert "not set up as a sales rep" in refusal["text"]
    assert client.sent("chat.postMessage") == []
