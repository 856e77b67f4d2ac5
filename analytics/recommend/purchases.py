"""Who bought what: the customer-by-product matrix behind every recommender.

A purchase is a product on an accepted quote. The matrix counts, for each
customer and product, the quotes that held the product (not the units: a
customer who orders 500 pens once has bought pens once).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from analytics.recommend.errors import NoPurchasesError

REQUIRED = ("quote_id", "customer_id", "product_id")


@dataclass(frozen=True)
class Purchases:
    """Quote counts by customer and product.

    Attributes
    ----------
    counts : csr_matrix, shape (n_customers, n_products)
        Quotes of customer ``i`` that held product ``j``.
    customer_ids : ndarray, shape (n_customers,)
    product_ids : ndarray, shape (n_products,)
    """

    counts: sparse.csr_matrix
    customer_ids: np.ndarray
    product_ids: np.ndarray

    @property
    def bought(self) -> sparse.csr_matrix:
        """1 where the customer bought the product at least once, as float32."""
        return (self.counts > 0).astype(np.float32)


def purchase_matrix(
    lines: pd.DataFrame, product_ids: np.ndarray | None = None
) -> Purchases:
    """Count each customer's quotes per product.

    Parameters
    ----------
    lines : DataFrame, shape (n_lines, >= 3)
        Accepted quote lines with ``quote_id, customer_id, product_id``.
    product_ids : ndarray, optional
        The product columns, in order; products outside it are dropped. By
        default every product in ``lines``, sorted.

    Returns
    -------
    Purchases
    """
    _check_lines(lines)
    pairs = lines[list(REQUIRED)].drop_duplicates()
    if product_ids is None:
        product_ids = np.sort(pairs["product_id"].unique())
    pairs = pairs[pairs["product_id"].isin(product_ids)]
    customer_ids = np.sort(pairs["customer_id"].unique())
    rows = np.searchsorted(customer_ids, pairs["customer_id"].to_numpy())
    columns = np.searchsorted(product_ids, pairs["product_id"].to_numpy())
    counts = sparse.csr_matrix(
        (np.ones(len(pairs), dtype=np.float32), (rows, columns)),
        shape=(len(customer_ids), len(product_ids)),
    )
    counts.sum_duplicates()
    return Purchases(counts, customer_ids, np.asarray(product_ids))


def _check_lines(lines: pd.DataFrame) -> None:
    missing = [column for column in REQUIRED if column not in lines.columns]
    if missing:
        raise ValueError(
            f"The lines frame needs the columns {', '.join(REQUIRED)}; "
            f"{', '.join(missing)} missing. Build it with storage.queries."
            "accepted_lines."
        )
    if lines.empty:
        raise NoPurchasesError(
            "There are no accepted quote lines, so no purchases to learn from; "
            "recommendations need customers who have bought something."
        )
