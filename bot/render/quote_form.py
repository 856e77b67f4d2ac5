"""The quote form as Block Kit: the new-quote and edit-draft modals.

Pure view building, no store and no Slack calls. The customer and product
pickers are ``external_select`` elements that search as the person types
(``bot.slack.quote_modal`` answers them); the view's ``private_metadata``
keeps where the card goes (and, for an edit, which card to refresh).
Block ids ``customer``, ``line_<n>_product``, ``line_<n>_quantity`` and
``discount`` are what ``bot.slack.quote_form_input.read_form`` reads back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.render.limits import OPTION_TEXT_MAX, VIEW_BLOCKS_MAX, VIEW_TITLE_MAX
from tools.errors import ToolError
from tools.quote_actions import QuoteCard

NEW = "quote_new"
EDIT = "quote_edit"
CUSTOMER = "quote_customer"
PRODUCT = "quote_product"
QUANTITY = "quote_quantity"
DISCOUNT = "quote_discount"
LINES = 3
MAX_LINES = (VIEW_BLOCKS_MAX - 10) // 2
"""Product rows a form holds: two blocks each, inside a modal's 100 blocks."""


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


def new_view(channel: str, prefill: Prefill | None = None) -> dict:
    """The new-quote modal, filled in with ``prefill``; the card goes to ``channel``."""
    prefill = prefill or Prefill()
    blocks = [_customer_block(prefill)]
    blocks += _line_blocks(prefill.lines, LINES)
    blocks.append(_discount_block(prefill.discount_pct))
    return _modal(NEW, "New quote", "Create draft", {"channel": channel}, blocks)


def edit_view(
    card: QuoteCard, channel: str, message_ts: str, response_url: str | None = None
) -> dict:
    """The modal that changes a draft's lines and discount; its customer stays.

    ``response_url`` is the card's own (from the Edit button), kept so the
    card can be refreshed where the bot cannot ``chat.update`` it. A draft
    with more lines than the form holds is refused (``ToolError``) rather
    than shown in part, since saving the form replaces every line.
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
    if response_url:
        metadata["response_url"] = response_url
    title = f"Edit {card.quote_number}"
    title = title if len(title) <= VIEW_TITLE_MAX else "Edit quote"
    return _modal(EDIT, title, "Save changes", metadata, blocks)


def customer_option(name: str, customer_id: int) -> dict:
    """A customer picker's option: the account's name, its id as the value."""
    return _option(name, str(customer_id))


def product_option(name: str, sku: str) -> dict:
    """A product picker's option: the name cut to fit, then its SKU in full."""
    room = OPTION_TEXT_MAX - len(sku) - 3
    if len(name) > room:
        name = name[: max(room - 1, 1)] + "…"
    return _option(f"{name} ({sku})", sku)


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
        element["initial_option"] = customer_option(
            prefill.customer, prefill.customer_id
        )
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
        product["initial_option"] = product_option(line.product, line.sku)
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
