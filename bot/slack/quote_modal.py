"""The quote form: a modal that drafts a quote, or edits a draft, by picking.

``new_view`` and ``edit_view`` build the modal. Its customer and product
pickers search the store as the person types (``app.options``): a rep finds
only their own accounts, a manager the team's. A submission is checked in
the ack, so a mistake shows under its own field; a valid one is acked at
once and a lazy function writes the draft, then posts its card (or refreshes
the edited one) in the channel kept in the view's ``private_metadata``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from rapidfuzz import fuzz, process, utils
from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from bot.settings import Settings
from bot.slack.delivery import SORRY, post_ephemeral
from bot.slack.identity import requester_for
from storage.db import session_scope
from storage.models import Customer, Product
from tools.drafts import draft_quote
from tools.errors import AccessError, ToolError
from tools.people import Requester, account_scope, requester_by_slack_id
from tools.pricing import MAX_DISCOUNT_PCT, ROLE_NAMES
from tools.quote_actions import QuoteCard, quote_card, revise_draft

logger = logging.getLogger(__name__)

NEW = "quote_new"
EDIT = "quote_edit"
CUSTOMER = "quote_customer"
PRODUCT = "quote_product"
QUANTITY = "quote_quantity"
DISCOUNT = "quote_discount"
LINES = 3
MAX_LINES = 45
"""Product rows a form holds: two blocks each, inside a modal's 100 blocks."""
TITLE_MAX = 24
MAX_OPTIONS = 100
OPTION_TEXT_MAX = 75
FUZZY_CUTOFF = 70
"""A misspelt name ('inetch', 'glbex') scores 72-90 against the intended one
and at most 68 against the demo store's others."""
FUZZY_LIMIT = 10
LINE_BLOCK = re.compile(r"^line_(\d+)_product$")

T = TypeVar("T")


@dataclass(frozen=True)
class FormLine:
    """A product line as the form shows it; ``quantity`` None leaves it blank."""

    sku: str
    product: str
    quantity: int | None = None


@dataclass(frozen=True)
class Prefill:
    """What the form opens with: what a ``/quote`` text was understood to say."""

    customer_id: int | None = None
    customer: str | None = None
    lines: tuple[FormLine, ...] = ()
    discount_pct: float | None = None

    @property
    def complete(self) -> bool:
        """A customer and at least one line, each with its quantity."""
        return (
            self.customer_id is not None
            and bool(self.lines)
            and all(line.quantity for line in self.lines)
        )


@dataclass(frozen=True)
class QuoteForm:
    """A submitted form: the customer's id, ``(sku, quantity)`` lines, discount.

    ``discount_pct`` is 0.0 when the field was left empty (list price).
    """

    customer_id: int | None
    items: tuple[tuple[str, int], ...]
    discount_pct: float


def new_view(channel: str, prefill: Prefill | None = None) -> dict:
    """The new-quote modal, filled in with ``prefill``; the card goes to ``channel``."""
    prefill = prefill or Prefill()
    blocks = [_customer_block(prefill)]
    blocks += _line_blocks(prefill.lines, LINES)
    blocks.append(_discount_block(prefill.discount_pct))
    return _modal(NEW, "New quote", "Create draft", {"channel": channel}, blocks)


def edit_view(card: QuoteCard, channel: str, message_ts: str) -> dict:
    """The modal that changes a draft's lines and discount; its customer stays.

    A draft with more lines than the form holds is refused (``ToolError``)
    rather than shown in part, since saving the form replaces every line.
    """
    if len(card.lines) > MAX_LINES:
        raise ToolError(
            f"{card.quote_number} has {len(card.lines)} lines, more than the quote "
            f"form holds ({MAX_LINES}), so it cannot be edited in Slack."
        )
    lines = tuple(
        FormLine(line.sku, line.product, line.quantity) for line in card.lines
    )
    discount = float(card.discount_pct) if card.discount_pct else None
    blocks = [
        _context(f"*{card.quote_number}* for *{card.customer}*"),
        *_line_blocks(lines, len(lines) + 1),
        _discount_block(discount),
    ]
    metadata = {"channel": channel, "ts": message_ts, "quote_number": card.quote_number}
    title = f"Edit {card.quote_number}"
    title = title if len(title) <= TITLE_MAX else "Edit quote"
    return _modal(EDIT, title, "Save changes", metadata, blocks)


def discount_limit(role: str) -> float:
    """The deepest discount someone in ``role`` may give, in percent."""
    return MAX_DISCOUNT_PCT.get(role, MAX_DISCOUNT_PCT["rep"])


def limit_sentence(role: str) -> str:
    """What a person in ``role`` is told when asking for more than their limit."""
    who = ROLE_NAMES.get(role, ROLE_NAMES["rep"])
    return (
        f"{who} may give at most {discount_limit(role):g}% off; "
        "ask your manager for a deeper discount."
    )


def read_form(values: dict, role: str) -> tuple[QuoteForm, dict[str, str]]:
    """The form's values, and a sentence per field that is wrong (by block id).

    Cheap enough for the ack: no store access. ``values`` is the view's
    ``state.values``; ``role`` sets the discount limit.
    """
    errors: dict[str, str] = {}
    customer_id = _customer_id(values, errors)
    items = _items(values, errors)
    discount = _discount(values, role, errors)
    return QuoteForm(customer_id, items, discount), errors


def customer_options(session: Session, requester: Requester, typed: str) -> list[dict]:
    """The accounts the requester may quote whose names hold ``typed``.

    Names starting with the words come first; with no such name, the closest
    names by spelling, so a typo still finds the account.
    """
    scope = account_scope(session, requester, "team")
    query = select(Customer.id, Customer.name)
    if scope.rep_ids is not None:
        query = query.where(Customer.owner_rep_id.in_(scope.rep_ids))
    wanted = typed.strip().lower()
    holding = query.where(_holds(Customer.name, wanted))
    rows = _starting_first(session, holding, Customer.name, wanted)
    if not rows:
        rows = _closest(session, query, wanted)
    return [_option(name, str(id_)) for id_, name in rows]


def product_options(session: Session, typed: str) -> list[dict]:
    """Active products whose name or SKU holds ``typed``, shown with their SKU."""
    wanted = typed.strip().lower()
    query = select(Product.sku, Product.name).where(
        Product.active.is_(True),
        or_(_holds(Product.name, wanted), _holds(Product.sku, wanted)),
    )
    rows = _starting_first(session, query, Product.name, wanted)
    return [_product_option(name, sku) for sku, name in rows]


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


def as_requester(
    database_url: str,
    client: WebClient,
    channel: str,
    user: str,
    work: Callable[[Session, Requester], T],
) -> T | None:
    """``work`` done as the rep behind ``user``, in one transaction.

    A refusal (``ToolError``) is told to the person alone, as is an
    unexpected failure (logged with its traceback); both return None.
    """
    try:
        with session_scope(database_url) as session:
            return work(session, requester_for(session, client, user))
    except ToolError as error:
        post_ephemeral(client, channel, user, str(error))
    except Exception:
        logger.exception("working on a Slack request from %s failed", user)
        post_ephemeral(client, channel, user, SORRY)
    return None


def _modal(callback_id, title, submit, metadata: dict, blocks: list) -> dict:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": _plain(title),
        "submit": _plain(submit),
        "close": _plain("Cancel"),
        "private_metadata": json.dumps(metadata),
        "blocks": blocks,
    }


def _customer_block(prefill: Prefill) -> dict:
    element = _picker(CUSTOMER, "Type to search your accounts")
    if prefill.customer_id is not None:
        element["initial_option"] = _option(prefill.customer, str(prefill.customer_id))
    return _input("customer", "Customer", element)


def _line_blocks(lines: tuple[FormLine, ...], rows: int) -> list[dict]:
    rows = min(max(rows, LINES), MAX_LINES)
    blocks = []
    for number in range(1, rows + 1):
        line = lines[number - 1] if number <= len(lines) else None
        blocks += _line(number, line)
    return blocks


def _line(number: int, line: FormLine | None) -> list[dict]:
    product = _picker(PRODUCT, "Type a product name or SKU")
    quantity = {
        "type": "number_input",
        "action_id": QUANTITY,
        "is_decimal_allowed": False,
        "min_value": "1",
    }
    if line is not None:
        product["initial_option"] = _product_option(line.product, line.sku)
        if line.quantity:
            quantity["initial_value"] = str(line.quantity)
    optional = number > 1
    return [
        _input(f"line_{number}_product", f"Product {number}", product, optional),
        _input(f"line_{number}_quantity", "Quantity", quantity, optional),
    ]


def _discount_block(discount_pct: float | None) -> dict:
    element = {
        "type": "number_input",
        "action_id": DISCOUNT,
        "is_decimal_allowed": True,
        "min_value": "0",
        "max_value": "100",
    }
    if discount_pct:
        element["initial_value"] = f"{discount_pct:g}"
    block = _input("discount", "Discount (%)", element, optional=True)
    block["hint"] = _plain("Leave it empty to quote at list price.")
    return block


def _picker(action_id: str, placeholder: str) -> dict:
    return {
        "type": "external_select",
        "action_id": action_id,
        "placeholder": _plain(placeholder),
        "min_query_length": 1,
    }


def _input(block_id: str, label: str, element: dict, optional=False) -> dict:
    return {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label),
        "element": element,
        "optional": optional,
    }


def _context(markdown: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": markdown}]}


def _plain(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def _option(text: str, value: str) -> dict:
    if len(text) > OPTION_TEXT_MAX:
        text = text[: OPTION_TEXT_MAX - 1] + "…"
    return {"text": _plain(text), "value": value}


def _product_option(name: str, sku: str) -> dict:
    room = OPTION_TEXT_MAX - len(sku) - 3
    if len(name) > room:
        name = name[: max(room - 1, 1)] + "…"
    return _option(f"{name} ({sku})", sku)


def _value(values: dict, block_id: str, action_id: str) -> dict:
    return values.get(block_id, {}).get(action_id) or {}


def _customer_id(values: dict, errors: dict[str, str]) -> int | None:
    if "customer" not in values:
        return None
    selected = _value(values, "customer", CUSTOMER).get("selected_option") or {}
    if str(selected.get("value", "")).isdigit():
        return int(selected["value"])
    errors["customer"] = "Choose a customer: type part of the name to find it."
    return None


def _items(values: dict, errors: dict[str, str]) -> tuple[tuple[str, int], ...]:
    numbers = sorted(
        int(match.group(1)) for block in values if (match := LINE_BLOCK.match(block))
    )
    items: list[tuple[str, int]] = []
    first_line: dict[str, int] = {}
    for number in numbers:
        item = _item(values, number, first_line, errors)
        if item is not None:
            items.append(item)
    if not items and not errors.keys() - {"customer", "discount"}:
        errors["line_1_product"] = "Choose at least one product and how many."
    return tuple(items)


def _item(
    values: dict, number: int, first_line: dict[str, int], errors: dict[str, str]
) -> tuple[str, int] | None:
    """One line's ``(sku, quantity)``; None when empty or wrong (then noted)."""
    product_block, quantity_block = f"line_{number}_product", f"line_{number}_quantity"
    selected = _value(values, product_block, PRODUCT).get("selected_option") or {}
    sku = selected.get("value")
    typed = _value(values, quantity_block, QUANTITY).get("value")
    if not sku:
        if typed not in (None, ""):
            errors[product_block] = "Choose a product for this quantity, or clear it."
        return None
    if sku in first_line:
        errors[product_block] = (
            f"This product is already on line {first_line[sku]}; "
            "change the quantity there instead."
        )
        return None
    first_line[sku] = number
    quantity = _whole_number(typed)
    if quantity is None:
        errors[quantity_block] = "Enter how many, as a whole number of 1 or more."
        return None
    return sku, quantity


def _whole_number(typed: str | None) -> int | None:
    try:
        number = Decimal(str(typed).strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or number != number.to_integral_value() or number < 1:
        return None
    return int(number)


def _discount(values: dict, role: str, errors: dict[str, str]) -> float:
    typed = _value(values, "discount", DISCOUNT).get("value")
    if typed in (None, ""):
        return 0.0
    try:
        discount = Decimal(str(typed).strip())
    except InvalidOperation:
        discount = Decimal("NaN")
    if not discount.is_finite() or not 0 <= discount <= 100:
        errors["discount"] = "Enter a discount between 0 and 100, or leave it empty."
        return 0.0
    if discount > Decimal(str(discount_limit(role))):
        errors["discount"] = limit_sentence(role)
        return 0.0
    return float(discount)


def _holds(column, wanted: str):
    """``column`` holds ``wanted`` in any case; ``%`` and ``_`` are plain letters."""
    return func.lower(column).contains(wanted, autoescape=True)


def _starting_first(session, query, column, wanted: str) -> list:
    """The first ``MAX_OPTIONS`` rows, names starting with ``wanted`` first."""
    starts = case((func.lower(column).startswith(wanted, autoescape=True), 0), else_=1)
    return list(session.execute(query.order_by(starts, column).limit(MAX_OPTIONS)))


def _closest(session, query, wanted: str) -> list:
    rows = {name: id_ for id_, name in session.execute(query)}
    ranked = process.extract(
        wanted,
        list(rows),
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=FUZZY_LIMIT,
        score_cutoff=FUZZY_CUTOFF,
    )
    return [(rows[name], name) for name, _, _ in ranked]


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
        from bot.slack.quote_cards import post_card  # it imports this module

        post_card(client, channel, None, card)


def _save_edit(database_url: str, client: WebClient, user: str, view: dict) -> None:
    """Revise the draft from a valid edit form and refresh its card in place."""
    metadata = json.loads(view["private_metadata"])
    channel, number = metadata["channel"], metadata["quote_number"]

    def work(session: Session, requester: Requester):
        form, errors = read_form(view["state"]["values"], requester.role)
        if errors:
            return None
        before = quote_card(session, requester, number)
        items = _keeping_prices(form.items, before)
        change = revise_draft(session, requester, number, items, form.discount_pct)
        return change, quote_card(session, requester, number)

    outcome = as_requester(database_url, client, channel, user, work)
    if outcome is None:
        return
    change, card = outcome
    if not change.changed:
        post_ephemeral(client, channel, user, change.message)
        return
    from bot.slack.quote_cards import refresh_card  # it imports this module

    refresh_card(client, channel, metadata["ts"], card)


def _keeping_prices(items, card: QuoteCard) -> list[tuple[str, int, Any]]:
    """Lines already on the quote keep the unit price quoted; new ones list."""
    prices = {line.sku: line.unit_price for line in card.lines}
    return [(sku, quantity, prices.get(sku)) for sku, quantity in items]


def _customer_name(session: Session, customer_id: int | None) -> str:
    customer = session.get(Customer, customer_id) if customer_id else None
    if customer is None:
        raise ToolError("That customer is no longer in the store; open the form again.")
    return customer.name
