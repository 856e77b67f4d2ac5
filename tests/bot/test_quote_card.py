"""Quote cards: what they show, which buttons each status offers, and Slack's limits."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from bot.render.limits import violations
from bot.render.quote_card import card_blocks, card_text
from tools.quote_actions import QuoteCard, QuoteLine


def line(number: int = 1, quantity: int = 2, price: str = "2400") -> QuoteLine:
    return QuoteLine(
        product=f"Gateway Hub {number}",
        sku=f"HW-GWH-{number:03d}",
        quantity=quantity,
        unit_price=Decimal(price),
        line_total=Decimal(price) * quantity,
    )


def a_card(**changes) -> QuoteCard:
    card = QuoteCard(
        quote_number="Q-2026-0042",
        customer="Acme Corp",
        rep="Alex Rivera",
        status="draft",
        currency="USD",
        created_at=dt.datetime(2026, 12, 4, 9, 30),
        valid_until=dt.date(2027, 1, 3),
        lines=(line(1), line(2, 3, "1200")),
        subtotal=Decimal("8400.00"),
        discount_pct=Decimal("10.00"),
        total=Decimal("7560.00"),
        suggestion="Suggest 5% off: quotes at 5% were accepted 46 of 77 times.",
        warning=None,
        checked=True,
    )
    return dataclasses.replace(card, **changes)


def text_of(blocks: list[dict]) -> str:
    parts = []
    for block in blocks:
        parts.append(str(block.get("text", {}).get("text", "")))
        parts += [field["text"] for field in block.get("fields", [])]
        parts += [e.get("text", "") for e in block.get("elements", []) if "type" in e]
    return "\n".join(str(part) for part in parts)


def buttons(blocks: list[dict]) -> list[dict]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


@pytest.mark.parametrize(
    ("status", "action_ids"),
    [
        ("draft", ["quote_sent", "quote_edit", "quote_pdf", "quote_discard"]),
        ("sent", ["quote_won", "quote_lost", "quote_pdf"]),
        ("accepted", ["quote_pdf"]),
        ("rejected", ["quote_pdf"]),
        ("cancelled", ["quote_pdf"]),
    ],
)
def test_each_status_offers_its_own_buttons_valued_with_the_quote_number(
    status, action_ids
):
    shown = buttons(card_blocks(a_card(status=status)))

    assert [button["action_id"] for button in shown] == action_ids
    assert {button["value"] for button in shown} == {"Q-2026-0042"}


def test_discarding_asks_for_confirmation_first():
    discard = buttons(card_blocks(a_card()))[-1]

    assert discard["confirm"]["title"]["text"] == "Discard Q-2026-0042?"
    assert discard["style"] == "danger"


def test_a_draft_card_shows_lines_totals_suggestion_and_who_made_it():
    blocks = card_blocks(a_card())
    text = text_of(blocks)

    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Q-2026-0042 · Acme Corp"},
    }
    assert "• 2 × Gateway Hub 1 at $2,400.00 = *$4,800.00*" in text
    assert "Discount: 10% (−$840.00)" in text
    assert "*Total: $7,560.00*" in text
    assert ":bulb: Suggest 5% off" in text
    assert "Draft by Alex Rivera, created 4 Dec 2026." in text
    assert ":warning:" not in text


def test_a_quote_that_stands_out_carries_the_warning():
    warning = "This quote is unusual: 28.8 times Acme Corp's usual quote ($75k)."

    text = text_of(card_blocks(a_card(warning=warning)))

    assert f":warning: {warning}" in text


def test_an_unchecked_draft_says_why_it_was_not_checked():
    text = text_of(card_blocks(a_card(checked=False, suggestion=None)))

    assert "no anomaly model is trained yet" in text
    assert ":bulb:" not in text


def test_a_sent_card_says_who_marked_it_sent_and_when():
    note = "by Dana Whitfield on 4 Dec 2026 at 10:05 UTC"

    text = text_of(card_blocks(a_card(status="sent", status_note=note)))

    assert f"Marked sent {note}." in text


def test_many_lines_are_cut_with_and_n_more_and_stay_within_slack_limits():
    lines = tuple(line(number) for number in range(1, 41))
    card = a_card(lines=lines, customer="A" * 300, suggestion="x" * 5000)

    blocks = card_blocks(card)

    assert "…and 25 more lines" in text_of(blocks)
    assert "Gateway Hub 15 " in text_of(blocks)
    assert "Gateway Hub 16 " not in text_of(blocks)
    assert violations(blocks) == []


def test_the_notification_text_names_the_quote_customer_and_total():
    assert card_text(a_card(status="sent")) == (
        "Sent quote Q-2026-0042 for Acme Corp: 2 lines, total $7,560.00."
    )
