"""Errors raised by the forecasting package.

``ForecastError`` is the root; a caller that only wants to tell a person what
went wrong can catch it and show its message, which ends with what to do.

    ForecastError
     +-- NotFittedError          predict or to_artifact before fit
     +-- TooLittleHistoryError   the series is shorter than the model needs
     +-- HorizonError            a forecast further ahead than the model can go
     +-- ArtifactError           a stored model cannot be read back
"""

from __future__ import annotations

UNITS = {"D": "days", "W-MON": "weeks"}


class ForecastError(Exception):
    """Root of every error the forecasting package raises on purpose."""


class NotFittedError(ForecastError):
    """A model was asked to forecast, or to be saved, before it was fitted."""

    def __init__(self, model: str) -> None:
        super().__init__(f"The {model} forecaster is not fitted yet; call fit first.")
        self.model = model


class TooLittleHistoryError(ForecastError):
    """The series is too short for the model (or the backtest) asked for.

    Parameters
    ----------
    needed, got : int
        Periods of history needed and periods given.
    frequency : str
        ``"D"`` or ``"W-MON"``; names the unit in the message.
    model : str, optional
        The model that needs the history, named in the message.
    """

    def __init__(
        self, needed: int, got: int, frequency: str = "D", model: str | None = None
    ) -> None:
        unit = UNITS.get(frequency, "periods")
        who = f"{model} " if model else ""
        super().__init__(
            f"{who}needs at least {needed} {unit} of history; got {got}. "
            "Widen the period or the scope, or fall back to the seasonal-naive "
            "baseline."
        )
        self.needed = needed
        self.got = got
        self.frequency = frequency
        self.model = model


class HorizonError(ForecastError):
    """The horizon asked for is not a positive number of periods the model serves."""


class ArtifactError(ForecastError):
    """A stored artifact has another format or model than the one reading it."""
