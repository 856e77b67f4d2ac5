"""The evaluation report keeps its contract: keys, types, rounding."""

import pytest

from analytics.segments import (
    CustomerSegmenter,
    SegmentError,
    evaluate_segments,
    fit_segments,
)
from tests.analytics.segments.segment_factories import quote_history_frame

KEYS = {
    "k",
    "silhouette",
    "davies_bouldin",
    "stability_ari",
    "customers",
    "scores",
    "segments",
    "fixed_k4",
}


@pytest.fixture(scope="module")
def quotes():
    return quote_history_frame(seed=8)


@pytest.fixture(scope="module")
def report(quotes):
    return evaluate_segments(quotes)


def test_the_report_has_exactly_the_contract_keys(report):
    assert set(report) == KEYS
    assert set(report["fixed_k4"]) == {"silhouette", "davies_bouldin"}
    for scores in report["scores"].values():
        assert set(scores) == {"silhouette", "davies_bouldin"}
    for segment in report["segments"]:
        assert set(segment) == {"name", "customers", "share", "revenue_share"}


def test_the_report_describes_the_chosen_k(report, quotes):
    assert isinstance(report["k"], int)
    assert report["k"] in report["scores"]
    assert report["silhouette"] == report["scores"][report["k"]]["silhouette"]
    assert len(report["segments"]) == report["k"]
    assert report["customers"] == quotes["customer_id"].nunique()
    assert sum(s["customers"] for s in report["segments"]) == report["customers"]
    assert 0 < report["stability_ari"] <= 1


def test_the_report_floats_are_rounded_to_four_digits(report):
    floats = [report["silhouette"], report["davies_bouldin"], report["stability_ari"]]
    floats += [s["share"] for s in report["segments"]]
    floats += list(report["fixed_k4"].values())

    assert all(round(value, 4) == value for value in floats)


def test_the_fixed_four_segments_are_scored_on_the_same_features(report, quotes):
    _, features = fit_segments(quotes)

    fixed = CustomerSegmenter(k=4).fit(features).scores_[4]

    assert report["fixed_k4"]["silhouette"] == round(fixed["silhouette"], 4)


def test_fit_segments_measures_on_the_latest_quote_day_by_default(quotes):
    latest = quotes["created_at"].max().normalize()

    model, features = fit_segments(quotes)
    _, on_that_day = fit_segments(quotes, latest)

    assert features.equals(on_that_day)
    assert len(model.labels_) == len(features)


def test_no_quotes_at_all_are_refused_saying_what_to_do(quotes):
    with pytest.raises(SegmentError, match="no quotes to segment"):
        evaluate_segments(quotes.head(0))


def test_too_few_customers_for_four_segments_leave_the_baseline_empty():
    report = evaluate_segments(quote_history_frame(per_profile=4, seed=9))

    assert report["customers"] == 16
    assert report["fixed_k4"] == {"silhouette": None, "davies_bouldin": None}
