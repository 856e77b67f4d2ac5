"""Errors raised by the pricing package.

``PricingError`` is the root; a caller that only wants to tell a person what
went wrong can catch it and show its message, which ends with what to do.

    PricingError
     +-- NotFittedError       suggest or read arms before fit
     +-- NoAllowedDiscountError  the guardrails leave no discount to offer
"""

from __future__ import annotations


class PricingError(Exception):
    """Root of every error the pricing package raises on purpose."""


class NotFittedError(PricingError):
    """The pricer was asked to suggest or report before it was fitted."""

    def __init__(self, action: str = "suggest a discount") -> None:
        super().__init__(
            f"The Thompson pricer cannot {action} before it is fitted; call fit "
            "first (or build one from stored arms with ThompsonPricer.from_arms)."
        )
        self.action = action


class NoAllowedDiscountError(PricingError):
    """Every discount on the grid breaks the floor price or the discount limit."""

    def __init__(self, floor_ratio: float, max_discount: float) -> None:
        super().__init__(
            f"No discount keeps the price at or above the floor ({floor_ratio:.0%} "
            f"of list) within the limit of {max_discount:g}%; quote at list price "
            "or ask a manager to review the product's cost."
        )
        self.floor_ratio = floor_ratio
        self.max_discount = max_discount
