"""A quote as a Block Kit card: what it holds, what stands out, what to do next.

The card reads top to bottom as a rep checks a quote: who it is for, its
lines (the first ``MAX_LINES``, then "and N more"), the totals, the discount
pricing suggests, any warning, where it stands, and the buttons its status
allows. Every button's ``value`` is the quote number; its ``action_id`` says
the action (``quote_sent``, ``quote_edit``, ``quote_pdf``, ``quote_discard``,
``quote_won``, ``quote_lost``), so one listener per action serves every card.
"""

from __future__ import annotations

from bot.render.kit import Block, button, context, header, section
from bot.render.limits import SECTION_TEXT_MAX, cut_text
from storage.models import QuoteStatus
from tools.money import exact_money
from tools.quote_actions import QuoteCard, QuoteLine

MAX_LINES = 15
STATUS_LABELS = {
    QuoteStatus.DRAFT: "Draft",
    QuoteStatus.SENT: "Sent",
    QuoteStatus.ACCEPTED: "Won",
    QuoteStatus.REJECTED: "Lost",
    QuoteStatus.EXPIRED: "Expired",
    QuoteStatus.CANCELLED: "Discarded",
}
STATUS_DONE = {
    QuoteStatus.SENT: "Marked sent",
    QuoteStatus.ACCEPTED: "Marked won",
    QuoteStatus.REJECTED: "Marked lost",
    QuoteStatus.CANCELLED: "Discarded",
}
NOT_CHECKED = (
    "Not checked against usual quotes: no anomaly model is trained yet "
    "(run `quotebot train`)."
)


def card_blocks(card: QuoteCard) -> list[Block]:
    """The card's blocks; a closed quote keeps only its PDF button."""
    blocks = [
        header(f"{card.quote_number} · {card.customer}"),
        _fields(card),
        section(_lines_text(card)),
        section(_totals_text(card)),
    ]
    blocks += _notes(card)
    blocks.append(context(_status_text(card)))
    blocks.append(_actions(card))
    return blocks


def card_text(card: QuoteCard) -> str:
    """The notification text: quote, customer, total and status in one line."""
    count = len(card.lines)
    return (
        f"{STATUS_LABELS.get(card.status, card.status)} quote {card.quote_number} "
        f"for {card.customer}: {count} line{'s' if count != 1 else ''}, total "
        f"{exact_money(card.total, card.currency)}."
    )


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.capitalize())


def _fields(card: QuoteCard) -> Block:
    valid = f"{card.valid_until:%-d %b %Y}" if card.valid_until else "not set"
    fields = [
        ("Rep", card.rep or "unassigned"),
        ("Status", status_label(card.status)),
        ("Created", f"{card.created_at:%-d %b %Y}"),
        ("Valid until", valid),
    ]
    return {
        "type": "section",
        "fields": [{"type": "mrkdwn", "text": f"*{k}*\n{v}"} for k, v in fields],
    }


def _lines_text(card: QuoteCard) -> str:
    shown = [_line_text(card, line) for line in card.lines[:MAX_LINES]]
    hidden = len(card.lines) - len(shown)
    more = f"\n…and {hidden} more line{'s' if hidden != 1 else ''}" if hidden else ""
    text = "\n".join(shown) if shown else "_No lines._"
    return cut_text(text, SECTION_TEXT_MAX - len(more)) + more


def _line_text(card: QuoteCard, line: QuoteLine) -> str:
    price = exact_money(line.unit_price, card.currency)
    total = exact_money(line.line_total, card.currency)
    return f"• {line.quantity:,} × {line.product} at {price} = *{total}*"


def _totals_text(card: QuoteCard) -> str:
    rows = [f"Subtotal: {exact_money(card.subtotal, card.currency)}"]
    if card.discount_pct:
        off = exact_money(card.subtotal - card.total, card.currency)
        rows.append(f"Discount: {float(card.discount_pct):g}% (−{off})")
    rows.append(f"*Total: {exact_money(card.total, card.currency)}*")
    return "\n".join(rows)


def _notes(card: QuoteCard) -> list[Block]:
    blocks = []
    if card.suggestion:
        blocks.append(context(f":bulb: {card.suggestion}"))
    if card.warning:
        blocks.append(section(f":warning: {card.warning}"))
    elif not card.checked and card.status == QuoteStatus.DRAFT:
        blocks.append(context(NOT_CHECKED))
    return blocks


def _status_text(card: QuoteCard) -> str:
    done = STATUS_DONE.get(card.status)
    if done and card.status_note:
        return f"{done} {card.status_note}."
    by = f" by {card.rep}" if card.rep else ""
    created = f"{card.created_at:%-d %b %Y}"
    return f"{status_label(card.status)}{by}, created {created}."


def _actions(card: QuoteCard) -> Block:
    number = card.quote_number
    if card.status == QuoteStatus.DRAFT:
        buttons = [
            button("Mark sent", "quote_sent", number, "primary"),
            button("Edit", "quote_edit", number),
            button("PDF", "quote_pdf", number),
            button("Discard", "quote_discard", number, "danger") | _confirm(number),
        ]
    elif card.status == QuoteStatus.SENT:
        buttons = [
            button("Won", "quote_won", number, "primary"),
            button("Lost", "quote_lost", number),
            button("PDF", "quote_pdf", number),
        ]
    else:
        buttons = [button("PDF", "quote_pdf", number)]
    return {"type": "actions", "block_id": "quote_actions", "elements": buttons}


def _confirm(number: str) -> Block:
    return {
        "confirm": {
            "title": {"type": "plain_text", "text": f"Discard {number}?"},
            "text": {
                "type": "plain_text",
                "text": "The draft is kept for the record but counts nowhere, "
                "and it cannot be sent or changed again.",
            },
            "confirm": {"type": "plain_text", "text": "Discard"},
            "deny": {"type": "plain_text", "text": "Keep it"},
            "style": "danger",
        }
    }
