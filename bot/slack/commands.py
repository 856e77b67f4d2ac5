"""Slash commands: /quote, /forecast, /churn and /qb.

Each command acks at once and a lazy function does the work as the rep
behind the Slack user, then posts the answer in the command's channel.

- ``/quote 10 Gateway Hubs for Acme Corp, 5% off`` drafts the quote and
  posts its card; a text missing the customer or the lines opens the quote
  form filled in with what was understood, and a name the store does not
  know is answered privately with the closest names. ``/quote`` alone opens
  the empty form.
- ``/forecast [horizon]`` and ``/churn`` run that question directly.
- ``/qb <anything>`` is read like a message to the bot, as a conversation
  per channel and person, so a follow-up ``/qb why?`` works.

Refusals and failures are one sentence only the person sees.
"""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.answer import audit, run_intent
from bot.dialogue import ConversationKey, converse
from bot.nlu.entities import extract_entities
from bot.render.quote_form import FormLine, Prefill, new_view
from bot.settings import Settings
from bot.slack.delivery import open_view, post_ephemeral, post_result
from bot.slack.identity import as_requester
from bot.slack.quote_cards import post_card
from bot.slack.quote_form_input import discount_limit, limit_sentence
from storage.drafts import quote_by_key
from tools.customers import find_customer
from tools.drafts import draft_quote
from tools.errors import AccessError, ToolError
from tools.names import store_vocabulary
from tools.people import Requester, account_scope
from tools.products import find_product
from tools.quote_actions import QuoteCard, quote_card
from tools.results import ToolResult

logger = logging.getLogger(__name__)

WORKING = "Working on it…"
SURFACE = "slack-command"
COMMAND_INTENTS = {"/forecast": "revenue_forecast", "/churn": "churn_risk_list"}
ASK_SOMETHING = (
    "Ask a question after /qb, for example `/qb top customers last quarter`."
)
FORM_TOO_LATE = "The quote form could not open in time; run /quote again to open it."


def register(app: App, settings: Settings) -> None:
    database_url = settings.database_url

    def ack_quote(ack, command):
        if command.get("text", "").strip():
            ack(WORKING)
        else:
            ack()

    def ack_working(ack):
        ack(WORKING)

    def quote(command, client):
        _quote(database_url, client, command)

    def ask_intent(command, client):
        _run_intent(database_url, client, command)

    def ask(command, client):
        _converse(database_url, client, command)

    app.command("/quote")(ack=ack_quote, lazy=[quote])
    for name in COMMAND_INTENTS:
        app.command(name)(ack=ack_working, lazy=[ask_intent])
    app.command("/qb")(ack=ack_working, lazy=[ask])


def understand_quote(session: Session, requester: Requester, text: str) -> Prefill:
    """The customer, lines and discount a ``/quote`` text names.

    A piece not named stays empty; a name the store does not know, or an
    account the requester may not quote, raises a ``ToolError`` whose sentence
    says so (with the closest names).
    """
    entities = extract_entities(text, store_vocabulary(session))
    customer_id, customer = None, None
    if entities.get("customer"):
        match = find_customer(session, entities["customer"])
        _check_may_quote(session, requester, match.name, match.owner_rep_id)
        customer_id, customer = match.id, match.name
    lines = tuple(_form_line(session, item) for item in _items(entities))
    return Prefill(customer_id, customer, lines, entities.get("discount_pct"))


def _quote(database_url: str, client: WebClient, command: dict) -> None:
    """Draft from the text when it says enough, else open the form."""
    channel, user = command["channel_id"], command["user_id"]
    trigger_id = command["trigger_id"]
    text = command.get("text", "").strip()

    key = f"slack-command:{trigger_id}"

    def work(session: Session, requester: Requester) -> QuoteCard | Prefill | None:
        if quote_by_key(session, key) is not None:
            logger.info("ignoring a repeated /quote (trigger %s)", trigger_id)
            return None
        prefill = understand_quote(session, requester, text) if text else Prefill()
        if not prefill.complete:
            return prefill
        return _draft(session, requester, prefill, key)

    outcome = as_requester(database_url, client, channel, user, work)
    if isinstance(outcome, Prefill):
        _open_form(client, trigger_id, channel, user, outcome)
    elif outcome is not None:
        post_card(client, channel, None, outcome)


def _draft(session, requester, prefill: Prefill, idempotency_key: str) -> QuoteCard:
    discount = prefill.discount_pct
    if discount is not None and discount > discount_limit(requester.role):
        raise ToolError(limit_sentence(requester.role))
    result = draft_quote(
        session,
        requester,
        prefill.customer,
        [(line.sku, line.quantity) for line in prefill.lines],
        discount_pct=discount,
        idempotency_key=idempotency_key,
    )
    return quote_card(session, requester, result.data["quote_number"])


def _open_form(client, trigger_id: str, channel: str, user: str, prefill) -> None:
    try:
        open_view(client, trigger_id, new_view(channel, prefill))
    except Exception:
        logger.exception("opening the quote form failed")
        post_ephemeral(client, channel, user, FORM_TOO_LATE)


def _check_may_quote(session, requester: Requester, name: str, owner) -> None:
    scope = account_scope(session, requester, "team")
    if scope.rep_ids is not None and owner not in scope.rep_ids:
        raise AccessError(
            f"{name} is not one of your accounts, so you cannot quote it."
        )


def _items(entities: dict) -> list[dict]:
    if entities.get("items"):
        return entities["items"]
    if entities.get("product"):
        return [{"product": entities["product"], "quantity": entities.get("quantity")}]
    return []


def _form_line(session: Session, item: dict) -> FormLine:
    product = find_product(session, str(item["product"]))
    return FormLine(product.sku, product.name, item.get("quantity"))


def _run_intent(database_url: str, client: WebClient, command: dict) -> None:
    """/forecast and /churn: the question behind the command, with its text."""
    intent = COMMAND_INTENTS[command["command"]]
    text = command.get("text", "").strip()

    def work(session: Session, requester: Requester) -> ToolResult:
        entities = _entities(session, text)
        result = run_intent(session, requester, intent, entities)
        audit(session, requester, SURFACE, f"{command['command']} {text}", result)
        return result

    _reply(client, command, as_requester(database_url, client, *_who(command), work))


def _entities(session: Session, text: str) -> dict:
    """The entities of a command's text; a bare number is a horizon in days."""
    if not text:
        return {}
    if text.isdigit():
        return {"horizon_days": int(text)}
    return extract_entities(text, store_vocabulary(session))


def _converse(database_url: str, client: WebClient, command: dict) -> None:
    """/qb: the text as the next message of the channel's conversation."""
    text = command.get("text", "").strip()
    channel, user = _who(command)
    if not text:
        post_ephemeral(client, channel, user, ASK_SOMETHING)
        return

    def work(session: Session, requester: Requester) -> ToolResult:
        key = ConversationKey(channel, user, "", command.get("team_id"))
        return converse(session, requester, text, key, surface=SURFACE)

    _reply(client, command, as_requester(database_url, client, channel, user, work))


# TODO: in a private channel or group DM the bot is not a member of, Slack
# refuses its posts (not_in_channel); such a command could still be answered
# through its response_url, which the emulator the tests use does not serve.
def _reply(client: WebClient, command: dict, result: ToolResult | None) -> None:
    """An answer goes to the channel; a refusal only to the person who asked."""
    if result is None:
        return
    channel, user = _who(command)
    if result.intent == "error":
        post_ephemeral(client, channel, user, result.summary)
    else:
        post_result(client, channel, None, result)


def _who(command: dict) -> tuple[str, str]:
    return command["channel_id"], command["user_id"]
