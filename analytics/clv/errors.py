"""Errors raised by the customer-lifetime-value package.

``CLVError`` is the root; a caller that only wants to tell a person what went
wrong can catch it and show its message, which ends with what to do.

    CLVError
     +-- OrdersError             the orders, quotes or summary cannot be used
     +-- NotFittedError          predict or to_artifact before fit
     +-- TooLittleHistoryError   too few days of orders, or too few repeat buyers
     +-- ConvergenceError        the maximum-likelihood fit found no optimum
     +-- ArtifactError           a stored model cannot be read back
"""

from __future__ import annotations


class CLVError(Exception):
    """Root of every error the CLV package raises on purpose."""


class OrdersError(CLVError):
    """The orders or the summary lack a column, are mistyped, or mix currencies."""


class NotFittedError(CLVError):
    """A model was asked to predict, or to be saved, before it was fitted."""

    def __init__(self, model: str) -> None:
        super().__init__(f"The {model} model is not fitted yet; call fit first.")
        self.model = model


class TooLittleHistoryError(CLVError):
    """The orders are too few, or span too short a time, for what was asked.

    Parameters
    ----------
    needed, got : int
        How much is needed and how much there is, in ``unit``.
    unit : str
        What is counted, e.g. ``"days of orders before 2011-09-10"``.
    model : str, optional
        The model that needs it, named in the message.
    advice : str, optional
        What to do instead; the message ends with it.
    """

    def __init__(
        self,
        needed: int,
        got: int,
        unit: str,
        model: str | None = None,
        advice: str = "Use a later cutoff or a wider scope of customers.",
    ) -> None:
        who = f"{model} " if model else ""
        super().__init__(f"{who}needs at least {needed} {unit}; got {got}. {advice}")
        self.needed = needed
        self.got = got
        self.unit = unit
        self.model = model


class ConvergenceError(CLVError):
    """The likelihood could not be maximised, or its optimum is unusable."""


class ArtifactError(CLVError):
    """A stored artifact has another format or model than the one reading it."""
