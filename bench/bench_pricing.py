"""How long pricing takes: learning, deciding a quote, answering, evaluating.

Builds a demo store in a temporary SQLite file, segments its customers, then
times:

- recounting every pricing arm from the decided quotes (what ``quotebot
  train`` does after the segments);
- ``record_quote_decision`` on open quotes, one transaction each (median and
  95th percentile);
- "what discount should I give Acme Corp on the Analytics Suite?" through
  ``bot.answer.answer`` for a rep (median and 95th percentile of warm calls);
- the ``pricing`` section of ``quotebot evaluate`` (20,000 simulated requests
  per policy, and the held-out acceptance scores), with its regrets.

Run with ``python -m bench.bench_pricing [--runs N]``.
"""

from __future__ import annotations

from sqlalchemy import select

from bench.stores import temporary_demo_store
from bench.timing import repeated, runs_argument, spread, timed
from bot.answer import answer
from storage.db import session_scope
from storage.models import Quote
from storage.pricing_state import record_quote_decision
from storage.queries import quote_history
from tools.customer_training import train_segments
from tools.people import requester_by_email
from tools.pricing import train_pricing
from tools.pricing_evaluation import evaluate_pricing_policies

QUESTION = "what discount should I give Acme Corp on the Analytics Suite?"
REP = "alex.rivera@example.com"


def decide(url: str, quote_id: int, status: str) -> None:
    with session_scope(url) as session:
        record_quote_decision(session, quote_id, status)


def ask(url: str) -> None:
    with session_scope(url) as session:
        answer(session, requester_by_email(session, REP), QUESTION)


def main() -> None:
    runs = runs_argument(__doc__.splitlines()[0])

    with temporary_demo_store() as url:
        with session_scope(url) as session:
            train_segments(session, quote_history(session))

        with session_scope(url) as session:
            learned = {}
            seconds = timed(lambda: learned.update(train_pricing(session)))
        print(
            f"recount arms                {seconds:8.2f} s   ({learned['quotes']:,} "
            f"decided quotes, {learned['arms']} arms)"
        )

        with session_scope(url) as session:
            open_ids = list(
                session.scalars(select(Quote.id).where(Quote.status == "sent"))
            )[:runs]
        outcomes = ("accepted", "rejected")
        spread(
            "decide a quote",
            [
                timed(lambda q=q, i=i: decide(url, q, outcomes[i % 2]))
                for i, q in enumerate(open_ids)
            ],
        )

        ask(url)
        spread("answer a price question", repeated(lambda: ask(url), runs))

        with session_scope(url) as session:
            report = {}
            seconds = timed(lambda: report.update(evaluate_pricing_policies(session)))
        print(f"evaluate pricing            {seconds:8.2f} s")
        margin = report["expected_margin"]["oracle"]
        for policy, regret in report["regret"].items():
            print(f"  regret {policy:18} {regret:16,.0f}  ({regret / margin:6.1%})")
        for model, scores in report["holdout"]["models"].items():
            print(f"  held-out log loss {model:18} {scores['log_loss']:.4f}")


if __name__ == "__main__":
    main()
