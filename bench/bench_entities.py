"""How long reading the entities of a message takes, small and large catalogues.

Times ``bot.nlu.entities.extract_entities`` on drafting, pricing, subscription
and question messages against two vocabularies:

- the demo catalogue's 40 products and 60 customer names;
- Online Retail's names read from the file: about 4,000 product descriptions
  and 4,372 customers, so every quantity is matched against a catalogue a
  hundred times larger.

For each, the first call (which indexes the names) and the median and 95th
percentile of warm calls over all messages are printed, with the entities of
each message so that a wrong reading shows. Run with
``python -m bench.bench_entities [--runs N] [--file online_retail.csv.gz]``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from bench.bench_import import default_file
from bench.timing import p50_p95, timed, timed_with_result
from bot.nlu.entities import extract_entities
from storage.demo.catalog import PRODUCTS
from tools.names import Vocabulary

MESSAGES = (
    "draft a quote for Northwind: 3 rack servers and 20 onboarding hrs, 10% off",
    "quote acme 4x analytics suite plus a gateway hub, budget of 50k",
    "Analytics Suite x12 for initech at 12.5%",
    "best price for 15 gateway hubs for globex",
    "send the churn report to <#C0123ABC|sales-leadership> every Monday",
    "DM me the sales summary each week",
    "forecast revenue for the next 2 months with prophet",
    "top 10 churn risks for the team",
    "6 white hanging heart t-light holders and 12 jumbo bag red retrospot",
    "what goes with the regency cakestand 3 tier",
)


def demo_vocabulary() -> Vocabulary:
    """The demo catalogue's products and a demo-sized list of customers."""
    customers = ("Acme Corp", "Globex Corporation", "Initech", "Northwind Traders")
    filler = tuple(f"Account {number:03d}" for number in range(56))
    return Vocabulary(
        customers=customers + filler,
        products=tuple(product.name for product in PRODUCTS),
    )


def online_retail_vocabulary(file: Path) -> Vocabulary:
    """Online Retail's product descriptions and customers, named as imported."""
    lines = pd.read_csv(file, usecols=["Description", "CustomerID"], encoding="latin-1")
    descriptions = lines["Description"].dropna().str.strip().unique()
    customers = lines["CustomerID"].dropna().astype(int).unique()
    return Vocabulary(
        customers=tuple(sorted(f"Customer {number}" for number in customers)),
        products=tuple(sorted(descriptions)),
    )


def run(label: str, vocabulary: Vocabulary, runs: int) -> None:
    """Print the cold call, the warm spread and each message's entities."""
    print(f"{label}: {len(vocabulary.products):,} products, "
          f"{len(vocabulary.customers):,} customers")  # fmt: skip
    first = timed(lambda: extract_entities(MESSAGES[0], vocabulary))
    print(f"  first call (indexes names)  {first * 1000:8.0f} ms")
    warm = []
    for text in MESSAGES:
        for _ in range(runs):
            entities, seconds = timed_with_result(
                lambda text=text: extract_entities(text, vocabulary)
            )
            warm.append(seconds)
        shown = {k: v for k, v in entities.items() if k != "period"}
        print(f"  {text[:60]:60} {shown}")
    print(f"  warm, {len(MESSAGES)} messages     {p50_p95(warm, 6, 1)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--file", type=Path, default=default_file())
    args = parser.parse_args(argv)

    run("demo catalogue", demo_vocabulary(), args.runs)
    if args.file.is_file():
        vocabulary, seconds = timed_with_result(
            lambda: online_retail_vocabulary(args.file)
        )
        print(f"read Online Retail names in {seconds:.1f} s")
        run("Online Retail", vocabulary, args.runs)
    else:
        print(f"No Online Retail file at {args.file}; skipped.")


if __name__ == "__main__":
    main()
