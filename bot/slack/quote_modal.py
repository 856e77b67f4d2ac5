"""The quote form's listeners: its pickers' searches and its submissions.

The modal itself is built in ``bot.render.quote_form`` and read back by
``bot.slack.quote_form_input``. Its customer and product pickers search the
store as the person types (``app.options``): a rep finds only their own
accounts, a manager the team's. A submission is checked in the ack, so a
mistake shows under its own field; a valid one is acked at once and a lazy
function writes the draft, then posts its card (or refreshes the edited
one) in the channel kept in the view's ``private_metadata``.

Where the bot is not a member of that channel, a new card goes to the
person's DM with the bot, and an edited one is refreshed through the
``response_url`` of the Edit button that opened the form.
"""

from __future__ import annotations

import json
import logging

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.render.limits import OPTIONS_MAX
from bot.render.quote_form import (
    CUSTOMER,
    EDIT,
    NEW,
    PRODUCT,
    customer_option,
    product_option,
)
from bot.settings import Settings
from bot.slack.fallback import post_or_dm, post_or_respond, respond_at, tell
from bot.slack.identity import as_requester, requester_for
from bot.slack.quote_cards import card_message, post_card, refresh_card
from bot.slack.quote_form_input import read_form
from storage.db import session_scope
from storage.models import Customer
from tools.drafts import draft_quote
from tools.errors import AccessError, ToolError
from tools.people import Requester, requester_by_slack_id
from tools.pickers import matching_customers, matching_products
from tools.quote_actions import QuoteCard, quote_card, revise_draft

logger = logging.getLogger(__name__)


def customer_options(session: Session, requester: Requester, typed: str) -> list[dict]:
    """The customer picker's options: accounts the requester may quote (``typed``)."""
    rows = matching_customers(session, requester, typed, OPTIONS_MAX)
    return [customer_option(name, id_) for id_, name in rows]


def product_options(session: Session, typed: str) -> list[dict]:
    """The product picker's options: active products by name or SKU, with their SKU."""
    rows = matching_products(session, typed, OPTIONS_MAX)
    return [product_option(name, sku) for sku, name in rows]


def register(app: App, settings: Settings) -> None:
    database_url = settings.database_url

    def search_customers(ack, body, client):
        ack(options=_search(database_url, client, body, customer_options))

    def search_products(ack, body, client):
        ack(options=_search(database_url, client, body, _products_for))

    def check_form(ack, body, view):
        errors = _form_errors(database_url, body["user"]["id"], view)
        if errors:
            ack(response_action="errors", errors=errors)
        else:
            ack()

    def create_draft(body, client, view):
        _create_draft(database_url, client, body["user"]["id"], view)

    def save_edit(body, client, view):
        _save_edit(database_url, client, body["user"]["id"], view)

    app.options(CUSTOMER)(search_customers)
    app.options(PRODUCT)(search_products)
    app.view(NEW)(ack=check_form, lazy=[create_draft])
    app.view(EDIT)(ack=check_form, lazy=[save_edit])


def _products_for(session: Session, requester: Requester, typed: str) -> list[dict]:
    return product_options(session, typed)


def _search(database_url, client, body, search) -> list[dict]:
    """Options for what was typed; none when the person is not a rep."""
    try:
        with session_scope(database_url) as session:
            requester = requester_for(session, client, body["user"]["id"])
            return search(session, requester, body.get("value", ""))
    except AccessError:
        return []
    except Exception:
        logger.exception("searching the quote form's options failed")
        return []


def _role(database_url: str, user: str) -> str:
    """The role whose discount limit applies; a rep's until the person is linked."""
    with session_scope(database_url) as session:
        requester = requester_by_slack_id(session, user)
    return requester.role if requester else "rep"


def _form_errors(database_url: str, user: str, view: dict) -> dict[str, str]:
    _, errors = read_form(view["state"]["values"], _role(database_url, user))
    return errors


def _create_draft(database_url: str, client: WebClient, user: str, view: dict) -> None:
    """Write the draft of a valid new-quote form and post its card."""
    metadata = json.loads(view["private_metadata"])
    channel = metadata["channel"]

    def work(session: Session, requester: Requester) -> QuoteCard | None:
        form, errors = read_form(view["state"]["values"], requester.role)
        if errors:
            return None
        result = draft_quote(
            session,
            requester,
            _customer_name(session, form.customer_id),
            form.items,
            discount_pct=form.discount_pct or None,
            idempotency_key=f"slack-view:{view['id']}",
        )
        return quote_card(session, requester, result.data["quote_number"])

    card = as_requester(database_url, client, channel, user, work)
    if card is not None:
        post_or_dm(lambda where: post_card(client, where, None, card), channel, user)


def _save_edit(database_url: str, client: WebClient, user: str, view: dict) -> None:
    """Revise the draft from a valid edit form and refresh its card in place."""
    metadata = json.loads(view["private_metadata"])
    channel, number = metadata["channel"], metadata["quote_number"]
    respond = respond_at(metadata.get("response_url"))

    def work(session: Session, requester: Requester):
        form, errors = read_form(view["state"]["values"], requester.role)
        if errors:
            return None
        change = revise_draft(session, requester, number, form.items, form.discount_pct)
        return change, quote_card(session, requester, number)

    outcome = as_requester(database_url, client, channel, user, work, respond)
    if outcome is None:
        return
    change, card = outcome
    if not change.changed:
        tell(client, channel, user, change.message, respond)
        return
    post_or_respond(
        lambda: refresh_card(client, channel, metadata["ts"], card),
        respond,
        card_message(card) | {"replace_original": True},
    )


def _customer_name(session: Session, customer_id: int | None) -> str:
    customer = session.get(Customer, customer_id) if customer_id else None
    if customer is None:
        raise ToolError("That customer is no longer in the store; open the form again.")
    return customer.name
