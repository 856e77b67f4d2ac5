"""The profile table of a segmentation, and one customer against their segment."""

import numpy as np
import pytest

from analytics.segments import (
    FEATURES,
    CustomerSegmenter,
    NotFittedError,
    UnknownCustomerError,
    describe_customer,
)
from tests.analytics.segments.segment_factories import blob_features


@pytest.fixture(scope="module")
def segmented():
    features, _ = blob_features(["loyal", "lapsed", "new", "price"], seed=7)
    return CustomerSegmenter().fit(features), features


def test_the_profile_has_a_row_per_segment_and_the_documented_columns(segmented):
    model, _ = segmented
    profiles = model.profiles_

    assert list(profiles.index) == list(range(model.k_))
    assert list(profiles.columns[:4]) == [
        "name",
        "customers",
        "share",
        "revenue_share",
    ]
    assert [f"median_{f}" for f in FEATURES] == list(profiles.columns[4:10])
    assert [f"{f}_vs_base" for f in FEATURES] == list(profiles.columns[10:16])
    assert profiles.columns[-1] == "description"


def test_customer_and_revenue_shares_add_up_to_one(segmented):
    model, features = segmented
    profiles = model.profiles_

    assert profiles["customers"].sum() == len(features)
    assert profiles["share"].sum() == pytest.approx(1.0)
    assert profiles["revenue_share"].sum() == pytest.approx(1.0)


def test_profile_medians_are_the_segment_medians_over_the_base(segmented):
    model, features = segmented
    first = features[model.labels_ == 0]

    row = model.profiles_.loc[0]

    assert row["median_value"] == pytest.approx(first["value"].median())
    assert row["value_vs_base"] == pytest.approx(
        first["value"].median() / features["value"].median()
    )
    revenue = first["revenue"].sum() / features["revenue"].sum()
    assert row["revenue_share"] == pytest.approx(revenue)


def test_a_typical_customer_is_described_by_their_segment(segmented):
    model, features = segmented
    distance = np.abs(model.transform(features) - model.centers_[model.labels_])
    typical = features.index[distance.max(axis=1).argmin()]

    described = describe_customer(model, features, typical)

    assert described.name == model.names_[described.segment]
    assert described.standouts == ()
    assert described.summary.startswith(f"In {described.name}, and typical of it")


def test_what_sets_a_customer_apart_compares_them_with_segment_and_base(segmented):
    model, features = segmented
    loyal = features.index[model.labels_ == 0][0]
    silent = features.copy()
    silent.loc[loyal, "recency"] = 60.0

    described = describe_customer(model, silent, loyal)

    assert described.segment == 0
    assert described.comparison.loc["recency", "customer"] == 60
    assert described.standouts[0].startswith("last order 60 days ago, against")
    assert "in their segment and" in described.standouts[0]
    assert "overall" in described.standouts[0]
    assert described.summary.startswith(f"In {described.name}. Sets them apart")


def test_the_comparison_holds_customer_segment_and_base_medians(segmented):
    model, features = segmented
    customer = features.index[0]

    comparison = describe_customer(model, features, customer).comparison

    assert list(comparison.index) == list(FEATURES)
    assert list(comparison.columns) == ["customer", "segment_median", "base_median"]
    assert comparison.loc["value", "customer"] == features.loc[customer, "value"]
    assert comparison.loc["value", "base_median"] == features["value"].median()


def test_an_unknown_customer_is_refused_saying_why(segmented):
    model, features = segmented

    with pytest.raises(UnknownCustomerError, match="no accepted order"):
        describe_customer(model, features, 99_999)


def test_describing_with_an_unfitted_segmenter_is_refused(segmented):
    _, features = segmented

    with pytest.raises(NotFittedError):
        describe_customer(CustomerSegmenter(), features, features.index[0])
