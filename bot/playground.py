"""The local playground: a page that behaves like a Slack channel with the bot.

Without Slack credentials ``quotebot serve`` answers here instead. Messages go
through ``bot.dialogue.converse`` as Slack messages do, one conversation per
browser tab (the page sends its id), and replies are rendered to the same
Block Kit as in Slack; the page draws the blocks. Routes:

- ``GET /`` the page, ``GET /playground/static/...`` its script and styles;
- ``GET /playground/reps`` whom one may ask as;
- ``POST /playground/ask`` a message, answered as a bot message;
- ``POST /playground/action`` a button press: an answer to post, a quote
  card to replace in place (as ``chat.update`` does), a form to ``open`` (as
  ``views.open`` does), or a sentence only the clicker sees;
- ``GET /playground/options`` what a form's search-as-you-type picker offers,
  and ``POST /playground/view`` a submitted form (the quote card's Edit);
- ``GET /playground/charts/{id}.png`` a chart drawn for an answer;
- ``GET /playground/quotes/{number}.pdf`` a quote's PDF, for the PDF button.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, FastAPI, HTTPException, Response
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.answer import audit, run_intent
from bot.dialogue import ConversationKey, converse
from bot.render.limits import MESSAGE_TEXT_MAX, cut_text, fit_message, fit_view
from bot.render.quote_card import card_blocks, card_text
from bot.render.quote_form import CUSTOMER, EDIT, PRODUCT, edit_view
from bot.slack.delivery import SORRY, answer_message
from bot.slack.quote_form_input import read_form
from bot.slack.quote_modal import customer_options, product_options
from storage.db import session_scope
from storage.models import SalesRep
from tools.errors import ToolError
from tools.people import Requester, requester_by_email
from tools.quote_actions import (
    discard_draft,
    mark_sent,
    quote_card,
    record_outcome,
    revise_draft,
)
from tools.results import ToolResult

logger = logging.getLogger(__name__)

STATIC = Path(__file__).with_name("static")
PAGE = STATIC / "playground.html"
CHANNEL = "playground"
HERE = {"surface": "playground"}
QUOTE_BUTTONS = ("quote_sent", "quote_discard", "quote_won", "quote_lost")

KEPT_CHARTS = 64
"""Charts kept for the page to load; older ones are dropped first."""

Message = dict[str, Any]


class ChartShelf:
    """The newest charts' PNG bytes by a random id, for image blocks to point at."""

    def __init__(self, size: int = KEPT_CHARTS):
        self.size = size
        self._charts: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, png: bytes) -> str:
        chart_id = secrets.token_urlsafe(12)
        with self._lock:
            self._charts[chart_id] = png
            while len(self._charts) > self.size:
                self._charts.popitem(last=False)
        return chart_id

    def get(self, chart_id: str) -> bytes | None:
        with self._lock:
            return self._charts.get(chart_id)


class Question(BaseModel):
    text: str = Field(min_length=1, max_length=4000)
    user: str
    conversation: str = Field(default="default", pattern=r"^[A-Za-z0-9_-]{1,32}$")


class Submission(BaseModel):
    """A form as Slack submits it: its ``callback_id``, metadata and state values."""

    callback_id: str
    private_metadata: str = ""
    values: dict[str, dict[str, dict[str, Any]]]
    user: str


class Press(BaseModel):
    action_id: str = Field(min_length=1, max_length=255)
    value: str = Field(default="", max_length=2000)
    user: str
    conversation: str = Field(default="default", pattern=r"^[A-Za-z0-9_-]{1,32}$")
    message_id: str | None = None


def mount_playground(server: FastAPI, database_url: str) -> None:
    """Add the playground's page and routes to ``server``."""
    router = APIRouter()
    charts = ChartShelf()

    @router.get("/", response_class=HTMLResponse)
    def page() -> str:
        return PAGE.read_text(encoding="utf-8")

    @router.get("/playground/reps")
    def reps() -> list[dict]:
        with session_scope(database_url) as session:
            return list_reps(session)

    @router.post("/playground/ask")
    def ask(question: Question) -> Message:
        return _as_http(
            lambda session: ask_bot(session, question, charts), database_url
        )

    @router.post("/playground/action")
    def action(press: Press) -> dict:
        return _as_http(
            lambda session: press_button(session, press, charts), database_url
        )

    @router.get("/playground/options")
    def options(action_id: str, value: str, user: str) -> dict:
        return _as_http(
            lambda session: form_options(session, user, action_id, value), database_url
        )

    @router.post("/playground/view")
    def view(submission: Submission) -> dict:
        return _as_http(lambda session: submit_form(session, submission), database_url)

    @router.get("/playground/charts/{chart_id}.png")
    def chart(chart_id: str) -> Response:
        png = charts.get(chart_id)
        if png is None:
            raise HTTPException(404, "That chart is gone; ask the question again.")
        return Response(png, media_type="image/png")

    @router.get("/playground/quotes/{quote_number}.pdf")
    def quote_pdf(quote_number: str, user: str) -> Response:
        content = _as_http(
            lambda session: pdf_bytes(session, user, quote_number), database_url
        )
        disposition = f'attachment; filename="{quote_number}.pdf"'
        return Response(
            content,
            media_type="application/pdf",
            headers={"Content-Disposition": disposition},
        )

    server.include_router(router)
    server.mount("/playground/static", StaticFiles(directory=STATIC), name="static")


def list_reps(session: Session) -> list[dict]:
    """Everyone one may ask as, managers first, then by name."""
    rows = session.scalars(select(SalesRep).order_by(SalesRep.role, SalesRep.name))
    return [
        {"email": rep.email, "name": rep.name, "role": rep.role, "team": rep.team}
        for rep in sorted(rows, key=lambda rep: (rep.role != "manager", rep.name))
    ]


def ask_bot(session: Session, question: Question, charts: ChartShelf) -> Message:
    """Answer a typed message as the next message of the tab's conversation."""
    requester = requester_by_email(session, question.user)
    key = ConversationKey(CHANNEL, f"rep-{requester.rep_id}", question.conversation)
    result = converse(session, requester, question.text, key, surface="playground")
    return result_message(session, requester, result, charts)


def press_button(session: Session, press: Press, charts: ChartShelf) -> dict:
    """What a button press does: ``post`` a new message and/or ``replace`` its own.

    Refusals and "already done" come back as an ephemeral ``post`` (seen by
    the clicker only), as Slack would show them.
    """
    requester = requester_by_email(session, press.user)
    name = press.action_id.split(":", 1)[0]
    try:
        if name in QUOTE_BUTTONS:
            return _quote_button(session, requester, name, press.value)
        if name == "quote_pdf":
            return {"post": _pdf_message(session, requester, press)}
        if name == "quote_edit":
            return {"open": _edit_form(session, requester, press)}
        if name == "churn_explain" or name.startswith("clarify_"):
            answer = _answer_button(session, requester, name, press.value)
            return {"post": result_message(session, requester, answer, charts)}
    except ToolError as error:
        return {"post": _ephemeral(str(error))}
    raise HTTPException(400, f"The button {press.action_id!r} does nothing here.")


def form_options(session: Session, user: str, action_id: str, typed: str) -> dict:
    """The options a form's picker shows for what was typed, as Slack asks for them."""
    requester = requester_by_email(session, user)
    if action_id == CUSTOMER:
        return {"options": customer_options(session, requester, typed)}
    if action_id == PRODUCT:
        return {"options": product_options(session, typed)}
    raise HTTPException(400, f"The picker {action_id!r} has no options here.")


def submit_form(session: Session, submission: Submission) -> dict:
    """Save the quote card's edit form: ``errors`` by field, or the card refreshed."""
    requester = requester_by_email(session, submission.user)
    if submission.callback_id != EDIT:
        raise HTTPException(400, "That form can only be used in Slack.")
    form, errors = read_form(submission.values, requester.role)
    if errors:
        return {"errors": errors}

    number = json.loads(submission.private_metadata)["quote_number"]
    try:
        change = revise_draft(
            session, requester, number, form.items, form.discount_pct, **HERE
        )
    except ToolError as error:
        return {"post": _ephemeral(str(error))}
    reply = {"replace": _card_message(session, requester, number)}
    if not change.changed:
        reply["post"] = _ephemeral(change.message)
    return reply


def result_message(
    session: Session, requester: Requester, result: ToolResult, charts: ChartShelf
) -> Message:
    """A tool's answer as a bot message; a new draft shows as its quote card.

    The blocks are the ones Slack gets (``bot.slack.delivery``), and the chart
    follows them as an image block, where Slack shows the uploaded PNG.
    """
    number = result.data.get("quote_number")
    if result.intent == "draft_quote" and number:
        return _card_message(session, requester, number)
    message = answer_message(result)
    if result.chart is not None:
        message["blocks"].append(_chart_image(result.chart, charts))
    return message


def pdf_bytes(session: Session, user: str, quote_number: str) -> bytes:
    """The quote's PDF, for someone who may see the quote."""
    from bot.render.pdf import quote_pdf

    requester = requester_by_email(session, user)
    return quote_pdf(quote_card(session, requester, quote_number))


def _answer_button(session, requester: Requester, name: str, value: str):
    if name == "churn_explain":
        intent, entities = "churn_explain", {"customer": value}
    else:
        intent, entities = value, {}
    result = run_intent(session, requester, intent, entities)
    audit(session, requester, "playground-button", intent, result)
    return result


def _quote_button(session, requester: Requester, name: str, number: str) -> dict:
    acts = {
        "quote_sent": lambda: mark_sent(session, requester, number, **HERE),
        "quote_discard": lambda: discard_draft(session, requester, number, **HERE),
        "quote_won": lambda: record_outcome(session, requester, number, True, **HERE),
        "quote_lost": lambda: record_outcome(session, requester, number, False, **HERE),
    }
    change = acts[name]()

    reply = {"replace": _card_message(session, requester, number)}
    if not change.changed:
        reply["post"] = _ephemeral(change.message)
    return reply


def _card_message(session, requester: Requester, number: str) -> Message:
    card = quote_card(session, requester, number)
    return _fit({"text": card_text(card), "blocks": card_blocks(card)})


def _edit_form(session, requester: Requester, press: Press) -> dict:
    """The quote form Slack's Edit opens, for the card the button is on."""
    card = quote_card(session, requester, press.value)
    return fit_view(edit_view(card, CHANNEL, press.message_id or ""))


def _pdf_message(session, requester: Requester, press: Press) -> Message:
    """A file message with a download button, like a PDF uploaded to the thread."""
    card = quote_card(session, requester, press.value)
    query = urlencode({"user": requester.email})
    url = f"/playground/quotes/{quote(card.quote_number)}.pdf?{query}"
    name = f"{card.quote_number}.pdf"
    blocks = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": f":page_facing_up: *{name}*\nQuote for {card.customer}",
            },
            "accessory": {
                "type": "button",
                "text": {"type": "plain_text", "text": "Download PDF"},
                "action_id": "download_pdf",
                "url": url,
            },
        }
    ]
    return {"text": f"{name} for {card.customer}", "blocks": blocks}


def _ephemeral(sentence: str) -> Message:
    block = {"type": "section", "text": {"type": "mrkdwn", "text": sentence}}
    return {"text": sentence, "blocks": [block], "ephemeral": True}


def _fit(message: Message) -> Message:
    """Keep a message inside Slack's limits, as Slack replies are kept."""
    text = cut_text(message["text"], MESSAGE_TEXT_MAX)
    return message | {"text": text, "blocks": fit_message(message["blocks"])}


def _chart_image(chart, charts: ChartShelf) -> dict:
    """An image block pointing at the chart drawn for this answer."""
    from bot.render.charts import render_chart

    chart_id = charts.put(render_chart(chart))
    return {
        "type": "image",
        "image_url": f"/playground/charts/{chart_id}.png",
        "alt_text": chart.alt_text,
        "title": {"type": "plain_text", "text": chart.title},
    }


def _as_http(work, database_url: str):
    """Run ``work`` in a session; a refusal is a 403 with its sentence."""
    try:
        with session_scope(database_url) as session:
            return work(session)
    except ToolError as error:
        raise HTTPException(status_code=403, detail=str(error)) from error
    except HTTPException:
        raise
    except Exception as error:
        logger.exception("the playground failed to answer")
        raise HTTPException(status_code=500, detail=SORRY) from error
