"""Commands, buttons and forms in a conversation the bot is not a member of.

Slack refuses the bot's posts there, so answers and cards go through the
command's or button's ``response_url``, and a form's card to the person's DM.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from bot.render.quote_form import EDIT, NEW
from bot.settings import Settings
from bot.slack import commands, quote_cards, quote_modal
from bot.slack.fallback import post_or_respond, respond_at
from storage.db import session_scope
from storage.models import Customer
from tests.bot.slack.form_values import form_values
from tests.bot.slack.outside import OutsideClient, ResponseUrls
from tests.bot.slack.recording_client import bolt_app, interaction, slash_command
from tests.factories import make_book, make_customer, make_product, make_team
from tools.drafts import draft_quote
from tools.people import requester_by_email

PRIVATE = "G0PRIVATE"
CARD_TS = "1700000000.000100"
TODAY = dt.date(2026, 6, 30)
EMAILS = {"UALEX": "alex.rivera@example.com", "UPRIYA": "priya.nair@example.com"}


@pytest.fixture
def store(sqlite_url) -> str:
    """Dana's team with their accounts, Acme Corp for Alex; two products."""
    with session_scope(sqlite_url) as session:
        team = make_team(session)
        make_book(session, TODAY, team)
        make_customer(session, "Acme Corp", team["Alex Rivera"])
        make_product(session, "Gateway Hub", "Hardware")
        make_product(session, "Analytics Suite", "Software")
    return sqlite_url


@pytest.fixture
def urls():
    catcher = ResponseUrls()
    yield catcher
    catcher.close()


def slack_for(store: str, error: str = "not_in_channel"):
    client = OutsideClient(EMAILS, PRIVATE, error)
    app = bolt_app(client)
    settings = Settings(database_url=store)
    for surface in (commands, quote_modal, quote_cards):
        surface.register(app, settings)
    return app, client


def command(app, urls: ResponseUrls, name: str, text: str, user="UALEX") -> None:
    response_url = urls.url("command")
    slash_command(app, name, text, user, channel_id=PRIVATE, response_url=response_url)


def acme_id(store: str) -> str:
    with session_scope(store) as session:
        return str(
            session.scalar(select(Customer.id).where(Customer.name == "Acme Corp"))
        )


def a_draft(store: str) -> str:
    with session_scope(store) as session:
        alex = requester_by_email(session, EMAILS["UALEX"])
        result = draft_quote(session, alex, "Acme Corp", [("GATEWAY-HUB", 2)])
        return result.data["quote_number"]


def press(app, urls: ResponseUrls, action_id: str, number: str, user="UALEX"):
    """A button on a card that came into ``PRIVATE`` through a response_url."""
    payload = {
        "type": "block_actions",
        "user": {"id": user},
        "team": {"id": "T1"},
        "api_app_id": "A1",
        "trigger_id": "111.222.trigger",
        "response_url": urls.url("button"),
        "container": {"type": "message", "message_ts": CARD_TS, "channel_id": PRIVATE},
        "channel": {"id": PRIVATE},
        "message": {"ts": CARD_TS, "text": "card"},
        "actions": [
            {"action_id": action_id, "value": number, "type": "button"},
        ],
    }
    assert interaction(app, payload).status == 200


@pytest.mark.parametrize("error", ["not_in_channel", "channel_not_found"])
def test_a_quote_drafted_there_posts_its_card_through_the_response_url(
    store, urls, error
):
    app, client = slack_for(store, error)

    command(app, urls, "/quote", "Acme Corp 10 Gateway Hubs")

    (card,) = urls.to("command")
    assert card["response_type"] == "in_channel"
    assert "Acme Corp" in card["text"]
    assert "quote_sent" in json.dumps(card["blocks"])
    assert [c["channel"] for c in client.sent("chat.postMessage")] == [PRIVATE]


def test_an_answer_there_goes_through_the_response_url_for_everyone(store, urls):
    app, _ = slack_for(store)

    command(app, urls, "/churn", "")

    (answer,) = urls.to("command")
    assert answer["response_type"] == "in_channel"
    assert "Alex Slipping Ltd" in json.dumps(answer["blocks"])


def test_a_refusal_there_is_told_through_the_response_url_only_to_the_person(
    store, urls
):
    app, client = slack_for(store)

    command(app, urls, "/quote", "Priya Healthy Inc 2 Gateway Hubs")

    (told,) = urls.to("command")
    assert told["response_type"] == "ephemeral"
    assert "not one of your accounts" in told["text"]
    assert [c["channel"] for c in client.sent("chat.postMessage")] == []


def test_a_form_submitted_for_such_a_conversation_posts_its_card_in_the_dm(store):
    app, client = slack_for(store)
    values = form_values(acme_id(store), [("GATEWAY-HUB", "3")])
    view = {
        "id": "V0FORM",
        "type": "modal",
        "callback_id": NEW,
        "private_metadata": json.dumps({"channel": PRIVATE}),
        "state": {"values": values},
    }
    payload = {"type": "view_submission", "user": {"id": "UALEX"}, "view": view}
    payload |= {"team": {"id": "T1"}, "api_app_id": "A1"}

    interaction(app, payload)

    posted = client.sent("chat.postMessage")
    assert [c["channel"] for c in posted] == [PRIVATE, "UALEX"]
    assert "quote_sent" in json.dumps(posted[-1]["blocks"])


def test_a_button_on_a_card_there_replaces_the_card_through_its_response_url(
    store, urls
):
    number = a_draft(store)
    app, client = slack_for(store)

    press(app, urls, "quote_sent", number)

    (update,) = urls.to("button")
    assert update["replace_original"] is True
    assert "quote_won" in json.dumps(update["blocks"])
    assert [c["channel"] for c in client.sent("chat.update")] == [PRIVATE]


def test_a_second_click_there_is_told_only_to_the_clicker(store, urls):
    number = a_draft(store)
    app, _ = slack_for(store)

    press(app, urls, "quote_sent", number)
    press(app, urls, "quote_sent", number)

    told = urls.to("button")[-1]
    assert (told["response_type"], told["replace_original"]) == ("ephemeral", False)
    assert f"{number} was already marked sent" in told["text"]


def test_the_pdf_button_there_says_why_no_file_comes(store, urls):
    number = a_draft(store)
    app, _ = slack_for(store)

    press(app, urls, "quote_pdf", number)

    (told,) = urls.to("button")
    assert told["text"] == quote_cards.NO_UPLOADS_HERE


def test_saving_the_edit_form_of_a_card_there_replaces_it_through_its_button(
    store, urls
):
    number = a_draft(store)
    app, client = slack_for(store)
    press(app, urls, "quote_edit", number)
    (opened,) = client.sent("views.open")
    view = opened["view"]
    view = json.loads(view) if isinstance(view, str) else view
    values = form_values(lines=[("GATEWAY-HUB", "5")], with_customer=False)
    payload = {"type": "view_submission", "user": {"id": "UALEX"}}
    payload |= {"team": {"id": "T1"}, "api_app_id": "A1"}
    payload["view"] = view | {"id": "V0FORM", "state": {"values": values}}

    interaction(app, payload)

    assert view["callback_id"] == EDIT
    (update,) = urls.to("button")
    assert update["replace_original"] is True
    assert "5 × Gateway Hub" in json.dumps(update["blocks"], ensure_ascii=False)


def test_other_refusals_are_not_taken_for_a_missing_membership(urls):
    client = OutsideClient(EMAILS, PRIVATE, "invalid_blocks")
    respond = respond_at(urls.url("unused"))

    with pytest.raises(SlackApiError):
        post_or_respond(
            lambda: client.chat_postMessage(channel=PRIVATE, text="x"),
            respond,
            {"text": "x"},
        )

    assert urls.to("unused") == []
