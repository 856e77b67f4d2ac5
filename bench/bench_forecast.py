"""How long each forecaster takes to fit, and how well each backtests.

Run ``.venv/bin/python -m bench.bench_forecast [--db URL]``. Without ``--db``
it builds a demo store (three years of history) in a temporary SQLite file.
It reads the accepted quotes' daily revenue up to the last settled day (the
day before the oldest quote still open, whose revenue is not final), then:

1. fits every model once on the whole series and prints the fit time (the
   libraries are imported beforehand, so import time is not counted);
2. backtests every model with ``compare_models`` (``--horizon`` days,
   ``--folds`` rolling origins) and prints the comparison table, the selected
   model and the sentence an answer would quote about it.

For the UCI Online Retail data, import it into a store first and pass
``--country GB`` so Prophet models the UK's bank holidays::

    quotebot import online-retail online_retail.csv.gz --db sqlite:////tmp/or.db
    python -m bench.bench_forecast --db sqlite:////tmp/or.db --country GB
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from functools import partial

import pandas as pd

from analytics.forecasting import (
    DEFAULT_MODELS,
    FORECASTERS,
    ComparisonResult,
    compare_models,
    describe_accuracy,
    last_settled_day,
    revenue_series,
)
from bench.stores import demo_store
from bench.timing import timed
from storage.db import get_engine, session_scope
from storage.queries import quote_history

COLUMNS = ("model", "MASE", "MAPE", "cover 80", "cover 95", "fit s", "")


def quiet_libraries() -> None:
    """An entry point's choice: only warnings from TensorFlow, Prophet, cmdstanpy."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    for name in ("cmdstanpy", "prophet", "tensorflow", "absl"):
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.getLogger("prophet.plot").setLevel(logging.CRITICAL)


def read_series(url: str, frequency: str) -> pd.Series:
    with session_scope(url) as session:
        quotes = quote_history(session)
    return revenue_series(quotes, frequency, end=last_settled_day(quotes))


def import_libraries() -> float:
    """Import Prophet and Keras once, so fit times leave import time out."""
    started = time.perf_counter()
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import keras  # noqa: F401
    import prophet  # noqa: F401

    return time.perf_counter() - started


def fit_times(y: pd.Series, options: dict) -> dict[str, float]:
    seconds = {}
    for name in DEFAULT_MODELS:
        cls = FORECASTERS[name]
        model = cls(**{k: v for k, v in options.items() if k in cls.hyperparameters()})
        seconds[name] = timed(partial(model.fit, y))
    return seconds


def comparison_table(comparison: ComparisonResult) -> str:
    rows = [COLUMNS]
    for name, metrics in comparison.to_dict()["models"].items():
        selected = "selected" if name == comparison.selected else ""
        rows.append((name, *map(_cell, metrics.values()), selected))
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(
            cell.ljust(width) if i in (0, len(row) - 1) else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def report(url: str, arguments: argparse.Namespace) -> None:
    options = {"country": arguments.country} if arguments.country else {}
    y = read_series(url, arguments.frequency)
    print(
        f"series: {len(y)} periods ({arguments.frequency}) from "
        f"{y.index[0]:%Y-%m-%d} to {y.index[-1]:%Y-%m-%d}, the last settled day"
    )
    print(f"importing prophet and keras: {import_libraries():.1f} s\n")

    seconds = fit_times(y, options)
    for name, value in seconds.items():
        print(f"fit {name:<15} {value:6.2f} s")
    print(f"fit all models      {sum(seconds.values()):6.2f} s\n")

    started = time.perf_counter()
    comparison = compare_models(
        y, arguments.horizon, arguments.folds, step=arguments.step, **options
    )
    print(comparison_table(comparison))
    for name, error in comparison.errors.items():
        print(f"{name} failed: {error}")
    print(f"(backtests took {time.perf_counter() - started:.0f} s)\n")
    if comparison.selected:
        result = comparison.results[comparison.selected]
        print(describe_accuracy(comparison.selected, result))


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a store to read; default a fresh demo store")
    parser.add_argument("--country", help="holidays for Prophet, e.g. GB")
    parser.add_argument("--frequency", default="D", choices=["D", "W-MON"])
    parser.add_argument("--horizon", type=int, default=28, help="periods ahead")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--step", type=int, help="periods between origins")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    quiet_libraries()
    if arguments.db:
        report(arguments.db, arguments)
        return 0

    with tempfile.TemporaryDirectory(prefix="quotebot-bench-") as folder:
        url = demo_store(folder)
        try:
            report(url, arguments)
        finally:
            get_engine(url).dispose()
    return 0


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


if __name__ == "__main__":
    sys.exit(main())
