"""Segment features from a quote history, checked by hand."""

import pandas as pd
import pytest

from analytics.segments import FEATURES, SegmentError, segment_features
from tests.analytics.segments.segment_factories import quote_frame

AS_OF = "2024-06-30"
ROWS = [
    (1, "2024-01-01 09:00", "accepted", 100.0),
    (1, "2024-02-01 09:00", "rejected", 50.0),
    (1, "2024-03-01 09:00", "accepted", 300.0),
    (1, "2024-03-15 09:00", "draft", 999.0),
    (1, "2024-07-01 09:00", "accepted", 1000.0),
    (2, "2024-03-01 09:00", "expired", 10.0),
    (3, "2024-05-01 09:00", "accepted", 200.0),
    (3, "2024-05-20 09:00", "cancelled", 80.0),
]


@pytest.fixture
def features():
    return segment_features(quote_frame(ROWS), AS_OF)


def test_features_have_one_row_per_buying_customer_and_the_documented_columns(
    features,
):
    assert list(features.index) == [1, 3]
    assert features.index.name == "customer_id"
    assert list(features.columns) == [*FEATURES, "orders", "revenue"]


def test_features_of_a_customer_older_than_the_rate_floor(features):
    customer = features.loc[1]

    # 181 days from 1 January to 30 June 2024; two orders worth 400.
    assert customer["tenure"] == 181
    assert customer["orders"] == 2
    assert customer["revenue"] == 400
    assert customer["value"] == pytest.approx(400 / 181 * 365.25)
    assert customer["frequency"] == pytest.approx(2 / 181 * 365.25 / 12)
    assert customer["order_size"] == 200
    assert customer["acceptance"] == pytest.approx(2 / 3)
    assert customer["recency"] == 121


def test_rates_of_a_young_customer_are_taken_over_ninety_days(features):
    customer = features.loc[3]

    assert customer["tenure"] == 60
    assert customer["value"] == pytest.approx(200 / 90 * 365.25)
    assert customer["frequency"] == pytest.approx(1 / 90 * 365.25 / 12)
    assert customer["acceptance"] == pytest.approx(1 / 2)
    assert customer["recency"] == 60


def test_quotes_created_on_the_as_of_day_count_and_later_ones_do_not():
    rows = [*ROWS, (4, "2024-06-30 17:45", "accepted", 70.0)]

    features = segment_features(quote_frame(rows), AS_OF)

    assert features.loc[4, "recency"] == 0
    assert features.loc[1, "revenue"] == 400


def test_timezone_aware_creation_times_are_read_as_their_wall_clock_day():
    quotes = quote_frame(ROWS)
    quotes["created_at"] = quotes["created_at"].dt.tz_localize("UTC")

    features = segment_features(quotes, pd.Timestamp(AS_OF, tz="UTC"))

    pd.testing.assert_frame_equal(features, segment_features(quote_frame(ROWS), AS_OF))


def test_no_buying_customer_gives_an_empty_frame_with_the_columns():
    features = segment_features(quote_frame(ROWS), "2023-12-31")

    assert features.empty
    assert list(features.columns) == [*FEATURES, "orders", "revenue"]


def test_a_quotes_frame_without_the_needed_columns_is_refused():
    quotes = quote_frame(ROWS).drop(columns=["status"])

    with pytest.raises(SegmentError, match="lacks the columns status"):
        segment_features(quotes, AS_OF)


def test_an_as_of_that_is_no_date_is_refused():
    with pytest.raises(SegmentError, match="as_of must be a date"):
        segment_features(quote_frame(ROWS), "last tuesday")
