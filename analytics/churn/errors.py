"""Errors raised by the churn package.

``ChurnError`` is the root; a caller that only wants to tell a person what
went wrong can catch it and show its message, which ends with what to do.

    ChurnError
     +-- NotFittedError          predict, calibrate or save before fit
     +-- TooLittleHistoryError   the quotes span too few days for the cutoffs
     +-- CutoffError             a label window runs past the last day of data
     +-- FeatureError            the input lacks columns or holds one class only
     +-- UnknownModelError       no churn model has the name asked for
     +-- ArtifactError           a stored model cannot be read back
"""

from __future__ import annotations


class ChurnError(Exception):
    """Root of every error the churn package raises on purpose."""


class NotFittedError(ChurnError):
    """A model was asked to score, calibrate or be saved before it was fitted."""

    def __init__(self, model: str) -> None:
        super().__init__(f"The {model} churn model is not fitted yet; call fit first.")
        self.model = model


class TooLittleHistoryError(ChurnError):
    """The quote history is too short to label, calibrate and train on.

    Parameters
    ----------
    needed, got : int
        Days of history needed and days the quotes span.
    window_days : int
        The churn window, named in the message.
    """

    def __init__(self, needed: int, got: int, window_days: int) -> None:
        super().__init__(
            f"Churn models need at least {needed} days of quote history for a "
            f"{window_days}-day window (one window to score the evaluation, one "
            "to calibrate, and the rest to train on); got "
            f"{got}. Load more history or shorten window_days."
        )
        self.needed = needed
        self.got = got
        self.window_days = window_days


class CutoffError(ChurnError):
    """A cutoff whose label window is not fully inside the data."""


class FeatureError(ChurnError):
    """Model input without the expected columns, or labels of a single class."""


class UnknownModelError(ChurnError):
    """No churn model is registered under the name asked for."""


class ArtifactError(ChurnError):
    """A stored artifact has another format or model than the one reading it."""
