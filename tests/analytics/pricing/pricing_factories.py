"""Decided quotes drawn from known acceptance curves, and small markets."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.pricing import DISCOUNT_GRID, Market, MarketSegment


def logistic_acceptance(alpha: float, beta: float, discount: np.ndarray) -> np.ndarray:
    ratio = 1 - np.asarray(discount, dtype=float) / 100
    return 1 / (1 + np.exp(-(alpha - beta * ratio)))


def decided_quotes(
    cells: dict[tuple[str, str], int], alpha=14.6, beta=16.0, seed=0
) -> pd.DataFrame:
    """``count`` quotes per (segment, category), discounts uniform on the grid."""
    rng = np.random.default_rng(seed)
    frames = []
    for (segment, category), count in cells.items():
        discount = rng.choice(DISCOUNT_GRID, size=count)
        accepted = rng.random(count) < logistic_acceptance(alpha, beta, discount)
        frames.append(
            pd.DataFrame(
                {
                    "segment": segment,
                    "category": category,
                    "discount_pct": discount,
                    "accepted": accepted,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def two_segment_market() -> Market:
    """A price-insensitive and a price-sensitive segment, cheap and dear goods."""
    mix = {"Software": 1.0, "Hardware": 1.0}
    return Market(
        segments=(
            MarketSegment(
                "loyal", 0.5, 3.1, 3.0, (0.05, 0.1, 0.2, 0.25, 0.2, 0.12, 0.08), mix
            ),
            MarketSegment(
                "price_hunters", 0.5, 14.6, 16.0, (0.3, 0.3, 0.2, 0.1, 0.1, 0, 0), mix
            ),
        ),
        cost_ratios={"Software": 0.12, "Hardware": 0.62},
    )
