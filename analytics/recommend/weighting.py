"""Weights for implicit feedback: how much one purchase says about a product.

Purchases are not ratings. A customer who buys nearly everything says little
about any one product, and a tenth order of a product is not ten times the
evidence of the first. Each weighting maps the quote counts (customers by
products) to weights for the cosine between products:

- ``binary``: 1 for bought, whatever the count.
- ``tfidf``: ``log(1 + count)`` times the customer's inverse frequency
  ``log(1 + n_products / products bought)``.
- ``bm25``: the count saturated as in Okapi BM25 (``k1``), normalised by how
  often the product is bought overall (``b``), times the same inverse
  frequency. Products are the documents, customers their terms.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

WEIGHTINGS = ("binary", "tfidf", "bm25")


def weight_purchases(
    counts: sparse.csr_matrix, weighting: str, k1: float = 1.2, b: float = 0.75
) -> sparse.csr_matrix:
    """Weighted purchases, same shape and pattern as ``counts``.

    Parameters
    ----------
    counts : csr_matrix, shape (n_customers, n_products)
        Quote counts, positive where bought.
    weighting : {"binary", "tfidf", "bm25"}
    k1, b : float
        BM25 saturation and length normalisation (used by ``bm25`` only).

    Returns
    -------
    csr_matrix of float32, shape (n_customers, n_products)
    """
    if weighting not in WEIGHTINGS:
        raise ValueError(
            f"The 'weighting' parameter must be one of {', '.join(WEIGHTINGS)}; "
            f"got {weighting!r} instead."
        )
    weights = counts.tocoo(copy=True).astype(np.float32)
    if weighting == "binary":
        weights.data[:] = 1.0
        return weights.tocsr()
    idf = _customer_idf(counts)[weights.row]
    if weighting == "tfidf":
        weights.data = np.log1p(weights.data) * idf
        return weights.tocsr()
    length = np.asarray(counts.sum(axis=0)).ravel()
    norm = k1 * (1 - b + b * length / length.mean())
    count = weights.data
    weights.data = count * (k1 + 1) / (count + norm[weights.col]) * idf
    return weights.tocsr()


def _customer_idf(counts: sparse.csr_matrix) -> np.ndarray:
    """``log(1 + n_products / products bought)`` per customer, always positive."""
    bought = np.maximum(np.diff(counts.indptr), 1)
    return np.log1p(counts.shape[1] / bought).astype(np.float32)
