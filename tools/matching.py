"""Matching a name a person typed against the names the store knows.

Typos, partial names and any case are forgiven ("acme" finds "Acme Corp"); a
name that fits several records about equally well is not guessed, and the
error lists the closest names instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process, utils

from tools.errors import ToolError

MATCH_THRESHOLD = 85
SUGGESTION_THRESHOLD = 60
CLEAR_LEAD = 5


class UnknownNameError(ToolError):
    """No record matches a name well enough; the message suggests close names."""

    def __init__(self, kind: str, typed: str, suggestions: list[str]) -> None:
        hint = f" Did you mean {or_list(suggestions)}?" if suggestions else ""
        super().__init__(f"No {kind} matches '{typed}'.{hint}")
        self.suggestions = suggestions


def closest_name(typed: str, names: Iterable[str]) -> tuple[str | None, list[str]]:
    """``(name, [])`` for a clear close match, else ``(None, suggestions)``.

    A match must score at least ``MATCH_THRESHOLD`` and lead the runner-up by
    ``CLEAR_LEAD``; suggestions are the up to three names scoring at least
    ``SUGGESTION_THRESHOLD``.
    """
    ranked = process.extract(
        typed,
        list(names),
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=3,
    )
    if ranked and ranked[0][1] >= MATCH_THRESHOLD and _clear_winner(ranked):
        return ranked[0][0], []
    return None, [name for name, score, _ in ranked if score >= SUGGESTION_THRESHOLD]


def or_list(names: list[str]) -> str:
    """'A', 'A or B', 'A, B or C'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" or {names[-1]}"


def _clear_winner(ranked) -> bool:
    return len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= CLEAR_LEAD
