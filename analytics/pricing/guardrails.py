"""What a suggestion may never do: sell below the floor, or exceed a role's limit.

The floor price keeps a minimum gross margin on the price after discount::

    floor = unit_cost / (1 - min_margin)

so with ``min_margin`` 0.15 a product costing 62 % of list may be discounted
to no less than 73 % of list (27 % off). The limit is the largest discount the
person asking may give on their own (a rep less than a manager); the tools
layer sets both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analytics.pricing.errors import NoAllowedDiscountError, PricingError


@dataclass(frozen=True)
class Guardrails:
    """The floor and the limit for one suggestion.

    Parameters
    ----------
    max_discount : float
        Largest discount allowed, in percent of list price.
    min_margin : float
        Smallest gross margin on the discounted price, as a fraction (0.15 is
        15 %).
    """

    max_discount: float = 100.0
    min_margin: float = 0.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.min_margin < 1.0:
            raise PricingError(
                "The 'min_margin' of Guardrails must be a fraction in [0, 1). Got "
                f"{self.min_margin!r} instead."
            )
        if self.max_discount < 0:
            raise PricingError(
                "The 'max_discount' of Guardrails must be a percentage of at least "
                f"0. Got {self.max_discount!r} instead."
            )

    def floor_ratio(self, cost_ratio: float) -> float:
        """The lowest price as a fraction of list: cost plus the minimum margin."""
        return float(cost_ratio) / (1.0 - self.min_margin)

    def allowed(self, discounts: np.ndarray, cost_ratio: float) -> np.ndarray:
        """Which ``discounts`` (percent, shape (n,)) respect the floor and limit.

        Returns
        -------
        ndarray of bool, shape (n,)
        """
        discounts = np.asarray(discounts, dtype=float)
        ratio = 1.0 - discounts / 100.0
        above_floor = ratio >= self.floor_ratio(cost_ratio) - 1e-9
        return above_floor & (discounts <= self.max_discount + 1e-9)

    def check(self, discounts: np.ndarray, cost_ratio: float) -> np.ndarray:
        """``allowed``, or NoAllowedDiscountError when nothing is."""
        mask = self.allowed(discounts, cost_ratio)
        if not mask.any():
            raise NoAllowedDiscountError(
                self.floor_ratio(cost_ratio), self.max_discount
            )
        return mask
