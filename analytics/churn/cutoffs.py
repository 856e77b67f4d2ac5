"""Where the rolling cutoffs fall, so no label is ever scored on its own past.

Every cutoff labels the ``window_days`` after it. Counting back from the last
data day (the day of the newest quote):

- the **evaluation** cutoff is ``window_days`` before the last data day, so
  its window ends on it (or the cutoff is given, and its window must fit);
- the **validation** cutoff is ``window_days`` before the evaluation cutoff,
  so its window ends where the evaluation starts; calibrators and early
  stopping use it, the raw fit never does;
- the **training** cutoffs are ``step_days`` apart before the validation
  cutoff, the latest ``step_days`` before it, up to ``n_train`` of them and
  none earlier than ``min_history_days`` after the first data day (before
  that there is too little history to describe an account). A training
  window may overlap the validation window, but it ends on or before the
  evaluation cutoff: nothing after the evaluation cutoff is used to fit.

For serving, ``serving_cutoffs`` puts the validation cutoff on the latest
labelled day (``window_days`` before the last data day) and every training
cutoff that fits before it, with no evaluation cutoff.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.churn.errors import CutoffError, TooLittleHistoryError
from analytics.churn.features import (
    Cutoff,
    as_cutoff,
    first_data_day,
    last_data_day,
)

MIN_HISTORY_DAYS = 90


@dataclass(frozen=True)
class ChurnCutoffs:
    """The cutoffs of one evaluation (or one serving fit), each at midnight.

    ``train`` runs oldest first; ``evaluation`` is None for a serving fit.
    """

    window_days: int
    train: tuple[pd.Timestamp, ...]
    validation: pd.Timestamp
    evaluation: pd.Timestamp | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "window_days": self.window_days,
            "train_cutoffs": [cutoff.date().isoformat() for cutoff in self.train],
            "validation_cutoff": self.validation.date().isoformat(),
            "evaluation_cutoff": (
                self.evaluation.date().isoformat() if self.evaluation else None
            ),
        }


def default_cutoffs(
    quotes: pd.DataFrame,
    window_days: int = 90,
    n_train: int = 6,
    step_days: int = 30,
    *,
    evaluation_cutoff: Cutoff | None = None,
    min_history_days: int = MIN_HISTORY_DAYS,
) -> ChurnCutoffs:
    """Rolling training cutoffs, a validation cutoff and a later evaluation cutoff.

    Parameters
    ----------
    quotes : DataFrame
        The quote history, as ``storage.queries.quote_history`` returns it.
    window_days : int
        Churn window each cutoff labels.
    n_train : int
        Most training cutoffs; fewer when the history is short.
    step_days : int
        Days between training cutoffs.
    evaluation_cutoff : date, optional
        Default ``window_days`` before the last data day.
    min_history_days : int
        Days of data every training cutoff needs before it.

    Returns
    -------
    ChurnCutoffs

    Raises
    ------
    TooLittleHistoryError
        When not even one training cutoff fits.
    CutoffError
        When the evaluation window would end after the last data day.
    """
    _check_positive(window_days=window_days, n_train=n_train, step_days=step_days)
    last = last_data_day(quotes)
    window = pd.Timedelta(days=window_days)
    evaluation = last - window
    if evaluation_cutoff is not None:
        evaluation = as_cutoff(evaluation_cutoff).normalize()
        _check_fits(evaluation, window_days, last)

    validation = evaluation - window
    train = _training(quotes, validation, n_train, step_days, min_history_days)
    if not train:
        needed = min_history_days + step_days + 2 * window_days
        span = (evaluation + window - first_data_day(quotes)).days
        raise TooLittleHistoryError(needed, span, window_days)
    return ChurnCutoffs(window_days, train, validation, evaluation)


def serving_cutoffs(
    quotes: pd.DataFrame,
    window_days: int = 90,
    step_days: int = 30,
    *,
    max_train: int | None = None,
    min_history_days: int = MIN_HISTORY_DAYS,
) -> ChurnCutoffs:
    """Cutoffs to fit the served model on: calibrated on the latest labelled day.

    Every training cutoff ``step_days`` apart that fits before the validation
    cutoff is used unless ``max_train`` caps them (the latest are kept).

    Raises
    ------
    TooLittleHistoryError
        When not even one training cutoff fits.
    """
    _check_positive(window_days=window_days, step_days=step_days)
    validation = last_data_day(quotes) - pd.Timedelta(days=window_days)
    span = (last_data_day(quotes) - first_data_day(quotes)).days
    most = max_train or span // step_days + 1
    train = _training(quotes, validation, most, step_days, min_history_days)
    if not train:
        needed = min_history_days + step_days + window_days
        raise TooLittleHistoryError(needed, span, window_days)
    return ChurnCutoffs(window_days, train, validation)


def _training(
    quotes: pd.DataFrame,
    validation: pd.Timestamp,
    n_train: int,
    step_days: int,
    min_history_days: int,
) -> tuple[pd.Timestamp, ...]:
    earliest = first_data_day(quotes) + pd.Timedelta(days=min_history_days)
    steps = (
        validation - pd.Timedelta(days=step_days * k) for k in range(1, n_train + 1)
    )
    return tuple(sorted(cutoff for cutoff in steps if cutoff >= earliest))


def _check_fits(evaluation: pd.Timestamp, window_days: int, last: pd.Timestamp):
    end = evaluation + pd.Timedelta(days=window_days)
    if end > last:
        raise CutoffError(
            f"the evaluation window after {evaluation.date()} ends on {end.date()}, "
            f"after the last day of data ({last.date()}); use an evaluation "
            f"cutoff on or before {(last - pd.Timedelta(days=window_days)).date()}."
        )


def _check_positive(**values: int) -> None:
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise CutoffError(
                f"{name} must be a whole number of at least 1; got {value!r}."
            )
