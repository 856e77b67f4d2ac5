"""The Block Kit pieces every message and view is built from.

Each builder cuts its text to the limit Slack enforces for that field, so a
caller hands over plain strings and never meets an ``invalid_blocks`` error
for a long customer name or note.
"""

from __future__ import annotations

from typing import Any

from bot.render.limits import (
    BUTTON_TEXT_MAX,
    BUTTON_VALUE_MAX,
    CONTEXT_ELEMENTS_MAX,
    HEADER_TEXT_MAX,
    SECTION_TEXT_MAX,
    cut_text,
)

Block = dict[str, Any]


def header(text: str) -> Block:
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": cut_text(text, HEADER_TEXT_MAX)},
    }


def section(text: str) -> Block:
    return {
        "type": "section",
        "text": {"type": "mrkdwn", "text": cut_text(text, SECTION_TEXT_MAX)},
    }


def context(*lines: str) -> Block:
    """Small grey text, one element a line, as many lines as Slack shows."""
    elements = [
        {"type": "mrkdwn", "text": cut_text(line, SECTION_TEXT_MAX)}
        for line in lines[:CONTEXT_ELEMENTS_MAX]
    ]
    return {"type": "context", "elements": elements}


def divider() -> Block:
    return {"type": "divider"}


def button(label: str, action_id: str, value: str, style: str | None = None) -> Block:
    """A button whose ``value`` comes back to the listener for ``action_id``."""
    block = {
        "type": "button",
        "text": {"type": "plain_text", "text": cut_text(label, BUTTON_TEXT_MAX)},
        "action_id": action_id,
        "value": cut_text(value, BUTTON_VALUE_MAX),
    }
    if style:
        block["style"] = style
    return block
