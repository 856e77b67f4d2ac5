"""A quote form's ``state.values`` as Slack submits them, for tests."""

from __future__ import annotations

from bot.render.quote_form import CUSTOMER, DISCOUNT, PRODUCT, QUANTITY


def option(value: str | None) -> dict | None:
    return (
        {"text": {"type": "plain_text", "text": "x"}, "value": value} if value else None
    )


def form_values(customer=None, lines=(), discount=None, with_customer=True) -> dict:
    """A view's ``state.values`` as Slack sends it for the quote form."""
    values = {}
    if with_customer:
        picked = {"type": "external_select", "selected_option": option(customer)}
        values["customer"] = {CUSTOMER: picked}
    rows = list(lines) + [(None, None)] * (3 - len(lines))
    for number, (sku, quantity) in enumerate(rows, start=1):
        values[f"line_{number}_product"] = {
            PRODUCT: {"type": "external_select", "selected_option": option(sku)}
        }
        values[f"line_{number}_quantity"] = {
            QUANTITY: {"type": "number_input", "value": quantity}
        }
    values["discount"] = {DISCOUNT: {"type": "number_input", "value": discount}}
    return values
