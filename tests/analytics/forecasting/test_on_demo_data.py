"""The forecasters on the demo store, whose planted seasonality is known."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from analytics.forecasting import (
    ProphetForecaster,
    compare_models,
    last_settled_day,
    revenue_series,
)
from storage.db import session_scope
from storage.models import GroundTruth
from storage.queries import quote_history
from tests.demo_stores import demo_store

TODAY = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """Daily revenue of a demo store up to its last settled day, and the truth."""
    with session_scope(demo_store(tmp_path_factory, TODAY)) as session:
        quotes = quote_history(session)
        truth = session.scalar(
            select(GroundTruth.value).where(GroundTruth.kind == "generator")
        )
    return revenue_series(quotes, end=last_settled_day(quotes)), truth


@pytest.mark.slow
def test_prophet_finds_the_planted_weekday_pattern(demo):
    y, truth = demo
    weights = np.asarray(truth["seasonality"]["weekday_weights"])

    model = ProphetForecaster().fit(y)

    week = pd.DataFrame({"ds": pd.date_range("2026-07-06", periods=7, freq="D")})
    learned = 1 + model.model_.predict(week)["weekly"].to_numpy()  # Monday first
    assert np.corrcoef(learned, weights)[0, 1] > 0.95
    assert learned[5:].max() < 0.2 * learned[:5].min()


@pytest.mark.slow
def test_prophet_beats_the_seasonal_naive_baseline_on_demo_data(demo):
    y, _ = demo

    comparison = compare_models(y, 28, 4, names=["seasonal_naive", "prophet"])

    scores = {name: r.mase for name, r in comparison.results.items()}
    assert scores["prophet"] < scores["seasonal_naive"]
    assert comparison.selected == "prophet"
