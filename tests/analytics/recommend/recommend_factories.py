"""Small purchase histories with known structure, as accepted quote lines."""

from __future__ import annotations

import numpy as np
import pandas as pd

START = pd.Timestamp("2025-01-01")


def lines_of(baskets: list[tuple[int, list[int]]], days_apart: int = 1) -> pd.DataFrame:
    """One quote per ``(customer_id, [product_id, ...])``, a day apart."""
    rows = [
        {
            "quote_id": quote_id,
            "customer_id": customer,
            "product_id": product,
            "created_at": START + pd.Timedelta(days=quote_id * days_apart),
        }
        for quote_id, (customer, products) in enumerate(baskets, 1)
        for product in products
    ]
    return pd.DataFrame(rows)


def two_tastes(n_customers: int = 200, seed: int = 0) -> pd.DataFrame:
    """Customers who buy from one of two product families, over a year.

    Family A is products 1-12, family B products 13-24; product 25 is bought
    by everyone and product 26 by a random third. A customer buys two of their
    family's products in the first months, a third in the middle of the year
    and a fourth at its end, so the future is predictable from the past by
    taste, not by popularity.
    """
    rng = np.random.default_rng(seed)
    baskets, dates = [], []
    for customer in range(1, n_customers + 1):
        family = np.arange(1, 13) if customer % 2 else np.arange(13, 25)
        order = rng.permutation(family).tolist()
        early = [*order[:2], 25] + ([26] if rng.random() < 0.33 else [])
        for products, (low, high) in zip(
            (early, [order[2]], [order[3]]),
            ((0, 100), (130, 230), (260, 360)),
            strict=True,
        ):
            baskets.append((customer, products))
            dates.append(START + pd.Timedelta(days=int(rng.integers(low, high))))
    lines = lines_of(baskets)
    by_quote = dict(enumerate(dates, 1))
    lines["created_at"] = lines["quote_id"].map(by_quote)
    return lines
