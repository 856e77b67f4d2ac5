"""Segment names follow profiles relative to the base, whatever its size."""

import numpy as np
import pytest

from analytics.segments import (
    ARCHETYPES,
    CustomerSegmenter,
    fit_segments,
    name_segments,
    relative_positions,
)
from tests.analytics.segments.segment_factories import (
    blob_features,
    quote_history_frame,
)

PLANTED_NAMES = {
    "loyal": "High-value loyal",
    "lapsed": "Slipping away",
    "new": "Growing",
    "price": "Price-sensitive",
    "big_ticket": "Big-ticket occasional",
}
MONEY = ["value", "order_size", "revenue"]


@pytest.fixture(scope="module")
def planted():
    profiles = list(PLANTED_NAMES)
    features, labels = blob_features(profiles, seed=2)
    return profiles, features, labels


def test_planted_profiles_get_the_names_that_describe_them(planted):
    profiles, features, labels = planted

    names = name_segments(features, labels)

    assert {profiles[s]: name for s, name in names.items()} == PLANTED_NAMES


def test_a_fitted_segmenter_names_the_planted_groups_alike(planted):
    profiles, features, labels = planted

    model = CustomerSegmenter().fit(features)

    for segment, planted_label in set(zip(model.labels_, labels, strict=True)):
        assert model.names_[segment] == PLANTED_NAMES[profiles[planted_label]]


def test_positions_are_relative_to_the_base_median(planted):
    profiles, features, labels = planted

    positions = relative_positions(features, labels)

    assert positions.shape == (5, 7)
    assert positions.abs().max().max() <= 1
    loyal, lapsed = profiles.index("loyal"), profiles.index("lapsed")
    assert positions.loc[loyal, "value"] > 0.5
    assert positions.loc[lapsed, "recency"] > 0.5
    assert positions.loc[lapsed, "overdue"] > 0.5


def test_a_second_loyal_segment_takes_the_next_name_that_fits():
    features, labels = blob_features(["loyal", "loyal", "lapsed"], seed=3)
    features.loc[labels == 1, ["order_size", "value"]] *= 3

    names = name_segments(features, labels)

    assert (names[1], names[0]) == ("High-value loyal", "Loyal regulars")
    assert len(set(names.values())) == 3


def test_a_segment_no_free_name_fits_is_qualified_against_the_holder():
    profiles = ["big_ticket", "big_ticket", "loyal", "lapsed"]
    features, labels = blob_features(profiles, seed=3)
    features.loc[labels == 1, ["order_size", "value"]] *= 3

    names = name_segments(features, labels)

    assert names[1] == "Big-ticket occasional"
    assert names[0] == "Big-ticket occasional, lower value"


def test_names_stay_unique_for_many_similar_segments():
    features, _ = blob_features(["loyal"], per_profile=90, seed=4)
    labels = np.arange(90) % 9

    names = name_segments(features, labels)

    assert len(names) == 9
    assert len(set(names.values())) == 9


def test_every_name_comes_from_the_archetypes_or_qualifies_one(planted):
    _, features, labels = planted
    known = [*ARCHETYPES, "Steady regulars"]

    names = name_segments(features, labels)

    assert all(any(name.startswith(k) for k in known) for name in names.values())


def test_multiplying_every_amount_by_a_thousand_keeps_segments_and_names():
    quotes = quote_history_frame(seed=5)
    larger = quotes.assign(
        subtotal=quotes["subtotal"] * 1000, total=quotes["total"] * 1000
    )

    model, features = fit_segments(quotes)
    large_model, large_features = fit_segments(larger)

    np.testing.assert_allclose(large_features[MONEY], features[MONEY] * 1000)
    np.testing.assert_array_equal(large_model.labels_, model.labels_)
    assert large_model.names_ == model.names_


def test_a_base_of_small_spenders_names_its_best_customers_high_value():
    features, labels = blob_features(["loyal", "lapsed", "new"], seed=6)
    features[MONEY] /= 10_000

    names = name_segments(features, labels)

    assert names[0] == "High-value loyal"


def test_descriptions_give_numbers_relative_to_the_typical_customer(planted):
    profiles, features, _ = planted

    model = CustomerSegmenter().fit(features)

    loyal = model.profiles_.index[model.profiles_["name"] == "High-value loyal"][0]
    description = model.descriptions_[loyal]
    assert "times as" in description
    assert "the typical customer" in description
    assert "days ago (median;" in description
    assert description.endswith(".")
    lapsed = model.profiles_.index[model.profiles_["name"] == "Slipping away"][0]
    assert "less" in model.descriptions_[lapsed]
