"""Plain-text rendering for the terminal."""

from __future__ import annotations

from tools.results import ToolResult


def to_text(result: ToolResult) -> str:
    """Summary, an aligned table of rows, then notes and suggestions."""
    parts = [result.summary]
    if result.rows:
        parts.append(_table(result))
    parts += list(result.notes)
    if result.actions:
        parts.append(
            "Options: " + " | ".join(action.label for action in result.actions)
        )
    if result.follow_ups:
        parts.append("Try: " + " · ".join(f'"{q}"' for q in result.follow_ups))
    return "\n\n".join(parts)


def _table(result: ToolResult) -> str:
    titles = [column.title for column in result.columns]
    cells = [[str(row[c.key]) for c in result.columns] for row in result.rows]
    widths = [
        max(len(v) for v in column) for column in zip(titles, *cells, strict=True)
    ]
    lines = [_line(titles, widths), _line(["-" * w for w in widths], widths)]
    lines += [_line(row, widths) for row in cells]
    return "\n".join(lines)


def _line(values: list[str], widths: list[int]) -> str:
    return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()
