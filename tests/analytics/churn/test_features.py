"""Features read only the past, labels only the window after the cutoff."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from analytics.churn import (
    FEATURES,
    CutoffError,
    FeatureError,
    RulesChurnModel,
    churn_features,
    churn_labels,
    training_frame,
)
from analytics.churn_baseline import RhythmChurnBaseline
from tests.analytics.churn.quote_factories import quote_book, quote_rows, quotes_frame

CUTOFF = "2024-07-01"


def every(days: int, first: str, count: int) -> list[str]:
    start = pd.Timestamp(first)
    return [
        (start + pd.Timedelta(days=days * i)).date().isoformat() for i in range(count)
    ]


@pytest.fixture
def book():
    return quote_book(60, seed=3)


def test_quotes_on_or_after_the_cutoff_never_change_the_features(book):
    before = churn_features(book, CUTOFF)
    future = quotes_frame(
        quote_rows(1, ["2024-07-01", "2024-07-02"], "rejected"),
        quote_rows(2, ["2024-07-01"], "accepted", total=1e6),
        quote_rows(999, ["2024-08-01"], "accepted"),
    )
    stamp = pd.Timestamp(CUTOFF)
    at_midnight = quotes_frame(quote_rows(3, [CUTOFF])).assign(created_at=stamp)

    after = churn_features(pd.concat([book, future, at_midnight]), CUTOFF)

    pd.testing.assert_frame_equal(after, before)


def test_features_quote_an_accounts_own_numbers():
    orders = quote_rows(1, every(20, "2024-03-21", 5))  # last order 2024-06-09
    lost = quote_rows(1, ["2024-06-15", "2024-06-20", "2024-06-25"], "rejected")
    quotes = quotes_frame(orders, lost, quote_rows(2, every(10, "2024-01-01", 15)))

    row = churn_features(quotes, CUTOFF).loc[1]

    assert row["days_since_last_order"] == 22
    assert row["usual_gap_days"] == 20
    assert row["overdue_ratio"] == pytest.approx(1.1)
    assert row["orders_total"] == 5
    assert row["orders_last_90d"] == 4  # 2024-04-11 onwards
    assert row["orders_prev_90d"] == 1
    assert row["revenue_last_90d"] == pytest.approx(4000.0)
    assert row["revenue_trend"] == pytest.approx(0.75)
    assert row["rejected_of_last_3"] == 3
    assert row["acceptance_last_5"] == pytest.approx(0.4)
    assert row["acceptance_rate"] == pytest.approx(5 / 8)
    assert row["days_since_last_quote"] == 6
    assert row["tenure_days"] == 102
    assert row["mean_discount_pct"] == pytest.approx(10.0)


def test_accounts_with_few_orders_borrow_the_books_usual_gap():
    regular = quote_rows(1, every(14, "2024-01-01", 10))
    newcomer = quote_rows(2, ["2024-06-01", "2024-06-05"])

    features = churn_features(quotes_frame(regular, newcomer), CUTOFF)

    assert features.loc[2, "usual_gap_days"] == 14
    assert features.loc[1, "usual_gap_days"] == 14


def test_only_accounts_with_an_accepted_order_before_the_cutoff_are_scored():
    buyer = quote_rows(1, ["2024-05-01"])
    prospect = quote_rows(2, ["2024-05-01", "2024-06-01"], "rejected")
    later = quote_rows(3, ["2024-07-05"])

    features = churn_features(quotes_frame(buyer, prospect, later), CUTOFF)

    assert features.index.tolist() == [1]
    assert features.columns.tolist() == list(FEATURES)


def test_lapsed_accounts_are_left_out_unless_asked_for():
    lapsed = quote_rows(9, every(10, "2022-01-03", 5))
    active = quote_rows(1, every(10, "2024-01-01", 20))
    quotes = quotes_frame(lapsed, active)

    assert churn_features(quotes, CUTOFF).index.tolist() == [1]
    assert churn_labels(quotes, "2024-05-01", 30).index.tolist() == [1]
    kept = churn_features(quotes, CUTOFF, include_lapsed=True)
    assert kept.index.tolist() == [1, 9]


def test_labels_come_from_the_window_after_the_cutoff():
    history = [quote_rows(i, every(7, "2024-01-01", 20)) for i in (1, 2, 3, 4, 5)]
    last_in_window = quote_rows(1, ["2024-07-30"])
    just_after = quote_rows(2, ["2024-07-31"])
    only_rejected = quote_rows(3, ["2024-07-10"], "rejected")
    on_the_cutoff = quote_rows(4, [CUTOFF])
    end_of_data = quote_rows(6, ["2024-09-30"])
    quotes = quotes_frame(
        *history, last_in_window, just_after, only_rejected, on_the_cutoff, end_of_data
    )

    labels = churn_labels(quotes, CUTOFF, window_days=30)

    assert labels.to_dict() == {1: 0, 2: 1, 3: 1, 4: 0, 5: 1}
    assert labels.name == "churned"


def test_labels_refuse_a_window_that_runs_past_the_last_day_of_data(book):
    last = book["created_at"].max().normalize()

    with pytest.raises(CutoffError, match="not known yet"):
        churn_labels(book, last - pd.Timedelta(days=29), window_days=30)
    assert len(churn_labels(book, last - pd.Timedelta(days=30), window_days=30))


def test_training_frame_stacks_each_cutoff_under_its_own_level(book):
    cutoffs = [dt.date(2024, 3, 1), dt.date(2024, 1, 1)]

    frame = training_frame(book, cutoffs, window_days=60)

    assert frame.index.names == ["cutoff", "customer_id"]
    stamps = frame.index.get_level_values("cutoff").unique()
    assert stamps.tolist() == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-01")]
    march = frame.xs(pd.Timestamp("2024-03-01"))
    pd.testing.assert_frame_equal(
        march[list(FEATURES)], churn_features(book, "2024-03-01")
    )
    assert march["churned"].equals(churn_labels(book, "2024-03-01", 60))


def test_the_rules_model_scores_exactly_like_the_rhythm_baseline(book):
    past = book[book["created_at"] < CUTOFF]
    risks = RhythmChurnBaseline().fit(past).score(past, dt.date(2024, 7, 1))
    baseline = {risk.customer_id: risk.score for risk in risks if not risk.lapsed}
    features = churn_features(book, CUTOFF)
    labels = np.arange(len(features)) % 2

    scores = RulesChurnModel().fit(features, labels).predict_proba(features)

    assert set(baseline) == set(features.index)
    expected = [baseline[customer] for customer in features.index]
    assert scores == pytest.approx(expected, abs=5e-4)


def test_a_frame_without_the_needed_columns_names_them(book):
    with pytest.raises(FeatureError, match="discount_pct"):
        churn_features(book.drop(columns="discount_pct"), CUTOFF)
