"""Anomalies on the demo store, whose planted odd quotes are known."""

import datetime as dt

import pytest

from analytics.anomalies import RANKINGS, evaluate_anomalies
from storage.db import session_scope
from storage.queries import quote_profiles
from tests.demo_stores import demo_store, planted

TODAY = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo store's quote profiles and its planted anomalies by quote id."""
    with session_scope(demo_store(tmp_path_factory, TODAY)) as session:
        return quote_profiles(session), planted(session, "anomaly")


@pytest.fixture(scope="module")
def report(demo):
    profiles, planted = demo
    return evaluate_anomalies(profiles, planted)


@pytest.mark.slow
def test_the_report_has_every_ranking_and_k_is_the_planted_count(demo, report):
    profiles, planted = demo

    assert set(report["models"]) == set(RANKINGS)
    assert report["selected"] == "combined"
    assert report["train_quotes"] + report["test_quotes"] == len(profiles)
    assert 10 <= report["k"] <= len(planted)
    assert report["precision_at_k"] == report["models"]["combined"]["precision_at_k"]


@pytest.mark.slow
def test_the_detectors_beat_the_robust_z_baseline_and_chance(report):
    models = report["models"]
    baseline = models["robust_z"]["precision_at_k"]

    assert models["combined"]["precision_at_k"] >= baseline + 0.3
    assert models["isolation_forest"]["precision_at_k"] > baseline
    assert models["autoencoder"]["precision_at_k"] > 10 * report["chance"]
    assert report["recall_at_k"] >= 0.5
