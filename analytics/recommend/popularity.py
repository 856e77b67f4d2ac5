"""The baseline: recommend what most customers buy, minus what they have."""

from __future__ import annotations

from collections.abc import Collection
from typing import Self

import numpy as np
import pandas as pd
from scipy import sparse

from analytics.recommend.base import Recommender, mask_owned
from analytics.recommend.purchases import Purchases


class PopularityRecommender(Recommender):
    """Ranks products by how many customers bought them.

    It has no hyperparameters; every customer gets the same list, less the
    products they already buy. It is the baseline the item-based model has to
    beat.
    """

    name = "popularity"

    @classmethod
    def from_counts(
        cls, product_ids: np.ndarray, buyers: np.ndarray, n_customers: int
    ) -> Self:
        """A fitted baseline from buyer counts another model already learned."""
        model = cls()
        model.product_ids_ = np.asarray(product_ids)
        model.buyers_ = np.asarray(buyers)
        model.n_customers_ = int(n_customers)
        model.scores_ = model.buyers_.astype(np.float32)
        return model

    def _fit(self, purchases: Purchases) -> None:
        self.scores_ = self.buyers_.astype(np.float32)

    def _scores(self, owned: sparse.csr_matrix) -> np.ndarray:
        scores = np.tile(self.scores_, (owned.shape[0], 1))
        return mask_owned(scores, owned)

    def recommend(self, owned: Collection[int], top_n: int = 5) -> pd.DataFrame:
        """The ``top_n`` most bought products not in ``owned`` (product ids).

        Returns
        -------
        DataFrame, shape (<= top_n, 3)
            ``product_id, buyers, customers``: each product's buyers out of
            all the customers the model saw.
        """
        top = self.top_items(self.owned_vector(owned), top_n)[0]
        top = top[top >= 0]
        return pd.DataFrame(
            {
                "product_id": self.product_ids_[top],
                "buyers": self.buyers_[top],
                "customers": self.n_customers_,
            }
        )
