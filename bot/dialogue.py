"""Conversations: asking for what is missing, and understanding follow-ups.

``converse`` answers one message in the light of the conversation so far,
kept in the store per channel, thread and person (``storage.conversations``):

- a request missing something it needs ("draft a quote") is not refused: the
  bot asks for the customer, then the lines, then the discount, and acts when
  it has them; a name the store does not know is asked again with the closest
  names; "make it 12" corrects the last quantity, "make it 15% off" the
  discount; "cancel" or "never mind" drops the request;
- after an answer, "why?" explains the first account of a churn list, "and for
  Globex?" asks the same question about another account, "show the chart"
  sends the last chart again, and "more" or "top 25" lengthens a list.

Anything else is a new question, answered as ``bot.answer.answer`` would.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import logging
import re
from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy.orm import Session

from bot.answer import TOOLS, audit, clarification_result, run_intent
from bot.llm_router import route as route_with_llm
from bot.nlu import classify
from bot.nlu.entities import extract_entities
from bot.slots import read_frequency, read_slot
from storage.conversations import (
    Conversation,
    ConversationKey,
    delete_expired_states,
    load_conversation,
    save_conversation,
)
from storage.models import ReportSubscription
from tools.customers import find_customer
from tools.errors import ToolError
from tools.matching import UnknownNameError
from tools.names import store_vocabulary
from tools.people import Requester
from tools.periods import Period
from tools.products import find_product
from tools.results import Action, Chart, ToolResult
from tools.subscriptions import UnknownReportError, report_for, subscribe_snapshot

logger = logging.getLogger(__name__)

REQUIRED = {
    "churn_explain": ("customer",),
    "customer_sentiment": ("customer",),
    "product_recommendations": ("customer",),
    "price_suggestion": ("customer",),
    "draft_quote": ("customer", "items", "discount_pct"),
    "subscribe_snapshot": ("report", "frequency"),
}
QUESTIONS = {
    "customer": "Which customer is it for?",
    "items": (
        "What should the quote include? Name products and quantities, for "
        "example '10 Gateway Hubs and 2 Analytics Suite'."
    ),
    "discount_pct": "Any discount? Say for example '10% off', or 'no discount'.",
    "report": (
        "Which report? A revenue forecast, the churn risk list, a sales summary, "
        "unusual quotes or model health."
    ),
    "frequency": "How often: daily, weekly (say which day) or monthly?",
}
WHAT = {"draft_quote": "the quote draft", "subscribe_snapshot": "the subscription"}
CANCEL = re.compile(
    r"^\s*(?:cancel|stop|never ?mind|forget it|abort|nvm)"
    r"(?:\s+(?:it|that|this|the quote|the draft|please))?\W*$",
    re.I,
)
STOP_SUBSCRIPTION = re.compile(r"\b(?:stop|unsubscribe|cancel|no longer)\b", re.I)
LIST_SUBSCRIPTIONS = re.compile(
    r"\b(?:which|what|list|show)\b.*\b(?:reports?|subscriptions?)\b", re.I
)
CORRECTION = re.compile(
    r"^\s*(?:no,?\s+)?(?:make it|change it to|actually)\s+(\d{1,5}(?:\.\d+)?)"
    r"\s*(%|percent)?(?:\s+off)?\W*$",
    re.I,
)
QUESTION = re.compile(
    r"^\s*(?:why|what|how|who|which|when|where|is|are|do|does|can|show|list|"
    r"give|tell|forecast|any)\b",
    re.I,
)
WHY = re.compile(r"^\s*(?:why|how come|why is that|why that one)\W*$", re.I)
AND_FOR = re.compile(r"^\s*(?:and|what about|how about)\s+(?:for\s+)?(.+?)\W*$", re.I)
CHART = re.compile(r"\b(?:chart|graph|plot)\b", re.I)
MORE = re.compile(r"^\s*(?:show\s+)?(?:more|next)(?:\s+please)?\W*$", re.I)
TOP_N = re.compile(r"^\s*(?:show\s+(?:me\s+)?)?(?:the\s+)?top\s+(\d{1,2})\W*$", re.I)
ONE_ACCOUNT = {"churn_risk_list": "churn_explain"}
"""The question about one account that a list's follow-up 'and for X?' means."""
MORE_STEP = 10
DEFAULT_TOP_N = 10


@dataclass
class Turn:
    """One message being answered, with the state it found."""

    session: Session
    requester: Requester
    key: ConversationKey
    state: Conversation | None
    now: dt.datetime | None

    @property
    def last(self) -> dict[str, Any]:
        return self.state.slots.get("last", {}) if self.state else {}


def converse(
    session: Session,
    requester: Requester,
    text: str,
    conversation: ConversationKey,
    surface: str = "cli",
    now: dt.datetime | None = None,
) -> ToolResult:
    """Answer ``text`` as the next message of ``conversation``.

    The state is read from and written back to the store, so a conversation
    survives restarts and works across server processes.
    """
    state = load_conversation(session, conversation, now)
    turn = Turn(session, requester, conversation, state, now)
    result = _respond(turn, text)
    delete_expired_states(session, now)  # last, so no write lock spans the model
    audit(session, requester, surface, text, result)
    return result


def _respond(turn: Turn, text: str) -> ToolResult:
    pending = turn.state.intent if turn.state else None
    if CANCEL.match(text):
        return _cancel(turn, pending)
    if pending:
        result = _continue(turn, pending, text)
        if result is not None:
            return result
    if turn.last.get("quote_number") and CORRECTION.match(text):
        return _draft_already_saved(turn.last["quote_number"])
    follow_up = _follow_up(turn, text) if turn.last else None
    return follow_up or _new_question(turn, text)


def _new_question(turn: Turn, text: str) -> ToolResult:
    routed = route_with_llm(turn.session, turn.requester, text)
    if routed is not None:
        _remember(turn, None, {"last": _last(routed.intent, {}, routed)})
        return routed
    classification = classify(text)
    if not (
        classification.is_confident or classification.intent in ("help", "out_of_scope")
    ):
        _remember(turn, None, {})
        return clarification_result(classification)
    entities = _plain(extract_entities(text, store_vocabulary(turn.session)))
    if classification.intent == "subscribe_snapshot":
        entities = _subscription_entities(text, entities)
    return _proceed(turn, classification.intent, entities)


def _subscription_entities(text: str, entities: dict) -> dict:
    """Whether a subscription is asked for, stopped or listed, and how often."""
    if STOP_SUBSCRIPTION.search(text):
        return entities | {"action": "stop"}
    if LIST_SUBSCRIPTIONS.search(text) and not read_frequency(text):
        return entities | {"action": "list"}
    frequency = entities.get("frequency") or read_frequency(text)
    return entities | ({"frequency": frequency} if frequency else {})


def _proceed(turn: Turn, intent: str, entities: dict, prefix: str = "") -> ToolResult:
    """Ask for the first missing or unknown piece, or answer when all are there."""
    entities = _with_items(intent, entities)
    for slot in _required(intent, entities):
        if entities.get(slot) in (None, "", []):
            return _ask(turn, intent, entities, slot, prefix)
        problem = _check(turn.session, slot, entities)
        if problem is not None:
            return _ask(turn, intent, entities, slot, problem + " ")
    result = _run(turn, intent, entities)
    if prefix:
        result = replace(result, summary=prefix + result.summary)
    _remember(turn, None, {"last": _last(intent, entities, result)})
    return result


def _required(intent: str, entities: dict) -> tuple[str, ...]:
    if intent == "subscribe_snapshot" and entities.get("action") in ("stop", "list"):
        return ()
    return REQUIRED.get(intent, ())


def _continue(turn: Turn, intent: str, text: str) -> ToolResult | None:
    """Fill the slot the bot asked for; None when the person changed the subject."""
    entities = dict(turn.state.slots.get("entities", {}))
    slot = turn.state.slots.get("asking", "")
    if correction := CORRECTION.match(text):
        return _correct(turn, intent, entities, correction)
    found = _plain(extract_entities(text, store_vocabulary(turn.session)))
    value = read_slot(slot, text, found)
    if _changes_subject(text, intent, value is not None):
        return None
    if value is None:
        return _ask(turn, intent, entities, slot, "Sorry, I didn't get that. ")
    entities[slot] = value
    return _proceed(turn, intent, entities)


def _changes_subject(text: str, intent: str, answers_the_slot: bool) -> bool:
    """A reply that reads as a new question of another kind, not an answer."""
    if answers_the_slot and not QUESTION.match(text):
        return False
    classification = classify(text)
    return classification.is_confident and classification.intent not in (
        intent,
        "help",
        "out_of_scope",
    )


def _correct(turn: Turn, intent: str, entities: dict, correction) -> ToolResult:
    """'make it 12' sets the last quantity; 'make it 15% off' the discount."""
    number, percent = float(correction.group(1)), correction.group(2)
    items = list(entities.get("items") or [])
    if percent:
        entities["discount_pct"] = number
        prefix = f"Now {number:g}% off. "
    elif items:
        items[-1] = items[-1] | {"quantity": int(number)}
        entities["items"] = items
        prefix = f"Now {int(number)} × {items[-1]['product']}. "
    else:
        entities["quantity"] = int(number)
        prefix = f"Now {int(number)}. "
    return _proceed(turn, intent, entities, prefix)


def _check(session: Session, slot: str, entities: dict) -> str | None:
    """The store's spelling of a named slot, or the sentence saying what is wrong."""
    try:
        if slot == "customer":
            entities["customer"] = find_customer(session, entities["customer"]).name
        elif slot == "report":
            entities["report"] = report_for(entities["report"])
        elif slot == "items":
            entities["items"] = [
                item | {"product": find_product(session, str(item["product"])).name}
                for item in entities["items"]
            ]
    except (UnknownNameError, UnknownReportError) as error:
        del entities[slot]
        return str(error)
    return None


def _ask(
    turn: Turn, intent: str, entities: dict, slot: str, prefix: str = ""
) -> ToolResult:
    _remember(turn, intent, {"entities": entities, "asking": slot} | _kept(turn))
    return ToolResult(
        intent="ask",
        summary=prefix + QUESTIONS.get(slot, f"Which {slot.replace('_', ' ')}?"),
        notes=("Say 'cancel' to stop.",),
        data={"asking": slot, "for": intent, "so_far": entities},
    )


def _cancel(turn: Turn, pending: str | None) -> ToolResult:
    _remember(turn, None, _kept(turn))
    if not pending:
        return ToolResult(intent="cancel", summary="There was nothing to cancel.")
    what = WHAT.get(pending, "that request")
    return ToolResult(intent="cancel", summary=f"OK, I've dropped {what}.")


def _follow_up(turn: Turn, text: str) -> ToolResult | None:
    last = turn.last
    entities = dict(last.get("entities", {}))
    if WHY.match(text) and last.get("first_customer"):
        return _proceed(turn, "churn_explain", {"customer": last["first_customer"]})
    if CHART.search(text) and len(text.split()) <= 6:
        return _chart_again(last)
    if (top := TOP_N.match(text) or MORE.match(text)) and _takes(last, "top_n"):
        shown = int(entities.get("top_n", DEFAULT_TOP_N))
        wanted = int(top.group(1)) if top.groups() else shown + MORE_STEP
        return _proceed(turn, last["intent"], entities | {"top_n": wanted})
    if and_for := AND_FOR.match(text):
        return _same_question(turn, last, entities, and_for.group(1))
    return None


def _same_question(
    turn: Turn, last: dict, entities: dict, words: str
) -> ToolResult | None:
    """The last question again, about what the follow-up names."""
    found = _plain(extract_entities(words, store_vocabulary(turn.session)))
    intent = last["intent"]
    if not _takes(last, "customer") and intent in ONE_ACCOUNT:
        intent, entities = ONE_ACCOUNT[intent], {}
        found = found or {"customer": words}
    elif not found and _takes(last, "customer"):
        found = {"customer": words}
    if not found:
        return None
    return _proceed(turn, intent, entities | found)


def _draft_already_saved(quote_number: str) -> ToolResult:
    return ToolResult(
        intent="draft_quote",
        summary=f"{quote_number} is already saved as it was. Open the draft to "
        "change it, or say 'draft a quote' to start another.",
        actions=(Action("Open the draft", "open_quote", quote_number),),
    )


def _chart_again(last: dict) -> ToolResult:
    if not last.get("chart"):
        return ToolResult(intent="chart", summary="The last answer had no chart.")
    chart = Chart(**last["chart"])
    return ToolResult(intent=last["intent"], summary=chart.title, chart=chart)


def _takes(last: dict, parameter: str) -> bool:
    tool = TOOLS.get(last.get("intent", ""))
    return tool is not None and parameter in inspect.signature(tool).parameters


def _run(turn: Turn, intent: str, entities: dict) -> ToolResult:
    arguments = _arguments(entities)
    try:
        if intent == "subscribe_snapshot":
            return _subscribe(turn, arguments)
    except ToolError as error:
        logger.info("tool %s refused: %s", intent, error)
        return ToolResult(intent="error", summary=str(error))
    return run_intent(turn.session, turn.requester, intent, arguments)


def _subscribe(turn: Turn, arguments: dict) -> ToolResult:
    """Where unsaid, a new report goes where it was asked for; 'dm' is a DM."""
    action = arguments.get("action", "subscribe")
    channel = arguments.get("channel")
    if channel == "dm":
        channel = turn.key.user_id
    elif channel is None and action == "subscribe":
        channel = turn.key.channel_id
    result = subscribe_snapshot(
        turn.session,
        turn.requester,
        report=arguments.get("report"),
        frequency=arguments.get("frequency"),
        channel=channel,
        action=action,
    )
    if "subscription_id" in result.data and turn.key.team_id:
        row = turn.session.get(ReportSubscription, result.data["subscription_id"])
        row.team_id = turn.key.team_id
    return result


def _with_items(intent: str, entities: dict) -> dict:
    """A draft named with one product ('10 Gateway Hubs') has that line."""
    if intent != "draft_quote" or entities.get("items") or "product" not in entities:
        return entities
    line = {"product": entities["product"], "quantity": entities.get("quantity", 1)}
    return entities | {"items": [line]}


def _last(intent: str, entities: dict, result: ToolResult) -> dict:
    """What follow-ups need from an answer: its question, first account, chart."""
    first = result.rows[0].get("customer") if result.rows else None
    if result.intent != "churn_risk_list":
        first = entities.get("customer") if result.intent == "churn_explain" else None
    chart = asdict(result.chart) if result.chart else None
    return {
        "intent": intent,
        "entities": entities,
        "first_customer": first,
        "quote_number": result.data.get("quote_number")
        if result.intent == "draft_quote"
        else None,
        "chart": json.loads(json.dumps(chart, default=str)) if chart else None,
    }


def _kept(turn: Turn) -> dict:
    return {"last": turn.last} if turn.last else {}


def _remember(turn: Turn, intent: str | None, slots: dict) -> None:
    save_conversation(turn.session, turn.key, intent, slots, now=turn.now)


def _plain(entities: dict) -> dict:
    """Entities as JSON values: a period as its dates and label."""
    return {
        key: {"period": value.to_dict()} if isinstance(value, Period) else value
        for key, value in entities.items()
    }


def _arguments(entities: dict) -> dict:
    """Stored entities back as tool arguments: periods as ``Period`` again."""
    return {key: _argument(value) for key, value in entities.items()}


def _argument(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"period"}:
        period = value["period"]
        return Period(
            dt.date.fromisoformat(period["start"]),
            dt.date.fromisoformat(period["end"]),
            period["label"],
        )
    return value
