"""How long the text models take: loading, reading notes, answering.

Builds a demo store in a temporary SQLite file, then times:

- loading the MiniLM sentence encoder from the installed package (once per
  process) and embedding every demo note (notes a second);
- fitting the note sentiment model on the shipped labelled notes, the
  encoder already loaded (what an answer does before ``quotebot train``);
- ``quotebot train``'s sentiment step: the held-out comparison with the
  tone-word baseline, the fit and the registration;
- the ``sentiment`` section of ``quotebot evaluate`` (every model on the
  held-out notes and on every demo note), with its scores;
- "how does Initech feel about us?", "my open quotes" and "show <number>"
  through ``bot.answer.answer`` for the manager and a rep: the first call and
  the median and 95th percentile of warm calls.

Run with ``python -m bench.bench_text [--runs N]``.
"""

from __future__ import annotations

import sys
from functools import partial

from sqlalchemy import select

from bench.stores import temporary_demo_store
from bench.timing import (
    first_and_warm,
    p50_p95,
    runs_argument,
    timed,
    timed_with_result,
)
from bot.answer import answer
from storage.db import session_scope
from storage.models import Customer, CustomerNote, Quote, SalesRep
from tools.people import requester_by_email
from tools.sentiment import evaluate_sentiment_section, train_sentiment

REP = "alex.rivera@example.com"
MANAGER = "dana.whitfield@example.com"


def time_models(url: str) -> None:
    from analytics.text import fit_sentiment_model
    from analytics.text.embeddings import embed

    with session_scope(url) as session:
        notes = list(session.scalars(select(CustomerNote.body)))
    print(f"load sentence encoder       {timed(lambda: embed(['warm up'])):6.2f} s")
    seconds = timed(lambda: embed(notes))
    print(
        f"embed {len(notes):,} demo notes     {seconds:6.2f} s   "
        f"({len(notes) / seconds:,.0f} notes/s)"
    )
    print(f"fit on labelled notes       {timed(fit_sentiment_model):6.2f} s")
    with session_scope(url) as session:
        seconds = timed(partial(train_sentiment, session))
        print(f"train (compare, register)   {seconds:6.2f} s")
    with session_scope(url) as session:
        section, seconds = timed_with_result(
            partial(evaluate_sentiment_section, session)
        )
        print(f"evaluate sentiment section  {seconds:6.2f} s")
    for where, scores in (
        ("held-out", section["models"]),
        ("demo notes", section["demo_notes"]["models"]),
    ):
        for name, score in scores.items():
            print(
                f"  {where:10} {name:22} accuracy {score['accuracy']:.3f}  "
                f"macro F1 {score['f1']:.3f}"
            )


def questions(url: str) -> dict[str, tuple[str, str]]:
    with session_scope(url) as session:
        number = session.scalar(
            select(Quote.quote_number)
            .join(Customer, Quote.customer_id == Customer.id)
            .join(SalesRep, Customer.owner_rep_id == SalesRep.id)
            .where(SalesRep.email == REP, Quote.status == "sent")
            .limit(1)
        )
    return {
        "sentiment": (MANAGER, "how does Initech feel about us?"),
        "open quotes": (REP, "my open quotes"),
        "one quote": (REP, f"show {number}"),
    }


def time_answers(url: str, runs: int) -> None:
    for label, (email, question) in questions(url).items():
        ask = partial(ask_once, url, email, question)
        cold, warm = first_and_warm(ask, runs)
        print(f"{label:12} first {cold * 1000:6.0f} ms   {p50_p95(warm)}")


def ask_once(url: str, email: str, question: str) -> None:
    with session_scope(url) as session:
        result = answer(session, requester_by_email(session, email), question)
    if result.intent not in ("customer_sentiment", "quote_lookup"):
        raise RuntimeError(f"{question!r} was answered as {result.intent}")


def main(argv: list[str] | None = None) -> int:
    runs = runs_argument(__doc__.splitlines()[0], argv=argv)

    with temporary_demo_store() as url:
        time_models(url)
        time_answers(url, runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
