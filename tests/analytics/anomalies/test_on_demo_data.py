"""Anomalies on the demo store, whose planted odd quotes are known."""

import datetime as dt

import pytest
from sqlalchemy import select

from analytics.anomalies import RANKINGS, evaluate_anomalies
from storage.db import session_scope, upgrade
from storage.demo_data import generate_demo_data
from storage.models import GroundTruth
from storage.queries import quote_profiles

TODAY = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo store's quote profiles and its planted anomalies by quote id."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'quotebot.db'}"
    upgrade(url)
    with session_scope(url) as session:
        generate_demo_data(session, today=TODAY)
        profiles = quote_profiles(session)
        rows = session.execute(
            select(GroundTruth.entity_id, GroundTruth.value).where(
                GroundTruth.kind == "anomaly"
            )
        ).all()
    return profiles, {int(quote_id): value for quote_id, value in rows}


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
