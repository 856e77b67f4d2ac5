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

Refusals and failures are one sentence only the person sees. In a private
channel or group DM the bot is not a member of, the answer, card or refusal
goes through the command's ``response_url`` instead (``bot.slack.fallback``).
"""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.answer import audit, run_intent
from bot.dialogue import ConversationKey, converse
from bot.nlu.entities import extract_entities
from bot.render.quote_form import FormLine, Prefill, new_view
from bot.settings import Settings
from bot.slack.delivery import answer_message, open_view, post_result
from bot.slack.fallback import post_or_respond, tell
from bot.slack.identity import as_requester
from bot.slack.quote_cards import card_message, post_card
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

    def quote(command, client, respond):
        _quote(database_url, client, command, respond)

    def ask_intent(command, client, respond):
        _run_intent(database_url, client, command, respond)

    def ask(command, client, respond):
        _converse(database_url, client, command, respond)

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


def _quote(
    database_url: str, client: WebClient, command: dict, respond: Respond
) -> None:
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

    outcome = as_requester(database_url, client, channel, user, work, respond)
    if isinstance(outcome, Prefill):
        _open_form(client, command, outcome, respond)
    elif outcome is not None:
        post_or_respond(
            lambda: post_card(client, channel, None, outcome),
            respond,
            card_message(outcome) | {"response_type": "in_channel"},
        )


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


def _open_form(client, command: dict, prefill: Prefill, respond: Respond) -> None:
    channel, user = _who(command)
    try:
        open_view(client, command["trigger_id"], new_view(channel, prefill))
    except Exception:
        logger.exception("opening the quote form failed")
        tell(client, channel, user, FORM_TOO_LATE, respond)


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


def _run_intent(
    database_url: str, client: WebClient, command: dict, respond: Respond
) -> None:
    """/forecast and /churn: the question behind the command, with its text."""
    intent = COMMAND_INTENTS[command["command"]]
    text = command.get("text", "").strip()

    def work(session: Session, requester: Requester) -> ToolResult:
        entities = _entities(session, text)
        result = run_intent(session, requester, intent, entities)
        audit(session, requester, SURFACE, f"{command['command']} {text}", result)
        return result

    result = as_requester(database_url, client, *_who(command), work, respond)
    _reply(client, command, respond, result)


def _entities(session: Session, text: str) -> dict:
    """The entities of a command's text; a bare number is a horizon in days."""
    if not text:
        return {}
    if text.isdigit():
        return {"horizon_days": int(text)}
    return extract_entities(text, store_vocabulary(session))


def _converse(
    database_url: str, client: WebClient, command: dict, respond: Respond
) -> None:
    """/qb: the text as the next message of the channel's conversation."""
    text = command.get("text", "").strip()
    channel, user = _who(command)
    if not text:
        tell(client, channel, user, ASK_SOMETHING, respond)
        return

    def work(session: Session, requester: Requester) -> ToolResult:
        key = ConversationKey(channel, user, "", command.get("team_id"))
        return converse(session, requester, text, key, surface=SURFACE)

    result = as_requester(database_url, client, channel, user, work, respond)
    _reply(client, command, respond, result)


def _reply(
    client: WebClient, command: dict, respond: Respond, result: ToolResult | None
) -> None:
    """An answer goes to the channel; a refusal only to the person who asked.

    Through ``response_url`` an answer goes without its chart image (a file
    upload needs the bot in the conversation); its table has the numbers.
    """
    if result is None:
        return
    channel, user = _who(command)
    if result.intent == "error":
        tell(client, channel, user, result.summary, respond)
        return
    post_or_respond(
        lambda: post_result(client, channel, None, result),
        respond,
        answer_message(result) | {"response_type": "in_channel"},
    )


def _who(command: dict) -> tuple[str, str]:
    return command["channel_id"], command["user_id"]
