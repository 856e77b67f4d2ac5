import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from analytics.recommend import (
    TooLittleHistoryError,
    evaluate_recommendations,
    holdout_sets,
    ranking_metrics,
)
from tests.analytics.recommend.recommend_factories import START, lines_of, two_tastes


def test_hit_rate_and_recall_count_new_products_in_the_top_of_the_list():
    new = sparse.csr_matrix(np.array([[0, 1, 1, 0], [1, 0, 0, 0]]))
    top = np.array(
        [[1, 3, -1, -1, -1, -1, -1, -1, -1, -1], [3, 2, 1, 0, -1, 0, 0, 0, 0, 0]]
    )
    top[1, 5:] = -1

    metrics = ranking_metrics(top, new)

    assert metrics == {"hit_rate_at_5": 1.0, "recall_at_10": pytest.approx(0.75)}


def test_the_holdout_keeps_only_products_new_to_each_customer():
    before = lines_of([(1, [1, 2]), (2, [1])])
    after = lines_of([(1, [2, 3]), (2, [1]), (3, [3])])

    owned, new = holdout_sets(before, after, np.array([1, 2, 3]))

    assert owned.toarray().tolist() == [[1, 1, 0]]
    assert new.toarray().tolist() == [[0, 0, 1]]


def test_the_item_based_model_beats_popularity_when_taste_predicts_purchases():
    result = evaluate_recommendations(two_tastes(), horizon_days=120)

    served = result["models"][result["selected"]]
    baseline = result["models"]["popularity"]
    assert result["selected"].startswith("item_cf_")
    assert served["hit_rate_at_5"] > baseline["hit_rate_at_5"] + 0.2
    assert served["recall_at_10"] > baseline["recall_at_10"]
    assert result["customers"] == 200
    assert set(result) >= {"models", "selected", "cutoff", "customers"}


def test_the_neighbours_are_tuned_on_validation_only():
    result = evaluate_recommendations(
        two_tastes(), horizon_days=120, neighbours_grid=(2, 8)
    )

    assert set(result["validation"]) == {
        "popularity",
        *(f"item_cf_{w}_k{k}" for w in ("binary", "tfidf", "bm25") for k in (2, 8)),
    }
    params = result["selected_params"]
    assert result["selected"] == f"item_cf_{params['weighting']}"
    chosen = result["validation"][f"{result['selected']}_k{params['neighbours']}"]
    for k in (2, 8):
        other = result["validation"][f"{result['selected']}_k{k}"]
        assert chosen["recall_at_10"] >= other["recall_at_10"]


def test_a_history_without_later_purchases_is_refused_with_what_is_needed():
    lines = lines_of([(1, [1, 2]), (2, [1])])
    lines["created_at"] = START

    with pytest.raises(TooLittleHistoryError, match="twice the holdout"):
        evaluate_recommendations(lines, horizon_days=30)


def test_too_few_customers_with_new_products_is_refused():
    lines = lines_of([(1, [1]), (2, [2]), (1, [2])], days_apart=40)

    with pytest.raises(TooLittleHistoryError, match="at least 10"):
        evaluate_recommendations(lines, horizon_days=30)


def test_the_cutoff_is_one_horizon_before_the_last_day():
    lines = two_tastes()
    last = lines["created_at"].max().normalize()

    result = evaluate_recommendations(lines, horizon_days=120)

    assert pd.Timestamp(result["cutoff"]) == last - pd.Timedelta(days=119)
