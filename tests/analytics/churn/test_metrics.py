"""The churn measures on small examples worked out by hand."""

import numpy as np
import pytest

from analytics.churn import (
    brier,
    churn_metrics,
    ece,
    lift_top_decile,
    pr_auc,
    roc_auc,
)


def test_ece_weighs_each_bins_gap_by_its_share_of_accounts():
    p = np.array([0.05, 0.05, 0.15, 0.15, 0.95])
    y = np.array([0, 1, 0, 0, 1])

    # bin 0: mean p 0.05, rate 0.5 -> 0.45 x 2/5; bin 1: 0.15 x 2/5; bin 9: 0.05 x 1/5
    assert ece(y, p) == pytest.approx((0.9 + 0.3 + 0.05) / 5)


def test_ece_puts_a_probability_of_one_in_the_last_bin():
    assert ece([1, 1], [1.0, 0.9]) == pytest.approx(0.05)


def test_ece_is_zero_for_probabilities_that_match_their_bins():
    assert ece([0, 0, 0, 1] * 5, [0.25] * 20) == pytest.approx(0.0)


def test_lift_compares_the_top_tenth_with_the_whole_book():
    p = np.linspace(1.0, 0.0, 20)
    y = np.array([1, 0] + [0] * 14 + [1, 1, 1, 1])

    # the top 2 hold one churner (50%); the book churns at 25%
    assert lift_top_decile(y, p) == pytest.approx(2.0)


def test_lift_takes_at_least_one_account_and_is_none_without_churners():
    assert lift_top_decile([1, 0, 0, 0], [0.9, 0.1, 0.2, 0.3]) == pytest.approx(4.0)
    assert lift_top_decile([0, 0], [0.3, 0.2]) is None


def test_ranking_measures_are_none_with_one_class_only():
    assert roc_auc([1, 1], [0.2, 0.4]) is None
    assert pr_auc([0, 0], [0.2, 0.4]) is None


def test_perfect_ranking_scores_one_and_brier_is_the_squared_gap():
    y, p = [0, 0, 1, 1], [0.1, 0.2, 0.7, 0.9]

    metrics = churn_metrics(y, p)

    assert metrics["roc_auc"] == 1.0
    assert metrics["pr_auc"] == 1.0
    assert metrics["brier"] == pytest.approx((0.01 + 0.04 + 0.09 + 0.01) / 4)
    assert brier(y, p) == metrics["brier"]
    assert set(metrics) == {"roc_auc", "pr_auc", "brier", "ece", "lift_top_decile"}
