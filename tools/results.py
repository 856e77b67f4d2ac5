"""What every tool returns: one shape that Slack, the CLI and JSON all render."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Action:
    """A button offering the natural next step."""

    label: str
    action_id: str
    value: str = ""


@dataclass(frozen=True)
class Column:
    key: str
    title: str


@dataclass(frozen=True)
class Chart:
    """What to draw, as plain data; the bot layer renders it to an image.

    ``alt_text`` describes the chart for screen readers and search.
    """

    kind: str
    title: str
    alt_text: str
    data: dict[str, Any]


@dataclass(frozen=True)
class ToolResult:
    """A tool's answer.

    ``summary`` is one or two sentences a busy rep reads first; ``rows`` are
    the details as plain values under ``columns``; ``follow_ups`` are
    questions the person could ask next.
    """

    intent: str
    summary: str
    columns: tuple[Column, ...] = ()
    rows: tuple[dict[str, Any], ...] = ()
    notes: tuple[str, ...] = ()
    actions: tuple[Action, ...] = ()
    follow_ups: tuple[str, ...] = ()
    chart: Chart | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
