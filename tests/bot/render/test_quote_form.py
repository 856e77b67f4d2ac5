"""The quote form's views: what the new-quote and edit-draft modals hold."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from bot.render.quote_form import (
    EDIT,
    MAX_LINES,
    NEW,
    FormLine,
    Prefill,
    edit_view,
    new_view,
)
from tools.errors import ToolError
from tools.quote_actions import QuoteCard, QuoteLine

CHANNEL = "C0SALES"


def test_the_new_quote_form_has_a_customer_search_three_lines_and_a_discount():
    view = new_view(CHANNEL)

    block_ids = [block["block_id"] for block in view["blocks"]]
    assert view["callback_id"] == NEW
    assert json.loads(view["private_metadata"]) == {"channel": CHANNEL}
    assert block_ids == [
        "customer",
        "line_1_product",
        "line_1_quantity",
        "line_2_product",
        "line_2_quantity",
        "line_3_product",
        "line_3_quantity",
        "discount",
    ]
    customer = view["blocks"][0]["element"]
    assert customer["type"] == "external_select"
    assert 1 <= customer["min_query_length"] <= 2
    quantity = view["blocks"][2]["element"]
    assert (quantity["type"], quantity["is_decimal_allowed"]) == ("number_input", False)
    assert view["blocks"][-1]["element"]["is_decimal_allowed"] is True
    assert len(view["title"]["text"]) <= 24


def test_the_form_opens_filled_in_with_what_was_understood():
    prefill = Prefill(
        7, "Acme Corp", (FormLine("GATEWAY-HUB", "Gateway Hub", 10),), 5.0
    )

    view = new_view(CHANNEL, prefill)

    blocks = {block["block_id"]: block["element"] for block in view["blocks"]}
    assert blocks["customer"]["initial_option"]["value"] == "7"
    assert blocks["line_1_product"]["initial_option"]["value"] == "GATEWAY-HUB"
    assert blocks["line_1_quantity"]["initial_value"] == "10"
    assert "initial_option" not in blocks["line_2_product"]
    assert blocks["discount"]["initial_value"] == "5"


def test_option_texts_are_cut_to_slacks_limit_and_keep_the_sku():
    long_name = "Regency Cakestand Three Tier With Extra Long Description " * 3
    prefill = Prefill(lines=(FormLine("SKU-123", long_name, 1),))

    view = new_view(CHANNEL, prefill)

    text = view["blocks"][1]["element"]["initial_option"]["text"]["text"]
    assert len(text) <= 75
    assert text.endswith("(SKU-123)")


def a_card(lines: int) -> QuoteCard:
    return QuoteCard(
        quote_number="Q-2026-0042",
        customer="Acme Corp",
        rep="Alex Rivera",
        status="draft",
        currency="USD",
        created_at=dt.datetime(2026, 6, 30, 10),
        valid_until=dt.date(2026, 7, 30),
        lines=tuple(
            QuoteLine(f"Product {n}", f"SKU-{n}", n, Decimal(100), Decimal(100 * n))
            for n in range(1, lines + 1)
        ),
        subtotal=Decimal(1000),
        discount_pct=Decimal("7.5"),
        total=Decimal(925),
        suggestion=None,
        warning=None,
        checked=False,
    )


def test_the_edit_form_shows_the_drafts_lines_and_remembers_the_card():
    view = edit_view(a_card(4), CHANNEL, "1700000000.000100")

    blocks = {block.get("block_id"): block for block in view["blocks"]}
    assert view["callback_id"] == EDIT
    assert json.loads(view["private_metadata"]) == {
        "channel": CHANNEL,
        "ts": "1700000000.000100",
        "quote_number": "Q-2026-0042",
    }
    assert "customer" not in blocks
    assert blocks["line_4_product"]["element"]["initial_option"]["value"] == "SKU-4"
    assert blocks["line_4_quantity"]["element"]["initial_value"] == "4"
    assert "line_5_product" in blocks
    assert blocks["discount"]["element"]["initial_value"] == "7.5"
    assert len(view["title"]["text"]) <= 24


def test_a_draft_with_more_lines_than_the_form_holds_is_not_shown_in_part():
    with pytest.raises(ToolError, match="more than the quote form holds"):
        edit_view(a_card(MAX_LINES + 1), CHANNEL, "1700000000.000100")


def test_the_largest_draft_the_form_holds_fits_in_a_modal():
    view = edit_view(a_card(MAX_LINES), CHANNEL, "1700000000.000100")

    assert len(view["blocks"]) <= 100
    assert view["blocks"][-2]["block_id"] == f"line_{MAX_LINES}_quantity"


def test_the_edit_form_keeps_the_cards_response_url_when_it_has_one():
    url = "https://hooks.slack.com/actions/T1/1/x"

    view = edit_view(a_card(1), CHANNEL, "1700000000.000100", url)

    assert json.loads(view["private_metadata"])["response_url"] == url
