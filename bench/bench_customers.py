"""How long the customer models take to train, and their answers to come back.

Imports the full UCI Online Retail file into a temporary SQLite store (or
uses ``--db URL``, a store that already holds it), then times:

- training each customer-model family on it: churn (rules, XGBoost and the
  neural net compared, the best refitted and every account scored), lifetime
  value (BG/NBD, boosting and the naive baseline compared, the best refitted)
  and segments (K-means over k = 2 to 8);
- "what's my churn risk list" and "top customers by predicted value" through
  ``bot.answer.answer`` for a rep and for the manager, served from the stored
  scores: the first call and the median and 95th percentile of warm calls.

Run with ``python -m bench.bench_customers [--db URL] [--runs N]``.
"""

from __future__ import annotations

import sys
import tempfile
from functools import partial

from bench.stores import online_retail_arguments, online_retail_store
from bench.timing import first_and_warm, p50_p95, timed
from bot.answer import answer
from storage.db import session_scope
from storage.queries import quote_history
from tools.customer_training import train_churn, train_clv, train_segments
from tools.people import requester_by_email

PEOPLE = {"rep": "retail.rep1@example.com", "manager": "retail.manager@example.com"}
QUESTIONS = {
    "churn list": "what's my churn risk list",
    "top value": "top customers by predicted value",
}
FAMILIES = {
    "churn": train_churn,
    "lifetime value": train_clv,
    "segments": train_segments,
}


def train_families(url: str) -> None:
    with session_scope(url) as session:
        quotes = quote_history(session)
    print(f"{len(quotes):,} quotes of {quotes['customer_id'].nunique():,} customers")
    total = 0.0
    for family, train in FAMILIES.items():
        with session_scope(url) as session:
            seconds = timed(partial(train, session, quotes))
        total += seconds
        print(f"train {family:16} {seconds:7.1f} s")
    print(f"train all three        {total:7.1f} s")


def time_answers(url: str, runs: int) -> None:
    for label, question in QUESTIONS.items():
        for role, email in PEOPLE.items():
            ask = partial(ask_once, url, email, question)
            cold, warm = first_and_warm(ask, runs)
            print(
                f"{label:10} ({role:7})  first {cold * 1000:6.0f} ms   {p50_p95(warm)}"
            )


def ask_once(url: str, email: str, question: str) -> None:
    with session_scope(url) as session:
        result = answer(session, requester_by_email(session, email), question)
    if result.intent not in ("churn_risk_list", "customer_value"):
        raise RuntimeError(f"{question!r} was answered as {result.intent}")


def main(argv: list[str] | None = None) -> int:
    arguments = online_retail_arguments(__doc__.splitlines()[0], argv)

    with tempfile.TemporaryDirectory(prefix="quotebot-bench-") as folder:
        url = online_retail_store(folder, arguments.db, arguments.file)
        if url is None:
            return 2
        train_families(url)
        time_answers(url, arguments.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
