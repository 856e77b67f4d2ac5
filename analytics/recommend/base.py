"""What every recommender shares: the product index, buyer counts and ranking.

A recommender is fitted on accepted quote lines and then ranks products for
customers. ``recommend`` answers for one customer from the products they
already buy; ``top_items`` ranks many customers at once for the evaluation.
Products a customer already buys are never recommended to them.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Self

import numpy as np
import pandas as pd
from scipy import sparse

from analytics.params import HyperparameterMixin
from analytics.recommend.errors import NotFittedError
from analytics.recommend.purchases import Purchases, purchase_matrix

RANK_CHUNK = 512


class Recommender(HyperparameterMixin):
    """Base of the recommenders; subclasses score customers in ``_scores``.

    Attributes
    ----------
    product_ids_ : ndarray, shape (n_products,)
        The products known to the model, in column order.
    buyers_ : ndarray of int, shape (n_products,)
        Customers who bought each product.
    n_customers_ : int
        Customers in the training purchases.
    """

    name = "recommender"

    def fit(self, lines: pd.DataFrame) -> Self:
        """Learn from accepted quote lines (``quote_id, customer_id, product_id``)."""
        purchases = purchase_matrix(lines)
        self.product_ids_ = purchases.product_ids
        self.buyers_ = np.diff(purchases.counts.tocsc().indptr).astype(np.int64)
        self.n_customers_ = len(purchases.customer_ids)
        self._fit(purchases)
        return self

    def top_items(self, owned: sparse.csr_matrix, n: int) -> np.ndarray:
        """The ``n`` best new products per customer, as column indices.

        Parameters
        ----------
        owned : csr_matrix, shape (n_customers, n_products)
            What each customer bought, in the columns of ``product_ids_``.
        n : int

        Returns
        -------
        ndarray of int, shape (n_customers, n)
            Column indices, best first; -1 where fewer than ``n`` products
            have a positive score.
        """
        self._check_fitted()
        owned = sparse.csr_matrix(owned, dtype=np.float32)
        ranked = [
            _top(self._scores(owned[start : start + RANK_CHUNK]), n)
            for start in range(0, owned.shape[0], RANK_CHUNK)
        ]
        return np.vstack(ranked) if ranked else np.empty((0, n), dtype=np.int64)

    def owned_vector(self, product_ids: Collection[int]) -> sparse.csr_matrix:
        """One customer's purchases as a row over ``product_ids_``; unknown ignored."""
        self._check_fitted()
        columns = np.flatnonzero(np.isin(self.product_ids_, list(product_ids)))
        values = np.ones(len(columns), dtype=np.float32)
        return sparse.csr_matrix(
            (values, (np.zeros(len(columns), dtype=np.int64), columns)),
            shape=(1, len(self.product_ids_)),
        )

    def _fit(self, purchases: Purchases) -> None:
        raise NotImplementedError

    def _scores(self, owned: sparse.csr_matrix) -> np.ndarray:
        """Dense scores (n_customers, n_products), -inf where owned."""
        raise NotImplementedError

    def _check_fitted(self, action: str = "recommend") -> None:
        if not hasattr(self, "product_ids_"):
            raise NotFittedError(self.name, action)


def mask_owned(scores: np.ndarray, owned: sparse.csr_matrix) -> np.ndarray:
    """Set the scores of products already bought to -inf, in place."""
    rows, columns = owned.nonzero()
    scores[rows, columns] = -np.inf
    return scores


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    """Indices of the ``n`` highest positive scores per row, best first."""
    n_cols = scores.shape[1]
    k = min(n, n_cols)
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    values = np.take_along_axis(scores, part, axis=1)
    order = np.argsort(-values, axis=1, kind="stable")
    top = np.take_along_axis(part, order, axis=1)
    top[np.take_along_axis(values, order, axis=1) <= 0] = -1
    if k < n:
        top = np.hstack([top, np.full((len(top), n - k), -1)])
    return top
