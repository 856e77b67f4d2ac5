"""Labelled frames of one synthetic book, shared by the churn model tests."""

import pytest

from analytics.churn import default_cutoffs, training_frame
from tests.analytics.churn.quote_factories import quote_book

WINDOW_DAYS = 60


@pytest.fixture(scope="session")
def book():
    """A synthetic quote history of 120 accounts, a third of them churning."""
    return quote_book(120, seed=0)


@pytest.fixture(scope="session")
def frames(book):
    """Training, validation and evaluation frames of ``book`` (60-day window)."""
    cutoffs = default_cutoffs(book, WINDOW_DAYS, n_train=4, step_days=30)
    train = training_frame(book, cutoffs.train, WINDOW_DAYS)
    valid = training_frame(book, [cutoffs.validation], WINDOW_DAYS)
    test = training_frame(book, [cutoffs.evaluation], WINDOW_DAYS)
    return train, valid, test
