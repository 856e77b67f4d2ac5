"""Segments on the demo store, whose planted customer segments are known."""

import datetime as dt

import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from analytics.segments import evaluate_segments, fit_segments
from analytics.segments.model import SILHOUETTE_TOLERANCE
from storage.db import session_scope
from storage.queries import quote_history
from tests.demo_stores import demo_store, planted

TODAY = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo store's quotes and each customer's planted truth."""
    with session_scope(demo_store(tmp_path_factory, TODAY)) as session:
        quotes = quote_history(session)
        facts = planted(session, "customer")
    truth = pd.DataFrame(list(facts.values()), index=list(facts))
    return quotes, truth


@pytest.mark.slow
def test_segments_recover_the_planted_segments_better_than_chance(demo):
    quotes, truth = demo

    model, features = fit_segments(quotes)

    # Measured 0.40 here (0.21 to 0.40 over other seeds and days); chance is 0.
    planted = truth.loc[features.index, "segment"]
    assert adjusted_rand_score(planted, model.labels_) > 0.2
    enterprise = pd.Series(model.labels_, index=features.index)[planted == "enterprise"]
    assert model.names_[enterprise.mode()[0]] == "High-value loyal"


@pytest.mark.slow
def test_churned_customers_are_mostly_named_slipping_away(demo):
    quotes, truth = demo

    model, features = fit_segments(quotes)

    names = pd.Series(model.labels_, index=features.index).map(model.names_)
    churned = truth.loc[features.index, "churned"].astype(bool)
    assert (names[churned] == "Slipping away").mean() > 0.5


@pytest.mark.slow
def test_the_chosen_segments_score_no_worse_than_the_fixed_four(demo):
    quotes, _ = demo

    report = evaluate_segments(quotes)

    tolerance = SILHOUETTE_TOLERANCE
    assert report["silhouette"] >= report["fixed_k4"]["silhouette"] - tolerance
    assert report["stability_ari"] > 0.5
