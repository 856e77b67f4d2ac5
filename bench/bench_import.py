"""How fast the full Online Retail file imports, on SQLite and on PostgreSQL.

Run ``.venv/bin/python -m bench.bench_import`` (or ``make bench``). SQLite runs
in a fresh temporary file; PostgreSQL runs when ``--postgres URL`` or
``TEST_DATABASE_URL`` names a database, whose ``public`` schema is dropped and
recreated first: never point it at a store you want to keep.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from storage.db import get_engine, session_scope, upgrade
from storage.importers import ImportReport, import_online_retail

REPO = Path(__file__).resolve().parents[1]
DATASETS_VARIABLE = "QUOTEBOT_DATASETS"
POSTGRES_VARIABLE = "TEST_DATABASE_URL"
COLUMNS = ("database", "lines", "imported", "skipped", "quotes", "seconds", "lines/s")


@dataclass(frozen=True)
class Run:
    """One timed import: the report and the wall time including the commit."""

    database: str
    report: ImportReport
    seconds: float

    def cells(self) -> tuple[str, ...]:
        report = self.report
        return (
            self.database,
            f"{report.lines_read:,}",
            f"{report.lines_imported:,}",
            f"{sum(report.skipped.values()):,}",
            f"{report.quotes:,}",
            f"{self.seconds:.1f}",
            f"{report.lines_read / self.seconds:,.0f}",
        )


def default_file() -> Path:
    datasets = os.environ.get(DATASETS_VARIABLE) or REPO.parent / "shared" / "datasets"
    return Path(datasets) / "online_retail" / "online_retail.csv.gz"


def timed_import(database: str, url: str, path: Path) -> Run:
    upgrade(url)
    started = time.perf_counter()
    with session_scope(url) as session:
        report = import_online_retail(session, path)
    return Run(database, report, time.perf_counter() - started)


def run_sqlite(path: Path) -> Run:
    with tempfile.TemporaryDirectory(prefix="quotebot-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        try:
            return timed_import("SQLite", url, path)
        finally:
            get_engine(url).dispose()


def run_postgres(url: str, path: Path) -> Run:
    with get_engine(url).begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    return timed_import("PostgreSQL", url, path)


def table(runs: list[Run]) -> str:
    rows = [COLUMNS, *(run.cells() for run in runs)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--file",
        type=Path,
        default=default_file(),
        help=f"the Online Retail CSV(.gz); default from ${DATASETS_VARIABLE}",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get(POSTGRES_VARIABLE),
        metavar="URL",
        help=f"a PostgreSQL database to wipe and fill; default ${POSTGRES_VARIABLE}",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    if not arguments.file.is_file():
        print(
            f"No Online Retail file at {arguments.file}; pass --file PATH or set "
            f"{DATASETS_VARIABLE} to the folder holding online_retail/.",
            file=sys.stderr,
        )
        return 2

    runs = [run_sqlite(arguments.file)]
    if arguments.postgres:
        runs.append(run_postgres(arguments.postgres, arguments.file))
    else:
        print(f"(PostgreSQL skipped: set {POSTGRES_VARIABLE} or pass --postgres URL)")
    print(table(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
