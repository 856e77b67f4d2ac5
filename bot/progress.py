"""Progress bars for long CLI work, on stderr so JSON on stdout stays clean."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )


@contextmanager
def phase_progress(title: str) -> Iterator[Callable[[str], None]]:
    """A spinner whose label follows the phase the work reports."""
    with _progress() as progress:
        task = progress.add_task(title, total=None)
        yield lambda phase: progress.update(task, description=f"{title}: {phase}")


@contextmanager
def line_progress(title: str, path: Path) -> Iterator[Callable[[int], None]]:
    """A counter of lines processed; the work reports lines since its last call."""
    with _progress() as progress:
        task = progress.add_task(f"{title} ({path.stat().st_size / 1e6:.1f} MB)")
        yield lambda lines: progress.advance(task, lines)
