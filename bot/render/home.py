"""The App Home tab as a Block Kit view, built from plain values.

``home_view`` lays out what ``bot.slack.home`` gathered: the rep's at-risk
accounts with a "Why?" button each (the same ``churn_explain:`` action the
answers carry), their open quotes and the latest forecast served, then when
it was refreshed. Nothing here talks to Slack or the store, so the layout is
tested as data; ``bot.render.limits.fit_view`` keeps it within Slack's limits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bot.render.limits import (
    BUTTON_VALUE_MAX,
    HEADER_TEXT_MAX,
    SECTION_TEXT_MAX,
    cut_text,
    fit_view,
)
from tools.results import ToolResult

Block = dict[str, Any]
AT_RISK_SHOWN = 5
QUOTES_SHOWN = 5


@dataclass(frozen=True)
class OpenQuotes:
    """The open quotes of the accounts in scope: a sentence and the newest few."""

    summary: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class HomeContent:
    """What the Home tab shows one person, as read from the store."""

    name: str
    at_risk: ToolResult
    open_quotes: OpenQuotes
    forecast: str
    updated_at: dt.datetime


def home_view(content: HomeContent) -> dict:
    """The Home view: header, at-risk accounts, open quotes, forecast, update time."""
    first_name = content.name.split()[0]
    blocks = [_header(f"Hi {first_name}, here is your book today")]
    blocks += _at_risk_blocks(content.at_risk)
    blocks += _quote_blocks(content.open_quotes)
    blocks += [_divider(), _section("*Latest forecast*\n" + content.forecast)]
    blocks.append(_context(f"Updated {content.updated_at:%H:%M} UTC"))
    return fit_view({"type": "home", "blocks": blocks})


def unlinked_home_view(message: str, updated_at: dt.datetime) -> dict:
    """The Home of a Slack user who is not a rep: how to get linked."""
    return {
        "type": "home",
        "blocks": [
            _header("Quote Builder Pro"),
            _section(
                "I answer sales questions from your team's quotes, but I don't "
                f"know which rep you are yet. {message}"
            ),
            _context(f"Updated {updated_at:%H:%M} UTC"),
        ],
    }


def _at_risk_blocks(result: ToolResult) -> list[Block]:
    blocks = [_divider(), _section("*At-risk accounts*\n" + result.summary)]
    for index, row in enumerate(result.rows[:AT_RISK_SHOWN]):
        text = f"*{row['customer']}* · {row['risk']}\n{row['reason']}"
        blocks.append(_section(text) | {"accessory": _why_button(index, row)})
    return blocks


def _why_button(index: int, row: dict) -> Block:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": "Why?"},
        "action_id": f"churn_explain:{index}",
        "value": cut_text(row["customer"], BUTTON_VALUE_MAX),
    }


def _quote_blocks(quotes: OpenQuotes) -> list[Block]:
    blocks = [_divider(), _section("*Open quotes*\n" + quotes.summary)]
    if quotes.lines:
        blocks.append(_section("\n".join(quotes.lines[:QUOTES_SHOWN])))
    return blocks


def _header(text: str) -> Block:
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": cut_text(text, HEADER_TEXT_MAX)},
    }


def _section(text: str) -> Block:
    return {
        "type": "section",
        "text": {"type": "mrkdwn", "text": cut_text(text, SECTION_TEXT_MAX)},
    }


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _divider() -> Block:
    return {"type": "divider"}
