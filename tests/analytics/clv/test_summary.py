"""RFM summaries and future targets, checked by hand on a few orders."""

import pandas as pd
import pytest

from analytics.clv import (
    OrdersError,
    check_orders,
    future_repeat_count,
    future_value,
    orders_from_quotes,
    past_value,
    rfm_summary,
)
from tests.analytics.clv.clv_factories import orders

CUTOFF = "2024-01-31"
HAND_BUILT = orders(
    [
        (1, "2024-01-01", 10.0),
        (1, "2024-01-01", 5.0),  # the same day: one purchase worth 15
        (1, "2024-01-11", 20.0),
        (1, "2024-01-21", 40.0),
        (2, "2024-01-30", 99.0),  # first purchase on the last day before the cutoff
        (3, "2024-01-15", 7.0),
        (1, "2024-01-31", 500.0),  # on the cutoff: future
        (2, "2024-02-10", 30.0),
        (2, "2024-02-11", 30.0),
        (4, "2024-02-01", 1000.0),  # a customer who first buys after the cutoff
    ]
)


def test_rfm_summary_counts_repeat_days_in_periods_before_the_cutoff():
    summary = rfm_summary(HAND_BUILT, CUTOFF)

    assert list(summary.index) == [1, 2, 3]
    assert summary.loc[1].to_dict() == {
        "frequency": 2,
        "recency": 20.0,
        "T": 29.0,
        "monetary_value": 30.0,
    }
    assert summary.loc[2].to_dict() == {
        "frequency": 0,
        "recency": 0.0,
        "T": 0.0,
        "monetary_value": 0.0,
    }
    assert summary.loc[3, "T"] == 15.0


def test_rfm_summary_ignores_orders_on_and_after_the_cutoff():
    before_only = HAND_BUILT[HAND_BUILT["date"] < CUTOFF]

    pd.testing.assert_frame_equal(
        rfm_summary(HAND_BUILT, CUTOFF), rfm_summary(before_only, CUTOFF)
    )


def test_weekly_summary_counts_weeks_back_from_the_cutoff():
    summary = rfm_summary(HAND_BUILT, CUTOFF, freq="W")

    # Jan 1 is in week -5 (Jan 3 to 9 is -4 ... Jan 24 to 30 is -1).
    assert summary.loc[1, "frequency"] == 2
    assert summary.loc[1, "recency"] == 3.0
    assert summary.loc[1, "T"] == 4.0
    assert summary.attrs["freq"] == "W"


def test_future_value_is_the_revenue_of_the_window_for_customers_seen_before():
    value = future_value(HAND_BUILT, CUTOFF, days=11)

    assert value.to_dict() == {1: 500.0, 2: 30.0, 3: 0.0}


def test_future_repeat_count_counts_days_with_an_order_in_the_window():
    counts = future_repeat_count(HAND_BUILT, CUTOFF, days=30)

    assert counts.to_dict() == {1: 1, 2: 2, 3: 0}


def test_past_value_is_the_revenue_of_the_days_before_the_cutoff():
    twenty_days = past_value(HAND_BUILT, CUTOFF, days=20)  # from Jan 11 on
    nineteen_days = past_value(HAND_BUILT, CUTOFF, days=19)

    assert twenty_days.to_dict() == {1: 60.0, 2: 99.0, 3: 7.0}
    assert nineteen_days.to_dict() == {1: 40.0, 2: 99.0, 3: 7.0}


def test_orders_from_quotes_keeps_accepted_quotes_worth_their_total():
    quotes = pd.DataFrame(
        {
            "quote_id": [1, 2, 3],
            "customer_id": [7, 7, 8],
            "created_at": pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-04"]),
            "status": ["accepted", "rejected", "accepted"],
            "total": [100.0, 50.0, 25.5],
            "currency": ["USD", "USD", "USD"],
        }
    )

    result = orders_from_quotes(quotes)

    assert result.to_dict("list") == {
        "customer_id": [7, 8],
        "date": list(pd.to_datetime(["2024-01-02", "2024-01-04"])),
        "amount": [100.0, 25.5],
    }


def test_orders_from_quotes_refuses_accepted_quotes_in_several_currencies():
    quotes = pd.DataFrame(
        {
            "customer_id": [1, 2],
            "created_at": pd.to_datetime(["2024-01-02", "2024-01-03"]),
            "status": ["accepted", "accepted"],
            "total": [1.0, 2.0],
            "currency": ["USD", "EUR"],
        }
    )

    with pytest.raises(OrdersError, match="several currencies"):
        orders_from_quotes(quotes)


def test_check_orders_names_the_missing_columns_and_the_wrong_date_type():
    with pytest.raises(OrdersError, match=r"\['amount'\]"):
        check_orders(HAND_BUILT.drop(columns="amount"))
    with pytest.raises(OrdersError, match="datetime64"):
        check_orders(HAND_BUILT.assign(date=HAND_BUILT["date"].astype(str)))


def test_unknown_period_length_is_refused():
    with pytest.raises(OrdersError, match="'D' or 'W'"):
        rfm_summary(HAND_BUILT, CUTOFF, freq="M")
