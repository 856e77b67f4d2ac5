"""A chart's data as a small monospace table, for search and screen readers.

The image carries the picture; this table, sent in the message beside it,
carries the numbers, so a chart can be found by what it shows and read
without seeing it.
"""

from __future__ import annotations

from statistics import median

from bot.render.limits import FENCE
from tools.results import Chart

LABEL_WIDTH = 32


def chart_table(chart: Chart, limit: int) -> str | None:
    """The chart's data as a code block of at most ``limit`` characters.

    Rows that do not fit are counted in a last "…and N more" line. Returns
    None for a kind of chart with no table.
    """
    tabulate = {"bars": _bars, "forecast": _forecast, "scatter": _scatter}
    if chart.kind not in tabulate:
        return None
    header, *rows = _aligned(tabulate[chart.kind](chart.data))
    return _fit([header] if header.strip() else [], rows, limit)


def _bars(data: dict) -> list[list[str]]:
    show = _formatter(data.get("format"))
    rows = [
        [_short(str(label)), show(value)]
        for label, value in zip(data["labels"], data["values"], strict=False)
    ]
    return [["", data.get("axis_label") or ""], *rows]


def _forecast(data: dict) -> list[list[str]]:
    forecast = data["forecast"]
    rows = [
        [date, _number(yhat), f"{_number(low)} – {_number(high)}"]
        for date, yhat, low, high in zip(
            forecast["dates"],
            forecast["yhat"],
            forecast["lower_80"],
            forecast["upper_80"],
            strict=False,
        )
    ]
    return [["week", "forecast", "80% interval"], *rows]


def _scatter(data: dict) -> list[list[str]]:
    groups: dict[str, list[int]] = {}
    for index, group in enumerate(data["groups"]):
        groups.setdefault(str(group), []).append(index)
    rows = [
        [
            _short(name),
            str(len(points)),
            f"{median(data['x'][i] for i in points):,.3g}",
            _number(median(data["y"][i] for i in points)),
        ]
        for name, points in groups.items()
    ]
    header = ["", "count", f"median {data['x_label']}", f"median {data['y_label']}"]
    return [header, *rows]


def _aligned(table: list[list[str]]) -> list[str]:
    """Left-align the first column, right-align the others."""
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    return [_line(row, widths) for row in table]


def _line(row: list[str], widths: list[int]) -> str:
    label, *cells = row
    right = [cell.rjust(width) for cell, width in zip(cells, widths[1:], strict=True)]
    return "  ".join([label.ljust(widths[0]), *right]).rstrip()


def _fit(header: list[str], rows: list[str], limit: int) -> str:
    """The header and as many rows as fit in ``limit``, the rest counted."""
    lines = header + rows
    if _size(lines) <= limit:
        return _block(lines)

    room = limit - _size(header) - len(f"\n…and {len(rows)} more")
    shown = 0
    while shown < len(rows) and len(rows[shown]) + 1 <= room:
        room -= len(rows[shown]) + 1
        shown += 1

    return _block(header + rows[:shown] + [f"…and {len(rows) - shown} more"])


def _block(lines: list[str]) -> str:
    return FENCE + "\n" + "\n".join(lines) + "\n" + FENCE


def _size(lines: list[str]) -> int:
    return len(_block(lines))


def _formatter(kind: str | None):
    if kind == "percent":
        return lambda value: f"{value:.0%}"
    return _number


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:,.2f}"


def _short(label: str) -> str:
    """One line, no backticks (they would end the code block), at most 32 wide."""
    label = " ".join(label.replace("`", "'").split())
    return label if len(label) <= LABEL_WIDTH else label[: LABEL_WIDTH - 1] + "…"
