"""Order items read from messages built out of real Online Retail invoices.

Each message names the first two lines of a sampled invoice, with their real
quantities and product descriptions in lower case, in one of four ways of
typing an order. Items are scored by recall (the share of the invoice lines
found with the right quantity) against the reading used before items existed:
one product per message, its quantity the number right before it.
"""

import re

import numpy as np
import pandas as pd
import pytest

from bot.nlu.entities import extract_entities
from bot.nlu.mentions import NameIndex
from tests.shared_files import shared_file
from tools.names import Vocabulary

TEMPLATES = (
    "{a} {pa} and {b} {pb}",
    "{pa} x{a}, {b} {pb}",
    "quote: {a} x {pa} plus {b} {pb}",
    "add {a} {pa}s and {b} {pb}",
)


def _invoice_lines() -> pd.DataFrame:
    path = shared_file("datasets/online_retail/online_retail.csv.gz")
    lines = pd.read_csv(
        path,
        usecols=["InvoiceNo", "Description", "Quantity"],
        encoding="latin-1",
        dtype={"InvoiceNo": str},
    ).dropna()
    lines["Description"] = lines["Description"].str.strip()
    return lines


def _orders(lines: pd.DataFrame, count: int) -> list[tuple[str, list]]:
    sold = lines[
        lines["Quantity"].between(1, 999) & ~lines["InvoiceNo"].str.startswith("C")
    ]
    firsts = sold.drop_duplicates(["InvoiceNo", "Description"])
    firsts = firsts.groupby("InvoiceNo").head(2)
    pairs = firsts.groupby("InvoiceNo").filter(lambda lines: len(lines) == 2)
    invoices = np.random.default_rng(0).choice(
        pairs["InvoiceNo"].unique(), count, replace=False
    )
    orders = []
    for number, invoice in enumerate(invoices):
        (pa, a), (pb, b) = pairs[pairs["InvoiceNo"] == invoice][
            ["Description", "Quantity"]
        ].itertuples(index=False)
        template = TEMPLATES[number % len(TEMPLATES)]
        text = template.format(a=a, b=b, pa=pa.lower(), pb=pb.lower())
        orders.append((text, [(pa, int(a)), (pb, int(b))]))
    return orders


def _one_product_reading(text: str, index: NameIndex) -> list[tuple[str, int]]:
    mention = index.find(text)
    if mention is None or mention.name is None:
        return []
    before = r"\b(\d{1,5})\s*(?:x\s*|×\s*)?(?:of\s+(?:the\s+)?)?"
    match = re.search(before + re.escape(mention.typed), text.lower())
    return [(mention.name, int(match.group(1)))] if match else []


@pytest.mark.slow
def test_items_of_real_invoices_are_found_far_more_often_than_one_product():
    lines = _invoice_lines()
    vocabulary = Vocabulary(products=tuple(sorted(lines["Description"].unique())))
    index = NameIndex(vocabulary.products)
    orders = _orders(lines, 200)

    found = baseline = 0
    for text, wanted in orders:
        items = extract_entities(text, vocabulary).get("items", [])
        got = [(item["product"], item["quantity"]) for item in items]
        found += sum(line in got for line in wanted)
        baseline += sum(line in wanted for line in _one_product_reading(text, index))

    recall, baseline_recall = found / (2 * len(orders)), baseline / (2 * len(orders))
    assert recall >= 0.8
    assert recall >= baseline_recall + 0.3
