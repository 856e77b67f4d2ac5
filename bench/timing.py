"""Wall-clock timing for the benchmarks, and the p50/p95 line they print."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import TypeVar

Result = TypeVar("Result")


def timed(call: Callable[[], object]) -> float:
    """Seconds one call of ``call`` takes."""
    return timed_with_result(call)[1]


def timed_with_result(call: Callable[[], Result]) -> tuple[Result, float]:
    """What ``call`` returns, and the seconds it took."""
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def repeated(call: Callable[[], object], runs: int) -> list[float]:
    """Seconds of each of ``runs`` calls of ``call``, for ``spread`` or ``p50_p95``."""
    return [timed(call) for _ in range(runs)]


def runs_argument(
    description: str, default: int = 20, argv: list[str] | None = None
) -> int:
    """``--runs N`` from the command line: how many timed calls make a line."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", type=int, default=default)
    return parser.parse_args(argv).runs


def first_and_warm(call: Callable[[], object], runs: int) -> tuple[float, list[float]]:
    """Seconds of a first (cold) call, then of ``runs`` warm calls."""
    return timed(call), repeated(call, runs)


def percentile(values: list[float], share: float) -> float:
    """The value ``share`` of the way up the sorted values (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def p50_p95(seconds: list[float], width: int = 5, decimals: int = 0) -> str:
    """The median and 95th percentile in milliseconds: ``p50 12 ms   p95 30 ms``."""
    median = statistics.median(seconds) * 1000
    high = percentile(seconds, 0.95) * 1000
    return f"p50 {median:{width}.{decimals}f} ms   p95 {high:{width}.{decimals}f} ms"


def spread(label: str, seconds: list[float]) -> None:
    """Print a labelled p50/p95 line to a tenth of a millisecond, with the runs."""
    print(f"{label:28} {p50_p95(seconds, 6, 1)}   ({len(seconds)} runs)")
