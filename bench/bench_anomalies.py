"""How long unusual quotes take: training, answering, checking a draft, evaluating.

Builds a demo store in a temporary SQLite file (or uses ``--db URL``, for
instance a store with Online Retail imported) and times:

- reading every quote with its lines summed (``quote_profiles``);
- training: features, the Isolation Forest and the autoencoder, registering
  the model and storing every quote's score (``train_anomalies``);
- "any unusual quotes?" through ``bot.answer.answer`` for the manager (median
  and 95th percentile of warm calls);
- checking one new draft against the stored model (``draft_quote``, median
  and 95th percentile; each draft is rolled back);
- the ``anomalies`` section of ``quotebot evaluate``, with its numbers.

Run with ``python -m bench.bench_anomalies [--runs N] [--db URL]``.
"""

from __future__ import annotations

import argparse
import tempfile

from sqlalchemy import func, select

from bench.stores import demo_store
from bench.timing import spread, timed
from bot.answer import answer
from storage.db import session_scope
from storage.models import Customer, Product, SalesRep
from storage.queries import quote_profiles
from tools.anomalies import evaluate_quote_anomalies, train_anomalies
from tools.drafts import draft_quote
from tools.people import Requester, requester_by_email

QUESTION = "any unusual quotes?"
MANAGER = "dana.whitfield@example.com"


def asker(session) -> Requester:
    """The demo manager, or the store's first manager or admin."""
    email = session.scalar(
        select(SalesRep.email).where(func.lower(SalesRep.email) == MANAGER)
    ) or session.scalar(select(SalesRep.email).where(SalesRep.role != "rep"))
    return requester_by_email(session, email)


def ask(url: str) -> None:
    with session_scope(url) as session:
        answer(session, asker(session), QUESTION)


def draft(url: str) -> None:
    with session_scope(url) as session:
        requester = asker(session)
        customer = session.scalar(
            select(Customer.name)
            .join(SalesRep, Customer.owner_rep_id == SalesRep.id)
            .where(SalesRep.team == requester.team)
            .limit(1)
        )
        product = session.scalar(select(Product.name).limit(1))
        draft_quote(session, requester, customer, [(product, 3)])
        session.rollback()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--db", help="an existing store; a demo store by default")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        url = options.db or demo_store(folder)

        with session_scope(url) as session:
            quotes = []
            seconds = timed(lambda: quotes.append(quote_profiles(session)))
        count = len(quotes[0])
        print(f"read quote profiles         {seconds:8.2f} s   ({count:,} quotes)")
        with session_scope(url) as session:
            seconds = timed(lambda: train_anomalies(session))
        print(f"train and score every quote {seconds:8.2f} s")

        ask(url)
        spread(
            "answer 'any unusual quotes?'",
            [timed(lambda: ask(url)) for _ in range(options.runs)],
        )
        draft(url)
        spread(
            "draft and check a quote",
            [timed(lambda: draft(url)) for _ in range(options.runs)],
        )

        with session_scope(url) as session:
            report = {}
            seconds = timed(lambda: report.update(evaluate_quote_anomalies(session)))
        print(f"evaluate anomalies          {seconds:8.2f} s   (k = {report['k']})")
        for name, scores in report["models"].items():
            print(f"  precision at k {name:18} {scores['precision_at_k']}")


if __name__ == "__main__":
    main()
