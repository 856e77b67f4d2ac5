"""How long recommendations take to learn, and to answer.

Imports the full UCI Online Retail file into a temporary SQLite store (or
uses ``--db URL``, a store that already holds it), then times:

- reading the accepted quote lines (one query);
- fitting the item-based recommender (BM25 weights, 20 neighbours a product)
  and mining the bought-together rules over every invoice;
- ``quotebot train``'s part for them: the holdout comparison of popularity
  and the item-based variants (three weightings, each tuned over three
  neighbour counts on validation), the refit and the registry writes;
- "what else can I sell to <customer>" and "what goes with <product>"
  through ``bot.answer.answer`` for a rep, from the stored models: the first
  call and the median and 95th percentile of warm calls.

Run with ``python -m bench.bench_recommend [--db URL] [--runs N]``.
"""

from __future__ import annotations

import sys
import tempfile
from functools import partial

from sqlalchemy import select

from analytics.recommend import ItemBasedRecommender, PairRules
from bench.stores import online_retail_arguments, online_retail_store
from bench.timing import first_and_warm, p50_p95, timed, timed_with_result
from bot.answer import answer
from storage.db import session_scope
from storage.models import Customer
from storage.queries import accepted_lines
from tools.people import requester_by_email
from tools.recommend_training import train_recommendations

REP = "retail.rep1@example.com"


def time_fitting(url: str):
    with session_scope(url) as session:
        lines, seconds = timed_with_result(partial(accepted_lines, session))
    print(
        f"{len(lines):,} accepted lines, {lines['customer_id'].nunique():,} "
        f"customers, {lines['product_id'].nunique():,} products"
    )
    print(f"read lines             {seconds:7.2f} s")
    seconds = timed(partial(ItemBasedRecommender().fit, lines))
    print(f"fit item-based         {seconds:7.2f} s")
    rules, seconds = timed_with_result(partial(PairRules().fit, lines))
    print(
        f"mine rules             {seconds:7.2f} s   ({len(rules.rules_):,} rules, "
        f"{rules.skipped_baskets_:,} baskets over {rules.max_basket_size} left out)"
    )
    with session_scope(url) as session:
        seconds = timed(partial(train_recommendations, session))
    print(f"train and register     {seconds:7.2f} s")
    return lines, rules


def time_answers(url: str, lines, rules, runs: int) -> None:
    with session_scope(url) as session:
        rep = requester_by_email(session, REP)
        mine = select(Customer.id, Customer.name).where(
            Customer.owner_rep_id == rep.rep_id
        )
        names = dict(session.execute(mine).all())
    buyers = lines[lines["customer_id"].isin(names)]["customer_id"].value_counts()
    customer = names[int(buyers.index[len(buyers) // 2])]
    top = rules.strongest(1)["antecedent_id"].iloc[0]
    product = lines.loc[lines["product_id"] == top, "product"].iloc[0]
    questions = {
        "recommendations": f"what else can I sell to {customer}",
        "bought together": f"what goes with {product.lower()}",
    }
    for label, question in questions.items():
        ask = partial(ask_once, url, question)
        cold, warm = first_and_warm(ask, runs)
        print(
            f"{label:16} first {cold * 1000:6.0f} ms   {p50_p95(warm)}   ({question!r})"
        )


def ask_once(url: str, question: str) -> None:
    with session_scope(url) as session:
        result = answer(session, requester_by_email(session, REP), question)
    if result.intent not in ("product_recommendations", "bought_together"):
        raise RuntimeError(f"{question!r} was answered as {result.intent}")


def main(argv: list[str] | None = None) -> int:
    arguments = online_retail_arguments(__doc__.splitlines()[0], argv)

    with tempfile.TemporaryDirectory(prefix="quotebot-bench-") as folder:
        url = online_retail_store(folder, arguments.db, arguments.file)
        if url is None:
            return 2
        lines, rules = time_fitting(url)
        time_answers(url, lines, rules, arguments.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
