"""Errors raised by the text package.

``TextModelError`` is the root; a caller that only wants to tell a person what
went wrong can catch it and show its message, which ends with what to do.

    TextModelError
     +-- NotFittedError         predict or to_artifact before fit
     +-- ArtifactError          a stored sentiment model cannot be read back
     +-- SummariserError        the configured summariser cannot be loaded
"""

from __future__ import annotations


class TextModelError(Exception):
    """Root of every error the text package raises on purpose."""


class NotFittedError(TextModelError):
    """A model was asked to predict or be saved before it was fitted."""

    def __init__(self, model: str, action: str = "predict") -> None:
        super().__init__(
            f"The {model} cannot {action} before it is fitted; call fit first."
        )


class ArtifactError(TextModelError):
    """A stored model is not in the expected format; re-train it."""


class SummariserError(TextModelError):
    """The summariser at the configured path cannot be loaded or run."""
