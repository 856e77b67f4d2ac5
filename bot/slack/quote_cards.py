"""Quote cards in Slack and their buttons: mark sent, edit, PDF, discard, won, lost.

Each button listener acks at once and hands the click to a lazy function.
That function resolves the clicker to a rep, acts in one transaction
(``tools.quote_actions``, which refuses anyone but the quote's rep, their
manager or an admin, and does each action once however often it is
clicked), then renders the card again from the store and updates it in
place. A refusal, or a click on something already done, is a sentence only
the clicker sees. The PDF goes up as a file in the card's thread; Edit opens
the quote form (``bot.render.quote_form``), whose submission refreshes the card.

The "Open the draft" button of a drafted answer (``open_quote:<n>``) posts
the quote's card in that thread.

A card in a conversation the bot is not a member of came through a slash
command's ``response_url``; its buttons answer through their own
(``bot.slack.fallback``): the card is replaced in place, a refusal is
ephemeral, and the PDF, which needs a file upload, is explained instead.
"""

from __future__ import annotations

import logging
import re
from functools import partial

from slack_bolt import App
from slack_sdk import WebClient

from bot.render.limits import MESSAGE_TEXT_MAX, cut_text, fit_message
from bot.render.pdf import quote_pdf
from bot.render.quote_card import card_blocks, card_text
from bot.render.quote_form import edit_view
from bot.settings import Settings
from bot.slack import delivery, fallback
from bot.slack.identity import requester_for
from storage.db import session_scope
from storage.models import QuoteStatus
from tools.errors import ToolError
from tools.quote_actions import (
    QuoteCard,
    discard_draft,
    mark_sent,
    quote_card,
    record_outcome,
)

logger = logging.getLogger(__name__)

SURFACE = "slack-button"
ACTIONS = {
    "quote_sent": mark_sent,
    "quote_discard": discard_draft,
    "quote_won": partial(record_outcome, won=True),
    "quote_lost": partial(record_outcome, won=False),
}
"""What each card button does, by ``action_id``."""
NO_UPLOADS_HERE = (
    "I cannot upload the PDF in a conversation I am not a member of; "
    "add me to it and press PDF again."
)


def post_card(
    client: WebClient, channel: str, thread_ts: str | None, card: QuoteCard
) -> str:
    """Post a quote's card; returns the message's ``ts``."""
    return delivery.post_blocks(
        client, channel, thread_ts, card_text(card), card_blocks(card)
    )


def refresh_card(client: WebClient, channel: str, ts: str, card: QuoteCard) -> None:
    """Replace the card at ``ts`` with the quote as it now stands."""
    delivery.update_blocks(client, channel, ts, card_text(card), card_blocks(card))


def card_message(card: QuoteCard) -> dict:
    """A card's ``text`` and ``blocks``, fitted, for a ``response_url``."""
    text = cut_text(card_text(card), MESSAGE_TEXT_MAX)
    return {"text": text, "blocks": fit_message(card_blocks(card))}


def register(app: App, settings: Settings) -> None:
    database_url = settings.database_url

    def acknowledge(ack):
        ack()

    def act(body, client):
        _act(database_url, client, _Click(body))

    def send_pdf(body, client):
        _send_pdf(database_url, client, _Click(body))

    def open_editor(body, client):
        _open_editor(database_url, client, _Click(body), body["trigger_id"])

    def open_card(body, client):
        _open_card(database_url, client, _Click(body))

    app.action(re.compile(f"^({'|'.join(ACTIONS)})$"))(ack=acknowledge, lazy=[act])
    app.action("quote_pdf")(ack=acknowledge, lazy=[send_pdf])
    app.action("quote_edit")(ack=acknowledge, lazy=[open_editor])
    app.action(re.compile(r"^open_quote:"))(ack=acknowledge, lazy=[open_card])


class _Click:
    """Who clicked which button on which message, read off a ``block_actions`` body."""

    def __init__(self, body: dict) -> None:
        action = body["actions"][0]
        container = body.get("container") or {}
        message = body.get("message") or {}
        self.action_id = action["action_id"]
        self.number = action.get("value", "")
        self.user = body["user"]["id"]
        self.channel = container.get("channel_id") or body["channel"]["id"]
        self.ts = container.get("message_ts") or message.get("ts")
        self.thread_ts = message.get("thread_ts")
        self.response_url = body.get("response_url")
        self.respond = fallback.respond_at(self.response_url)

    def tell(self, client: WebClient, text: str) -> None:
        """A sentence only the clicker sees, beside the card."""
        fallback.tell(
            client, self.channel, self.user, text, self.respond, self.thread_ts
        )

    def refresh(self, client: WebClient, card: QuoteCard) -> None:
        """Show the card as the quote now stands, where it is."""
        message = card_message(card) | {"replace_original": True}
        fallback.post_or_respond(
            lambda: refresh_card(client, self.channel, self.ts, card),
            self.respond,
            message,
        )


def _act(database_url: str, client: WebClient, click: _Click) -> None:
    """Do the button's action, then show the card as the store now has it."""
    try:
        with session_scope(database_url) as session:
            requester = requester_for(session, client, click.user)
            action = ACTIONS[click.action_id]
            change = action(session, requester, click.number, surface=SURFACE)
        with session_scope(database_url) as session:
            card = quote_card(session, requester, click.number)
        click.refresh(client, card)
    except ToolError as error:
        click.tell(client, str(error))
        return
    except Exception:
        logger.exception("the %s button on %s failed", click.action_id, click.number)
        click.tell(client, delivery.SORRY)
        return

    if not change.changed:
        click.tell(client, change.message)


def _send_pdf(database_url: str, client: WebClient, click: _Click) -> None:
    """Upload the quote's PDF into the card's thread."""
    try:
        with session_scope(database_url) as session:
            requester = requester_for(session, client, click.user)
            card = quote_card(session, requester, click.number, assess=False)
        delivery.upload_file(
            client,
            click.channel,
            click.thread_ts or click.ts,
            quote_pdf(card),
            f"{card.quote_number}.pdf",
            f"Quote {card.quote_number} for {card.customer}",
        )
    except ToolError as error:
        click.tell(client, str(error))
    except Exception as error:
        if fallback.not_a_member(error):
            click.tell(client, NO_UPLOADS_HERE)
            return
        logger.exception("the PDF of %s failed", click.number)
        click.tell(client, delivery.SORRY)


def _open_editor(
    database_url: str, client: WebClient, click: _Click, trigger_id: str
) -> None:
    """Open the edit form of a draft; the form's submission refreshes the card."""
    try:
        with session_scope(database_url) as session:
            requester = requester_for(session, client, click.user)
            card = quote_card(session, requester, click.number, assess=False)
        if card.status != QuoteStatus.DRAFT:
            click.tell(client, f"{card.quote_number} is no longer a draft to edit.")
            return
        view = edit_view(card, click.channel, click.ts, click.response_url)
        delivery.open_view(client, trigger_id, view)
    except ToolError as error:
        click.tell(client, str(error))
    except Exception:
        logger.exception("opening the edit form of %s failed", click.number)
        click.tell(client, delivery.SORRY)


def _open_card(database_url: str, client: WebClient, click: _Click) -> None:
    """Post the card of the quote an answer's button names, in that answer's thread."""
    try:
        with session_scope(database_url) as session:
            requester = requester_for(session, client, click.user)
            card = quote_card(session, requester, click.number)
        fallback.post_or_respond(
            lambda: post_card(client, click.channel, click.thread_ts or click.ts, card),
            click.respond,
            card_message(card)
            | {"response_type": "in_channel", "replace_original": False},
        )
    except ToolError as error:
        click.tell(client, str(error))
    except Exception:
        logger.exception("posting the card of %s failed", click.number)
        click.tell(client, delivery.SORRY)
