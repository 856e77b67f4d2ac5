"""How long answers take, from the store to the reply.

Builds a demo store in a temporary SQLite file, then times:

- demo-data generation;
- "what's my churn risk list" through ``bot.answer.answer`` for a rep and for
  the manager: the first call (which trains the intent classifier) and the
  median and 95th percentile of warm calls;
- "forecast revenue for the next 90 days" served from a stored Prophet model
  (trained here with the seasonal-naive baseline only, to keep this short);
- the whole ``quotebot ask`` command, process start-up included.

Run with ``python -m bench.bench_ask [--runs N]``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from functools import partial

from bench.stores import store_url
from bench.timing import first_and_warm, p50_p95, runs_argument, timed
from bot.answer import answer
from storage.db import session_scope, upgrade
from storage.demo_data import generate_demo_data
from tools.people import requester_by_email
from tools.training import train_forecasts

QUESTION = "what's my churn risk list"
FORECAST_QUESTION = "forecast revenue for the next 90 days"
PEOPLE = {"rep": "alex.rivera@example.com", "manager": "dana.whitfield@example.com"}


def ask_once(url: str, email: str, question: str = QUESTION) -> None:
    with session_scope(url) as session:
        answer(session, requester_by_email(session, email), question)


def main() -> None:
    runs = runs_argument(__doc__.splitlines()[0])

    with tempfile.TemporaryDirectory() as folder:
        url = store_url(folder)
        upgrade(url)
        with session_scope(url) as session:
            seconds = timed(lambda: generate_demo_data(session))
        print(f"demo data                  {seconds:8.2f} s")

        for role, email in PEOPLE.items():
            cold, warm = first_and_warm(partial(ask_once, url, email), runs)
            print(
                f"answer ({role:7})           first {cold * 1000:7.0f} ms   "
                f"{p50_p95(warm, 6)}"
            )

        with session_scope(url) as session:
            seconds = timed(
                lambda: train_forecasts(session, models=("seasonal_naive", "prophet"))
            )
        print(f"train prophet + baseline   {seconds:8.2f} s")
        manager = PEOPLE["manager"]
        cold, warm = first_and_warm(
            partial(ask_once, url, manager, FORECAST_QUESTION), runs
        )
        print(
            f"forecast (manager)         first {cold * 1000:7.0f} ms   "
            f"{p50_p95(warm, 6)}"
        )

        command = [
            sys.executable,
            "-m",
            "bot.cli",
            "ask",
            QUESTION,
            "--user",
            PEOPLE["rep"],
            "--db",
            url,
        ]
        walls = [
            timed(lambda: subprocess.run(command, check=True, capture_output=True))
            for _ in range(3)
        ]
        print(f"quotebot ask (whole CLI)   median {statistics.median(walls):5.2f} s")


if __name__ == "__main__":
    main()
