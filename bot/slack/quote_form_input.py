"""Reading a submitted quote form: its values, and a sentence per field at fault.

``read_form`` turns a view's ``state.values`` (as Slack submits it, and as
the playground's form sends it) into a ``QuoteForm``. It needs no store, so
it is cheap enough for the ack of a ``view_submission``, where its errors
show under their own fields. The discount a person may give depends on
their role (``tools.pricing.MAX_DISCOUNT_PCT``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bot.render.quote_form import CUSTOMER, DISCOUNT, PRODUCT, QUANTITY
from tools.pricing import MAX_DISCOUNT_PCT, ROLE_NAMES

LINE_BLOCK = re.compile(r"^line_(\d+)_product$")


@dataclass(frozen=True)
class QuoteForm:
    """A submitted form: the customer's id, ``(sku, quantity)`` lines, discount.

    ``discount_pct`` is 0.0 when the field was left empty (list price).
    """

    customer_id: int | None
    items: tuple[tuple[str, int], ...]
    discount_pct: float


def read_form(values: dict, role: str) -> tuple[QuoteForm, dict[str, str]]:
    """The form's values, and a sentence per field that is wrong (by block id).

    ``values`` is the view's ``state.values``; ``role`` sets the discount limit.
    """
    errors: dict[str, str] = {}
    customer_id = _customer_id(values, errors)
    items = _items(values, errors)
    discount = _discount(values, role, errors)
    return QuoteForm(customer_id, items, discount), errors


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
