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

from bot.render.kit import Block, button, context, divider, header, section
from bot.render.limits import fit_view
from tools.results import ToolResult

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
    blocks = [header(f"Hi {first_name}, here is your book today")]
    blocks += _at_risk_blocks(content.at_risk)
    blocks += _quote_blocks(content.open_quotes)
    blocks += [divider(), section("*Latest forecast*\n" + content.forecast)]
    blocks.append(context(f"Updated {content.updated_at:%H:%M} UTC"))
    return fit_view({"type": "home", "blocks": blocks})


def unlinked_home_view(message: str, updated_at: dt.datetime) -> dict:
    """The Home of a Slack user who is not a rep: how to get linked."""
    return {
        "type": "home",
        "blocks": [
            header("Quote Builder Pro"),
            section(
                "I answer sales questions from your team's quotes, but I don't "
                f"know which rep you are yet. {message}"
            ),
            context(f"Updated {updated_at:%H:%M} UTC"),
        ],
    }


def _at_risk_blocks(result: ToolResult) -> list[Block]:
    blocks = [divider(), section("*At-risk accounts*\n" + result.summary)]
    for index, row in enumerate(result.rows[:AT_RISK_SHOWN]):
        text = f"*{row['customer']}* · {row['risk']}\n{row['reason']}"
        why = button("Why?", f"churn_explain:{index}", row["customer"])
        blocks.append(section(text) | {"accessory": why})
    return blocks


def _quote_blocks(quotes: OpenQuotes) -> list[Block]:
    blocks = [divider(), section("*Open quotes*\n" + quotes.summary)]
    if quotes.lines:
        blocks.append(section("\n".join(quotes.lines[:QUOTES_SHOWN])))
    return blocks
