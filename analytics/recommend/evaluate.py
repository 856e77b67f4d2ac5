"""Do the recommendations name what customers went on to buy?

A temporal holdout: models learn from the purchases before a cutoff and are
scored on each customer's new products after it (products the customer had
not bought before the cutoff), for every customer who bought both before and
new products after. Two numbers per model:

- ``hit_rate_at_5``: share of those customers with at least one new product
  among their top 5;
- ``recall_at_10``: new products found in the top 10, over the new products
  the customer bought (at most 10 counted, so a perfect list scores 1).

The item-based variants (each weighting of ``WEIGHTINGS`` with each
neighbour count of ``NEIGHBOURS_GRID``) are first compared on a validation
split that ends at the cutoff (train before ``cutoff - horizon``, judge on
the ``horizon`` days up to the cutoff). Each weighting keeps its best
neighbour count, the weighting with the best recall there is ``selected``,
then every model is scored on the test window after the cutoff. Nothing
after the cutoff picks a model or a hyperparameter.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from scipy import sparse

from analytics.recommend.base import Recommender
from analytics.recommend.errors import TooLittleHistoryError
from analytics.recommend.item_cf import ItemBasedRecommender
from analytics.recommend.popularity import PopularityRecommender
from analytics.recommend.purchases import purchase_matrix
from analytics.recommend.weighting import WEIGHTINGS

logger = logging.getLogger(__name__)

HORIZON_DAYS = 90
MIN_TEST_CUSTOMERS = 10
NEIGHBOURS_GRID = (10, 20, 50)


def candidate_models(
    tuned: dict[str, int] | None = None, **item_params
) -> dict[str, Recommender]:
    """The baseline and one item-based model per weighting, by name.

    ``tuned`` maps a weighting to its number of neighbours (the default or
    ``item_params``' where absent); ``item_params`` go to every item-based
    model.
    """
    tuned = tuned or {}
    models: dict[str, Recommender] = {"popularity": PopularityRecommender()}
    for weighting in WEIGHTINGS:
        params = dict(item_params)
        if weighting in tuned:
            params["neighbours"] = tuned[weighting]
        models[f"item_cf_{weighting}"] = ItemBasedRecommender(
            weighting=weighting, **params
        )
    return models


def evaluate_recommendations(
    lines: pd.DataFrame,
    horizon_days: int = HORIZON_DAYS,
    neighbours_grid: tuple[int, ...] = NEIGHBOURS_GRID,
    **item_params,
) -> dict:
    """Every candidate on the last ``horizon_days``, tuned on the days before.

    Parameters
    ----------
    lines : DataFrame, shape (n_lines, >= 4)
        Accepted quote lines with ``quote_id, customer_id, product_id,
        created_at`` (``storage.queries.accepted_lines``).
    horizon_days : int
        Length of the test window, and of the validation window before it.
    neighbours_grid : tuple of int
        Neighbour counts tried for each weighting on validation.
    **item_params
        Passed to every ``ItemBasedRecommender``.

    Returns
    -------
    dict
        ``models`` (name to ``hit_rate_at_5`` and ``recall_at_10`` on the
        test window, each weighting with the neighbours it was tuned to),
        ``selected`` (the item-based variant chosen on validation),
        ``selected_params`` (its ``weighting`` and ``neighbours``),
        ``validation`` (the numbers of every variant tried there, names
        ending in ``_k`` and the neighbours), ``cutoff``, ``customers``
        (customers scored on the test window) and ``horizon_days``.
    """
    end = lines["created_at"].max().normalize() + pd.Timedelta(days=1)
    cutoff = end - pd.Timedelta(days=horizon_days)
    start = cutoff - pd.Timedelta(days=horizon_days)
    earlier = lines[lines["created_at"] < cutoff]
    validation: dict[str, dict] = {}
    tuned: dict[str, int] = {}
    for k in neighbours_grid:
        scored = _score_all(earlier, start, {"neighbours": k, **item_params})
        for name, metrics in scored["models"].items():
            validation[name if name == "popularity" else f"{name}_k{k}"] = metrics
    for weighting in WEIGHTINGS:
        tuned[weighting] = _best_neighbours(validation, weighting, neighbours_grid)
    selected = _best_item_model(validation, tuned)
    test = _score_all(lines, cutoff, item_params, tuned)
    logger.info(
        "recommendations: %s (%s neighbours) selected on validation; test "
        "recall@10 %s against %s for popularity",
        selected,
        tuned[selected.removeprefix("item_cf_")],
        test["models"][selected]["recall_at_10"],
        test["models"]["popularity"]["recall_at_10"],
    )
    weighting = selected.removeprefix("item_cf_")
    return {
        "models": test["models"],
        "selected": selected,
        "selected_params": {"weighting": weighting, "neighbours": tuned[weighting]},
        "validation": validation,
        "cutoff": cutoff.date().isoformat(),
        "customers": test["customers"],
        "horizon_days": horizon_days,
    }


def _score_all(
    lines: pd.DataFrame, cutoff: pd.Timestamp, item_params, tuned=None
) -> dict:
    before = lines[lines["created_at"] < cutoff]
    after = lines[lines["created_at"] >= cutoff]
    if before.empty or after.empty:
        raise TooLittleHistoryError(
            f"Measuring recommendations needs purchases before and after "
            f"{cutoff.date()}; widen the history to twice the holdout window."
        )
    models = candidate_models(tuned, **item_params)
    for model in models.values():
        model.fit(before)
    owned, new = holdout_sets(before, after, models["popularity"].product_ids_)
    if owned.shape[0] < MIN_TEST_CUSTOMERS:
        raise TooLittleHistoryError(
            f"Only {owned.shape[0]} customers bought new products after "
            f"{cutoff.date()}; measuring recommendations needs at least "
            f"{MIN_TEST_CUSTOMERS}."
        )
    scored = {
        name: ranking_metrics(m.top_items(owned, 10), new) for name, m in models.items()
    }
    return {"models": scored, "customers": int(owned.shape[0])}


def holdout_sets(
    before: pd.DataFrame, after: pd.DataFrame, product_ids: np.ndarray
) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """What each test customer owned before, and the new products they bought.

    Returns
    -------
    owned, new : csr_matrix, shape (n_test_customers, n_products)
        Over ``product_ids``; only customers with purchases before and at
        least one new product after. Products first sold after the cutoff
        cannot be recommended and are not counted as new.
    """
    past = purchase_matrix(before, product_ids)
    future = purchase_matrix(after, product_ids)
    common = np.intersect1d(past.customer_ids, future.customer_ids)
    owned = past.bought[np.searchsorted(past.customer_ids, common)]
    bought_after = future.bought[np.searchsorted(future.customer_ids, common)]
    new = bought_after - bought_after.multiply(owned)
    new.eliminate_zeros()
    has_new = np.diff(new.indptr) > 0
    return owned[has_new], new[has_new]


def ranking_metrics(top: np.ndarray, new: sparse.csr_matrix) -> dict[str, float]:
    """``hit_rate_at_5`` and ``recall_at_10`` of ranked column indices.

    Parameters
    ----------
    top : ndarray of int, shape (n_customers, >= 10)
        Ranked product columns per customer, -1 for none.
    new : csr_matrix, shape (n_customers, n_products)
        1 where the customer bought the product new in the test window.
    """
    valid = top[:, :10] >= 0
    rows = np.broadcast_to(np.arange(len(top))[:, None], top[:, :10].shape)
    found = np.zeros(top[:, :10].shape, dtype=bool)
    found[valid] = np.asarray(new[rows[valid], top[:, :10][valid]]).ravel() > 0
    relevant = np.minimum(np.diff(new.indptr), 10)
    return {
        "hit_rate_at_5": round(float(found[:, :5].any(axis=1).mean()), 4),
        "recall_at_10": round(float((found.sum(axis=1) / relevant).mean()), 4),
    }


def _best_neighbours(validation: dict, weighting: str, grid) -> int:
    """The neighbour count of ``weighting``'s best validation recall."""
    return max(
        grid,
        key=lambda k: (validation[f"item_cf_{weighting}_k{k}"]["recall_at_10"], -k),
    )


def _best_item_model(validation: dict, tuned: dict[str, int]) -> str:
    """The weighting, at its tuned neighbours, with the best validation recall."""
    best = max(
        WEIGHTINGS,
        key=lambda w: (validation[f"item_cf_{w}_k{tuned[w]}"]["recall_at_10"], w),
    )
    return f"item_cf_{best}"
