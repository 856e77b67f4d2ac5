"""Rolling cutoffs never let a training label reach into the evaluation."""

import pandas as pd
import pytest

from analytics.churn import (
    CutoffError,
    TooLittleHistoryError,
    default_cutoffs,
    serving_cutoffs,
)
from tests.analytics.churn.quote_factories import quote_book, quote_rows, quotes_frame


@pytest.fixture(scope="module")
def book():
    return quote_book(40, seed=1)


def last_day(quotes: pd.DataFrame) -> pd.Timestamp:
    return quotes["created_at"].max().normalize()


@pytest.mark.parametrize(("window", "step"), [(90, 30), (60, 14), (30, 45)])
def test_no_training_or_validation_window_overlaps_the_evaluation(book, window, step):
    cutoffs = default_cutoffs(book, window, n_train=5, step_days=step)
    days = pd.Timedelta(days=window)

    assert cutoffs.evaluation + days <= last_day(book)
    assert cutoffs.validation + days <= cutoffs.evaluation
    assert all(cutoff + days <= cutoffs.evaluation for cutoff in cutoffs.train)
    assert list(cutoffs.train) == sorted(cutoffs.train)
    assert max(cutoffs.train) < cutoffs.validation


def test_training_cutoffs_leave_enough_history_before_them(book):
    cutoffs = default_cutoffs(book, 90, n_train=50, step_days=30)

    first = book["created_at"].min().normalize()
    assert min(cutoffs.train) >= first + pd.Timedelta(days=90)
    assert len(cutoffs.train) < 50


def test_a_given_evaluation_cutoff_must_leave_a_full_window(book):
    late = last_day(book) - pd.Timedelta(days=10)

    with pytest.raises(CutoffError, match="on or before"):
        default_cutoffs(book, 30, evaluation_cutoff=late)
    early = default_cutoffs(book, 30, evaluation_cutoff="2024-09-01")
    assert early.evaluation == pd.Timestamp("2024-09-01")


def test_too_short_a_history_says_how_much_is_needed():
    days = pd.date_range("2024-01-01", periods=20, freq="10D").strftime("%Y-%m-%d")
    quotes = quotes_frame(quote_rows(1, list(days)))

    with pytest.raises(TooLittleHistoryError) as raised:
        default_cutoffs(quotes, 90, step_days=30)

    assert "at least 300 days of quote history for a 90-day window" in str(raised.value)
    assert (raised.value.needed, raised.value.got) == (300, 190)


def test_the_served_model_is_calibrated_on_the_latest_labelled_day(book):
    cutoffs = serving_cutoffs(book, 60, step_days=30)

    assert cutoffs.validation == last_day(book) - pd.Timedelta(days=60)
    assert cutoffs.evaluation is None
    assert cutoffs.train[-1] == cutoffs.validation - pd.Timedelta(days=30)
    assert len(serving_cutoffs(book, 60, 30, max_train=3).train) == 3


def test_cutoffs_print_as_iso_dates(book):
    summary = default_cutoffs(book, 60, n_train=2).to_dict()

    assert set(summary) == {
        "window_days",
        "train_cutoffs",
        "validation_cutoff",
        "evaluation_cutoff",
    }
    assert all(len(day) == 10 for day in summary["train_cutoffs"])
