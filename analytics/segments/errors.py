"""Errors raised by the segments package.

``SegmentError`` is the root; a caller that only wants to tell a person what
went wrong can catch it and show its message, which ends with what to do.

    SegmentError
     +-- NotFittedError          predict, describe or to_artifact before fit
     +-- TooFewCustomersError    fewer buying customers than the segments need
     +-- UnknownCustomerError    a customer id with no row in the features
     +-- ArtifactError           a stored segmenter cannot be read back
"""

from __future__ import annotations


class SegmentError(Exception):
    """Root of every error the segments package raises on purpose."""


class NotFittedError(SegmentError):
    """The segmenter was asked to assign, describe or be saved before it was fitted."""

    def __init__(self, action: str = "assign segments") -> None:
        super().__init__(
            f"The customer segmenter cannot {action} before it is fitted; call fit "
            "first (or load a fitted one with CustomerSegmenter.from_artifact)."
        )
        self.action = action


class TooFewCustomersError(SegmentError):
    """Too few customers with an accepted order to form the segments asked for.

    Parameters
    ----------
    needed, got : int
        Customers needed and customers given.
    k : int
        The smallest number of segments that was asked for.
    """

    def __init__(self, needed: int, got: int, k: int) -> None:
        super().__init__(
            f"Segmenting into {k} segments needs at least {needed} customers with "
            f"an accepted order; got {got}. Widen the period or the scope, or ask "
            "for fewer segments."
        )
        self.needed = needed
        self.got = got
        self.k = k


class UnknownCustomerError(SegmentError):
    """A customer id that has no row in the features frame."""

    def __init__(self, customer_id: object) -> None:
        super().__init__(
            f"Customer {customer_id!r} has no accepted order in the period "
            "segmented, so it belongs to no segment; check the id or widen the "
            "period."
        )
        self.customer_id = customer_id


class ArtifactError(SegmentError):
    """A stored artifact has another format, model or version than this code reads."""
