"""Stores the benchmarks run on: a fresh demo store, or Online Retail imported."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.bench_import import default_file
from storage.db import session_scope, upgrade
from storage.demo_data import generate_demo_data
from storage.importers import import_online_retail


def store_url(folder: str) -> str:
    """The URL of a SQLite store file in ``folder``."""
    return f"sqlite:///{Path(folder) / 'bench.db'}"


def demo_store(folder: str) -> str:
    """The URL of a migrated store in ``folder`` filled with demo data."""
    url = store_url(folder)
    upgrade(url)
    with session_scope(url) as session:
        generate_demo_data(session)
    return url


@contextmanager
def temporary_demo_store() -> Iterator[str]:
    """A demo store in a temporary folder, deleted when the benchmark is done."""
    with tempfile.TemporaryDirectory(prefix="quotebot-bench-") as folder:
        yield demo_store(folder)


def online_retail_store(folder: str, db: str | None, file: Path) -> str | None:
    """``db`` if given, else a store in ``folder`` with ``file`` imported.

    None, with a message on standard error, when there is no such file.
    """
    if db is not None:
        return db
    if not file.is_file():
        print(f"No Online Retail file at {file}.", file=sys.stderr)
        return None
    url = store_url(folder)
    upgrade(url)
    with session_scope(url) as session:
        import_online_retail(session, file)
    return url


def online_retail_arguments(
    description: str, argv: list[str] | None
) -> argparse.Namespace:
    """``--db``, ``--runs`` and ``--file`` of a benchmark on Online Retail."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--db", help="a store already holding Online Retail")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--file", type=Path, default=default_file())
    return parser.parse_args(argv)
