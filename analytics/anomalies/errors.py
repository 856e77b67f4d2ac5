"""Errors raised by the anomalies package.

``AnomalyError`` is the root; a caller that only wants to tell a person what
went wrong can catch it and show its message, which ends with what to do.

    AnomalyError
     +-- NotFittedError       scoring or saving a detector before fit
     +-- TooFewQuotesError    fewer quotes than a detector needs to learn "usual"
     +-- FeatureError         a features frame without the columns or values needed
     +-- ArtifactError        a stored detector cannot be read back
"""

from __future__ import annotations


class AnomalyError(Exception):
    """Root of every error the anomalies package raises on purpose."""


class NotFittedError(AnomalyError):
    """A detector was asked to score or be saved before it was fitted."""

    def __init__(self, detector: str, action: str = "score quotes") -> None:
        super().__init__(
            f"The {detector} cannot {action} before it is fitted; call fit first "
            "(or load a fitted one with from_artifact)."
        )
        self.detector = detector


class TooFewQuotesError(AnomalyError):
    """Too few quotes to learn what a usual quote looks like.

    Parameters
    ----------
    needed, got : int
        Quotes needed and quotes given.
    """

    def __init__(self, needed: int, got: int) -> None:
        super().__init__(
            f"Judging which quotes are unusual needs at least {needed} quotes to "
            f"learn what is usual; got {got}. Import more quote history and train "
            "again."
        )
        self.needed = needed
        self.got = got


class FeatureError(AnomalyError):
    """The features frame lacks columns or holds values a detector cannot use."""


class ArtifactError(AnomalyError):
    """A stored artifact has another format, model or version than this code reads."""
