"""Block Kit rendering, kept inside the limits Slack enforces.

Limits (https://docs.slack.dev/reference/block-kit/blocks): 50 blocks a
message, 3,000 characters a section, 75 a button label, 10 context elements,
25 elements an actions block. Lists longer than fit are cut with "and N more".
"""

from __future__ import annotations

from typing import Any

from tools.results import ToolResult

MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_BUTTON_CHARS = 75
MAX_BUTTON_VALUE_CHARS = 2000
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS = 25
ROW_BLOCK_BUDGET = MAX_BLOCKS - 6

Block = dict[str, Any]


def to_blocks(result: ToolResult) -> list[Block]:
    """Summary, one section per row, notes as context, then buttons."""
    blocks = [_section(result.summary)]
    blocks += _row_blocks(result)
    if result.notes:
        blocks.append(_context(result.notes))
    if result.actions:
        blocks.append(_actions(result))
    if result.follow_ups:
        blocks.append(_context([f"Try: _{q}_" for q in result.follow_ups[:3]]))
    return blocks[:MAX_BLOCKS]


def fallback_text(result: ToolResult) -> str:
    """The notification text Slack shows where blocks cannot be shown."""
    return truncate(result.summary, MAX_SECTION_CHARS)


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _row_blocks(result: ToolResult) -> list[Block]:
    rows = list(result.rows)
    shown = rows[:ROW_BLOCK_BUDGET]
    blocks = [_section(_row_text(result, row)) for row in shown]
    if len(rows) > len(shown):
        blocks.append(_context([f"and {len(rows) - len(shown)} more"]))
    return blocks


def _row_text(result: ToolResult, row: dict[str, Any]) -> str:
    keys = [column.key for column in result.columns]
    if keys[:2] == ["rank", "customer"]:
        head = f"*{row['rank']}. {row['customer']}*"
        rest = [f"{c.title}: {row[c.key]}" for c in result.columns[2:]]
        return head + "\n" + "  ·  ".join(rest)
    return "\n".join(f"*{c.title}:* {row[c.key]}" for c in result.columns)


def _section(text: str) -> Block:
    return {
        "type": "section",
        "text": {"type": "mrkdwn", "text": truncate(text, MAX_SECTION_CHARS)},
    }


def _context(lines) -> Block:
    elements = [
        {"type": "mrkdwn", "text": truncate(line, MAX_SECTION_CHARS)}
        for line in list(lines)[:MAX_CONTEXT_ELEMENTS]
    ]
    return {"type": "context", "elements": elements}


def _actions(result: ToolResult) -> Block:
    buttons = [
        {
            "type": "button",
            "text": {"type": "plain_text", "text": truncate(a.label, MAX_BUTTON_CHARS)},
            "action_id": f"{a.action_id}:{index}",
            "value": truncate(a.value, MAX_BUTTON_VALUE_CHARS),
        }
        for index, a in enumerate(result.actions[:MAX_ACTIONS])
    ]
    return {"type": "actions", "elements": buttons}
