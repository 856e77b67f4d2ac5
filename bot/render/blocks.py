"""Block Kit rendering, kept inside the limits Slack enforces (``limits``).

One section per row as far as the block budget goes; the rest are counted in
an "and N more" line.
"""

from __future__ import annotations

from typing import Any

from bot.render.kit import Block, button, context, section
from bot.render.limits import (
    ACTIONS_ELEMENTS_MAX,
    MESSAGE_BLOCKS_MAX,
    SECTION_TEXT_MAX,
    cut_text,
)
from tools.results import ToolResult

ROW_BLOCK_BUDGET = MESSAGE_BLOCKS_MAX - 6
"""Blocks left for rows beside the summary, "and N more", a chart's table, notes,
buttons and tips."""


def to_blocks(result: ToolResult) -> list[Block]:
    """Summary, one section per row, notes as context, then buttons."""
    blocks = [section(result.summary)]
    blocks += _row_blocks(result)
    if result.notes:
        blocks.append(context(*result.notes))
    if result.actions:
        blocks.append(_actions(result))
    if result.follow_ups:
        blocks.append(context(*[f"Try: _{q}_" for q in result.follow_ups[:3]]))
    return blocks[:MESSAGE_BLOCKS_MAX]


def fallback_text(result: ToolResult) -> str:
    """The notification text Slack shows where blocks cannot be shown."""
    return cut_text(result.summary, SECTION_TEXT_MAX)


def _row_blocks(result: ToolResult) -> list[Block]:
    rows = list(result.rows)
    shown = rows[:ROW_BLOCK_BUDGET]
    blocks = [section(_row_text(result, row)) for row in shown]
    if len(rows) > len(shown):
        blocks.append(context(f"…and {len(rows) - len(shown)} more"))
    return blocks


def _row_text(result: ToolResult, row: dict[str, Any]) -> str:
    keys = [column.key for column in result.columns]
    if keys[:2] == ["rank", "customer"]:
        head = f"*{row['rank']}. {row['customer']}*"
        rest = [f"{c.title}: {row[c.key]}" for c in result.columns[2:]]
        return head + "\n" + "  ·  ".join(rest)
    return "\n".join(f"*{c.title}:* {row[c.key]}" for c in result.columns)


def _actions(result: ToolResult) -> Block:
    buttons = [
        button(action.label, f"{action.action_id}:{index}", action.value)
        for index, action in enumerate(result.actions[:ACTIONS_ELEMENTS_MAX])
    ]
    return {"type": "actions", "elements": buttons}
