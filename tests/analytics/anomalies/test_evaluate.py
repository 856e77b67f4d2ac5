"""The evaluation ranks later quotes with a model fitted on earlier ones."""

import pytest

from analytics.anomalies import RANKINGS, TooFewQuotesError, evaluate_anomalies
from tests.analytics.anomalies.quote_factories import plant, quote_profiles

LATE = {470: "oversized", 520: "deep_discount", 560: "below_list_price"}
EARLY = {40: "deep_discount"}


@pytest.fixture(scope="module")
def profiles():
    frame = quote_profiles(n_customers=30, quotes_each=20, seed=5)
    for quote_id, kind in {**LATE, **EARLY}.items():
        frame = plant(frame, quote_id, kind)
    return frame


@pytest.fixture(scope="module")
def report(profiles):
    return evaluate_anomalies(profiles, set(LATE) | set(EARLY))


def test_k_counts_only_the_planted_quotes_the_model_did_not_see(report):
    assert report["k"] == len(LATE)
    assert report["train_quotes"] == 420 and report["test_quotes"] == 180
    assert report["chance"] == pytest.approx(3 / 180, abs=1e-4)
    assert set(report["models"]) == set(RANKINGS)


def test_the_served_ranking_finds_the_later_planted_quotes(report):
    assert report["selected"] == "combined"
    assert report["precision_at_k"] == report["recall_at_k"] >= 2 / 3
    assert report["precision_at_k"] == report["models"]["combined"]["precision_at_k"]


def test_without_known_anomalies_the_numbers_are_none(profiles):
    report = evaluate_anomalies(profiles, set())

    assert report["k"] == 0 and report["precision_at_k"] is None
    assert all(m["recall_at_k"] is None for m in report["models"].values())


def test_too_short_a_history_is_refused_with_how_many_quotes_are_needed(profiles):
    with pytest.raises(TooFewQuotesError, match="at least 72 quotes"):
        evaluate_anomalies(profiles.head(60), set())
