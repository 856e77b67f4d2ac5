"""Bought-together rules: pairs of products that share quotes more than chance.

Each accepted quote is a basket. For products A and B over the N baskets kept:

- ``support`` = P(A and B), the share of baskets holding both;
- ``confidence`` (A -> B) = P(B | A) = support / P(A);
- ``lift`` = P(A and B) / (P(A) P(B)) = confidence(A -> B) / P(B): 1 when the
  two are independent, 3 when they meet three times as often as chance.

All pair counts come from one sparse product ``B.T @ B`` of the basket-by-
product matrix, never from a loop over pairs. A basket with more than
``max_basket_size`` distinct products is left out (bulk orders that hold
half the catalogue say nothing about which products go together, and would
make the product quadratic in their size); how many were left out is kept in
``skipped_baskets_``.
"""

from __future__ import annotations

import io
import json
import logging
from typing import Self

import numpy as np
import pandas as pd
from scipy import sparse

from analytics.params import HyperparameterMixin
from analytics.recommend.errors import ArtifactError, NoPurchasesError, NotFittedError

logger = logging.getLogger(__name__)

ARTIFACT_FORMAT = "npz"
ARTIFACT_VERSION = 1

RULE_COLUMNS = (
    "antecedent_id",
    "consequent_id",
    "count",
    "antecedent_count",
    "consequent_count",
    "support",
    "confidence",
    "lift",
)


class PairRules(HyperparameterMixin):
    """Mines A -> B rules over baskets.

    Parameters
    ----------
    min_count : int
        Baskets that must hold both products for a rule to be kept.
    min_support : float
        Share of baskets that must hold both products.
    max_basket_size : int
        Baskets with more distinct products are left out.
    min_lift : float
        Lift a rule needs to be listed for a product: a companion must meet
        it clearly more often than chance, not just above 1.
    overall_min_support : float
        Share of baskets a pair must reach to be among the ``strongest``
        overall, so that list shows patterns, not coincidences of rare
        products (whose lift can run into the thousands).

    Attributes
    ----------
    rules_ : DataFrame, shape (n_rules, 8)
        ``RULE_COLUMNS``, both directions of each pair, strongest lift first.
    n_baskets_ : int
        Baskets counted (after leaving out the large ones).
    skipped_baskets_ : int
        Baskets left out for holding more than ``max_basket_size`` products.
    """

    def __init__(
        self,
        min_count: int = 5,
        min_support: float = 0.0,
        max_basket_size: int = 50,
        min_lift: float = 1.2,
        overall_min_support: float = 0.005,
    ) -> None:
        self.min_count = min_count
        self.min_support = min_support
        self.max_basket_size = max_basket_size
        self.min_lift = min_lift
        self.overall_min_support = overall_min_support

    def fit(self, lines: pd.DataFrame) -> Self:
        """Mine the rules of the baskets in ``lines`` (``quote_id, product_id``)."""
        baskets, product_ids = self._baskets(lines)
        n = baskets.shape[0]
        together = sparse.triu(baskets.T @ baskets, k=1).tocoo()
        counts = np.asarray(baskets.sum(axis=0)).ravel()
        keep = (together.data >= self.min_count) & (
            together.data >= self.min_support * n
        )
        a, b, both = together.row[keep], together.col[keep], together.data[keep]
        rules = pd.concat(
            [
                _direction(a, b, both, counts, n, product_ids),
                _direction(b, a, both, counts, n, product_ids),
            ],
            ignore_index=True,
        )
        self.rules_ = _ranked(rules)
        self.n_baskets_ = n
        logger.info(
            "mined %s rules from %s baskets (%s larger than %s left out)",
            len(self.rules_),
            n,
            self.skipped_baskets_,
            self.max_basket_size,
        )
        return self

    def to_artifact(self) -> tuple[str, bytes]:
        """The mined rules as ``("npz", payload)``: one numpy array a column."""
        self._check_fitted()
        header = {
            "version": ARTIFACT_VERSION,
            "params": self.get_params(),
            "n_baskets": self.n_baskets_,
            "skipped_baskets": self.skipped_baskets_,
        }
        buffer = io.BytesIO()
        columns = {name: self.rules_[name].to_numpy() for name in RULE_COLUMNS}
        np.savez_compressed(buffer, header=np.array(json.dumps(header)), **columns)
        return ARTIFACT_FORMAT, buffer.getvalue()

    @classmethod
    def from_artifact(cls, fmt: str, payload: bytes) -> Self:
        """Rebuild mined rules from what ``to_artifact`` returned."""
        if fmt != ARTIFACT_FORMAT:
            raise ArtifactError(
                f"Bought-together rules are stored as {ARTIFACT_FORMAT!r}; got "
                f"{fmt!r}. Retrain with `quotebot train`."
            )
        with np.load(io.BytesIO(payload), allow_pickle=False) as arrays:
            header = json.loads(str(arrays["header"]))
            if header.get("version") != ARTIFACT_VERSION:
                raise ArtifactError(
                    "These rules were stored by another version; retrain with "
                    "`quotebot train`."
                )
            rules = pd.DataFrame({name: arrays[name] for name in RULE_COLUMNS})
        model = cls(**header["params"])
        model.rules_ = rules
        model.n_baskets_ = int(header["n_baskets"])
        model.skipped_baskets_ = int(header["skipped_baskets"])
        return model

    def for_product(self, product_id: int, top_n: int = 10) -> pd.DataFrame:
        """Rules from ``product_id``: what goes with it, most often first.

        Only rules with at least ``min_lift`` (bought together clearly more
        often than chance) are kept; they are ordered by confidence, then lift.
        """
        self._check_fitted()
        own = self.rules_[
            (self.rules_["antecedent_id"] == product_id)
            & (self.rules_["lift"] >= self.min_lift)
        ]
        return own.sort_values(
            ["confidence", "lift"], ascending=False, kind="stable"
        ).head(top_n)

    def strongest(self, top_n: int = 10) -> pd.DataFrame:
        """The ``top_n`` pairs of highest lift, one direction each (the likelier).

        Only pairs in at least ``overall_min_support`` of the baskets count.
        """
        self._check_fitted()
        common = self.rules_[self.rules_["support"] >= self.overall_min_support]
        pairs = common.assign(
            pair=lambda r: [
                (min(a, b), max(a, b))
                for a, b in zip(r["antecedent_id"], r["consequent_id"], strict=True)
            ]
        )
        pairs = pairs.sort_values(["lift", "confidence"], ascending=False)
        return pairs.drop_duplicates("pair").drop(columns="pair").head(top_n)

    def _baskets(self, lines: pd.DataFrame) -> tuple[sparse.csr_matrix, np.ndarray]:
        pairs = lines[["quote_id", "product_id"]].drop_duplicates()
        if pairs.empty:
            raise NoPurchasesError(
                "There are no accepted quote lines, so no baskets to mine rules from."
            )
        sizes = pairs.groupby("quote_id")["product_id"].transform("size")
        large = sizes > self.max_basket_size
        self.skipped_baskets_ = int(pairs.loc[large, "quote_id"].nunique())
        pairs = pairs[~large]
        quote_ids, rows = np.unique(pairs["quote_id"].to_numpy(), return_inverse=True)
        product_ids, columns = np.unique(
            pairs["product_id"].to_numpy(), return_inverse=True
        )
        baskets = sparse.csr_matrix(
            (np.ones(len(pairs), dtype=np.int32), (rows, columns)),
            shape=(len(quote_ids), len(product_ids)),
        )
        return baskets, product_ids

    def _check_fitted(self) -> None:
        if not hasattr(self, "rules_"):
            raise NotFittedError("bought-together rules", "list rules")


def _direction(a, b, both, counts, n, product_ids) -> pd.DataFrame:
    """Rules a -> b, with support, confidence and lift from the counts."""
    count_a, count_b = counts[a], counts[b]
    return pd.DataFrame(
        {
            "antecedent_id": product_ids[a],
            "consequent_id": product_ids[b],
            "count": both.astype(np.int64),
            "antecedent_count": count_a.astype(np.int64),
            "consequent_count": count_b.astype(np.int64),
            "support": both / n,
            "confidence": both / count_a,
            "lift": both * n / (count_a.astype(float) * count_b),
        }
    )


def _ranked(rules: pd.DataFrame) -> pd.DataFrame:
    return rules.sort_values(
        ["lift", "confidence", "antecedent_id"],
        ascending=[False, False, True],
        kind="stable",
    ).reset_index(drop=True)[list(RULE_COLUMNS)]
