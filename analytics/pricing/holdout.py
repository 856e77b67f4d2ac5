"""How well the pricer's acceptance estimates predict quotes decided later.

The pricer's suggestions are only as good as its chances of acceptance.
``acceptance_holdout`` fits on the older decided quotes and scores the newer
ones (log loss and Brier score of the posterior mean) against two baselines
that ignore who the customer is and what they buy: the acceptance rate at the
quote's discount over every cell, and the overall acceptance rate.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analytics.pricing.errors import PricingError
from analytics.pricing.model import DISCOUNT_GRID, PRIOR_STRENGTH, ThompsonPricer

TEST_SHARE = 0.25
MIN_QUOTES = 40
EPSILON = 1e-6
DIGITS = 4


def acceptance_holdout(
    decided: pd.DataFrame,
    test_share: float = TEST_SHARE,
    discounts: tuple[float, ...] = DISCOUNT_GRID,
    prior_strength: float = PRIOR_STRENGTH,
) -> dict[str, Any]:
    """Log loss and Brier score on the newest ``test_share`` of decided quotes.

    Parameters
    ----------
    decided : DataFrame, shape (n_quotes, >= 5)
        ``segment, category, discount_pct, accepted, created_at``.
    test_share : float
        Share of the quotes, newest first, held out.

    Returns
    -------
    dict
        ``train_quotes, test_quotes, cutoff`` and ``models``: for
        ``thompson`` (pooled), ``thompson_unpooled``, ``discount_rate`` and
        ``overall_rate``, their ``log_loss`` and ``brier``.
    """
    if len(decided) < MIN_QUOTES:
        raise PricingError(
            f"scoring acceptance on later quotes needs at least {MIN_QUOTES} "
            f"decided quotes; got {len(decided)}. Decide more quotes first."
        )
    ordered = decided.sort_values("created_at", kind="stable")
    split = int(round(len(ordered) * (1 - test_share)))
    train, test = ordered.iloc[:split], ordered.iloc[split:]
    truth = test["accepted"].to_numpy(dtype=float)

    predictions = {
        "thompson": _posterior_means(train, test, discounts, prior_strength),
        "thompson_unpooled": _posterior_means(train, test, discounts, 0.0),
        "discount_rate": _discount_rates(train, test, discounts),
        "overall_rate": np.full(len(test), train["accepted"].mean()),
    }
    return {
        "train_quotes": len(train),
        "test_quotes": len(test),
        "cutoff": str(pd.Timestamp(test["created_at"].iloc[0]).date()),
        "models": {name: _scores(truth, p) for name, p in predictions.items()},
    }


def _posterior_means(train, test, discounts, prior_strength) -> np.ndarray:
    pricer = ThompsonPricer(discounts, prior_strength).fit(train)
    levels = pricer.snap(test["discount_pct"].to_numpy(dtype=float))
    cells = {}
    out = np.empty(len(test))
    for i, (segment, category, level) in enumerate(
        zip(test["segment"], test["category"], levels, strict=True)
    ):
        key = (segment, category)
        if key not in cells:
            cells[key] = pricer.posterior(segment, category)["mean"].to_numpy()
        out[i] = cells[key][level]
    return out


def _discount_rates(train, test, discounts) -> np.ndarray:
    """Acceptance at each discount over every cell, Beta(1, 1)-smoothed."""
    pooled = train.assign(segment="all", category="all")
    return _posterior_means(
        pooled, test.assign(segment="all", category="all"), discounts, 0.0
    )


def _scores(truth: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    p = np.clip(predicted, EPSILON, 1 - EPSILON)
    log_loss = -np.mean(truth * np.log(p) + (1 - truth) * np.log(1 - p))
    return {
        "log_loss": round(float(log_loss), DIGITS),
        "brier": round(float(np.mean((p - truth) ** 2)), DIGITS),
    }
