"""Errors raised by the recommend package.

``RecommendError`` is the root; its messages say what was wrong and what to do.

    RecommendError
     +-- NotFittedError        recommend or to_artifact before fit
     +-- NoPurchasesError      nothing to learn from: no customer bought anything
     +-- TooLittleHistoryError too short a history for a temporal holdout
     +-- ArtifactError         a stored recommender cannot be read back
"""

from __future__ import annotations


class RecommendError(Exception):
    """Root of every error the recommend package raises on purpose."""


class NotFittedError(RecommendError):
    """A recommender was asked to recommend or be saved before it was fitted."""

    def __init__(self, model: str, action: str = "recommend") -> None:
        super().__init__(
            f"The {model} recommender cannot {action} before it is fitted; call fit "
            "first (or load a fitted one with from_artifact)."
        )


class NoPurchasesError(RecommendError):
    """The purchases given are empty, so there is nothing to learn from."""


class TooLittleHistoryError(RecommendError):
    """Too little history before and after a cutoff to measure recommendations."""


class ArtifactError(RecommendError):
    """A stored artifact has another format or version than this code reads."""
