"""Item-based collaborative filtering on who bought what.

Two products are similar when the same customers buy them: the cosine between
their columns of the weighted customer-by-product matrix (``weighting``),
shrunk towards zero when few customers bought both (``shrinkage``), so two
rare products bought by one shared customer do not look like a perfect pair.
Each product keeps its ``neighbours`` most similar products. A customer's
score for a product is the sum of its similarities to the products the
customer already buys, and each suggestion carries its strongest reason in
numbers: the product it is most similar to among the customer's, and how many
of that product's buyers also bought it.

Similarities are computed a block of products at a time with sparse matrix
products, so memory stays bounded for catalogues of thousands of products.
The fitted model is stored as compressed numpy arrays (``to_artifact``),
never pickled.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Collection
from typing import Self

import numpy as np
import pandas as pd
from scipy import sparse

from analytics.recommend.base import Recommender, mask_owned
from analytics.recommend.errors import ArtifactError
from analytics.recommend.purchases import Purchases
from analytics.recommend.weighting import weight_purchases

logger = logging.getLogger(__name__)

BLOCK = 256
ARTIFACT_FORMAT = "npz"
ARTIFACT_VERSION = 1
SUGGESTION_COLUMNS = (
    "product_id",
    "score",
    "because_product_id",
    "co_buyers",
    "because_buyers",
)
ARRAYS = ("product_ids_", "buyers_", "indptr", "indices", "similarity", "co_buyers")


class ItemBasedRecommender(Recommender):
    """Item-to-item cosine similarity over weighted implicit purchases.

    Parameters
    ----------
    weighting : {"binary", "tfidf", "bm25"}
        How purchase counts become weights (``analytics.recommend.weighting``).
    neighbours : int
        Most similar products kept per product.
    shrinkage : float
        Similarity is multiplied by ``n / (n + shrinkage)``, ``n`` the
        customers who bought both; 0 turns it off.
    k1, b : float
        BM25 parameters, used by ``weighting="bm25"`` only.

    Attributes
    ----------
    similarity_ : csr_matrix, shape (n_products, n_products)
        Row ``i`` holds product ``i``'s neighbours and their similarity.
    co_buyers_ : csr_matrix of int, same pattern as ``similarity_``
        Customers who bought both products of each kept pair.
    """

    name = "item_cf"

    def __init__(
        self,
        weighting: str = "bm25",
        neighbours: int = 20,
        shrinkage: float = 5.0,
        k1: float = 1.2,
        b: float = 0.75,
    ) -> None:
        self.weighting = weighting
        self.neighbours = neighbours
        self.shrinkage = shrinkage
        self.k1 = k1
        self.b = b

    def _fit(self, purchases: Purchases) -> None:
        bought = purchases.bought.tocsc()
        weights = weight_purchases(
            purchases.counts, self.weighting, self.k1, self.b
        ).tocsc()
        norms = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=0)).ravel())
        blocks = [
            self._neighbours(weights, bought, norms, start)
            for start in range(0, bought.shape[1], BLOCK)
        ]
        parts = (np.concatenate(part) for part in zip(*blocks, strict=True))
        rows, columns, similarity, co_buyers = parts
        shape = (bought.shape[1],) * 2
        self.similarity_ = sparse.csr_matrix((similarity, (rows, columns)), shape)
        self.co_buyers_ = sparse.csr_matrix((co_buyers, (rows, columns)), shape)
        logger.info(
            "item-based recommender (%s) fitted on %s customers and %s products, "
            "%s similar pairs kept",
            self.weighting,
            self.n_customers_,
            shape[0],
            self.similarity_.nnz,
        )

    def _neighbours(self, weights, bought, norms, start: int):
        """The kept neighbours of products ``start`` to ``start + BLOCK``."""
        stop = min(start + BLOCK, bought.shape[1])
        dots = (weights[:, start:stop].T @ weights).toarray()
        both = (bought[:, start:stop].T @ bought).toarray()
        denominator = np.outer(norms[start:stop], norms)
        similarity = np.divide(
            dots, denominator, out=np.zeros_like(dots), where=denominator > 0
        )
        if self.shrinkage > 0:
            similarity *= both / (both + self.shrinkage)
        local = np.arange(stop - start)
        similarity[local, local + start] = 0.0

        k = min(self.neighbours, similarity.shape[1])
        top = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        values = np.take_along_axis(similarity, top, axis=1)
        keep = values > 0
        rows = np.broadcast_to((local + start)[:, None], top.shape)[keep]
        counts = np.take_along_axis(both, top, axis=1)[keep]
        return rows, top[keep], values[keep], counts.round().astype(np.int64)

    def _scores(self, owned: sparse.csr_matrix) -> np.ndarray:
        scores = (owned @ self.similarity_).toarray()
        return mask_owned(scores, owned)

    def recommend(self, owned: Collection[int], top_n: int = 5) -> pd.DataFrame:
        """The ``top_n`` best products for a customer who buys ``owned``.

        Parameters
        ----------
        owned : collection of int
            Product ids the customer already buys; ids the model never saw
            are ignored.
        top_n : int

        Returns
        -------
        DataFrame, shape (<= top_n, 5)
            ``product_id, score, because_product_id, co_buyers,
            because_buyers``: the score (a ranking, not a probability), the
            customer's product it is most similar to, how many customers
            bought both, and how many bought that product. Empty when nothing
            the customer buys has neighbours.
        """
        vector = self.owned_vector(owned)
        top = self.top_items(vector, top_n)[0]
        top = top[top >= 0]
        if not len(top):
            return pd.DataFrame(columns=list(SUGGESTION_COLUMNS))
        scores = (vector @ self.similarity_).toarray()[0, top]
        mine = vector.indices
        contributions = self.similarity_[mine][:, top].toarray()
        because = mine[contributions.argmax(axis=0)]
        return pd.DataFrame(
            {
                "product_id": self.product_ids_[top],
                "score": scores.round(4),
                "because_product_id": self.product_ids_[because],
                "co_buyers": np.asarray(self.co_buyers_[because, top]).ravel(),
                "because_buyers": self.buyers_[because],
            }
        )

    def to_artifact(self) -> tuple[str, bytes]:
        """The fitted model as ``("npz", payload)``: numpy arrays, no pickle."""
        self._check_fitted("be saved")
        buffer = io.BytesIO()
        header = {"version": ARTIFACT_VERSION, "n_customers": self.n_customers_}
        np.savez_compressed(
            buffer,
            header=np.array(json.dumps({**header, "params": self.get_params()})),
            product_ids_=self.product_ids_,
            buyers_=self.buyers_,
            indptr=self.similarity_.indptr,
            indices=self.similarity_.indices,
            similarity=self.similarity_.data.astype(np.float32),
            co_buyers=self.co_buyers_.data.astype(np.int64),
        )
        return ARTIFACT_FORMAT, buffer.getvalue()

    @classmethod
    def from_artifact(cls, fmt: str, payload: bytes) -> Self:
        """Rebuild a fitted model from what ``to_artifact`` returned."""
        if fmt != ARTIFACT_FORMAT:
            raise ArtifactError(
                f"An item-based recommender is stored as {ARTIFACT_FORMAT!r}; got "
                f"{fmt!r}. Retrain with `quotebot train`."
            )
        with np.load(io.BytesIO(payload), allow_pickle=False) as arrays:
            header = json.loads(str(arrays["header"]))
            if header.get("version") != ARTIFACT_VERSION:
                raise ArtifactError(
                    "This item-based recommender was stored by another version; "
                    "retrain with `quotebot train`."
                )
            model = cls(**header["params"])
            model._restore(header, {name: arrays[name] for name in ARRAYS})
        return model

    def _restore(self, header: dict, arrays: dict[str, np.ndarray]) -> None:
        self.product_ids_ = arrays["product_ids_"]
        self.buyers_ = arrays["buyers_"]
        self.n_customers_ = int(header["n_customers"])
        n = len(self.product_ids_)
        pattern = (arrays["indices"], arrays["indptr"])
        self.similarity_ = sparse.csr_matrix((arrays["similarity"], *pattern), (n, n))
        self.co_buyers_ = sparse.csr_matrix((arrays["co_buyers"], *pattern), (n, n))
