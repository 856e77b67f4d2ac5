"""Evaluation scores every model on a cutoff none saw; serving scores everyone."""

import json

import pandas as pd
import pytest

from analytics.churn import (
    FEATURES,
    TooLittleHistoryError,
    XGBoostChurnModel,
    evaluate_churn,
    fit_churn_model,
    score_customers,
)
from tests.analytics.churn.quote_factories import quote_rows, quotes_frame

KEYS = {
    "window_days",
    "train_cutoffs",
    "validation_cutoff",
    "evaluation_cutoff",
    "customers_evaluated",
    "churn_rate",
    "models",
    "selected",
    "calibration",
}
METRICS = {"roc_auc", "pr_auc", "brier", "ece", "lift_top_decile"}
FAST = {"models": ["rules", "xgboost"], "n_estimators": 80}


@pytest.fixture(scope="module")
def evaluation(book):
    return evaluate_churn(book, 60, n_train=4, **FAST)


def test_evaluate_churn_returns_the_documented_keys(evaluation):
    assert set(evaluation) == KEYS
    assert set(evaluation["models"]) == {"rules", "xgboost"}
    assert all(set(scores) == METRICS for scores in evaluation["models"].values())
    assert evaluation["window_days"] == 60
    assert evaluation["calibration"] == "platt"
    json.dumps(evaluation)


def test_numbers_are_rounded_to_four_places(evaluation):
    numbers = [evaluation["churn_rate"]]
    numbers += [v for scores in evaluation["models"].values() for v in scores.values()]

    assert all(round(number, 4) == number for number in numbers)


def test_the_evaluation_cutoff_follows_every_training_window(evaluation):
    evaluated = pd.Timestamp(evaluation["evaluation_cutoff"])
    window = pd.Timedelta(days=evaluation["window_days"])

    trained = [pd.Timestamp(day) for day in evaluation["train_cutoffs"]]
    assert all(day + window <= evaluated for day in trained)
    assert pd.Timestamp(evaluation["validation_cutoff"]) + window <= evaluated


def test_the_model_with_the_best_pr_auc_is_selected(evaluation):
    scores = evaluation["models"]

    best = max(scores, key=lambda name: scores[name]["pr_auc"])
    assert evaluation["selected"] == best
    assert scores["xgboost"]["roc_auc"] > scores["rules"]["roc_auc"]


@pytest.mark.slow
def test_all_three_models_are_evaluated_alike(book):
    result = evaluate_churn(book, 60, n_train=3, epochs=12, patience=3)

    assert set(result["models"]) == {"rules", "xgboost", "neural_net"}
    assert result["selected"] in result["models"]


def test_too_short_a_history_is_refused_before_any_fit():
    quotes = quotes_frame(quote_rows(1, ["2024-01-01", "2024-02-01", "2024-03-01"]))

    with pytest.raises(TooLittleHistoryError, match="at least"):
        evaluate_churn(quotes, 90)


def test_the_served_model_is_calibrated_on_the_latest_labelled_cutoff(book):
    model = fit_churn_model(book, "xgboost", 60, max_train_cutoffs=4, n_estimators=80)

    assert isinstance(model, XGBoostChurnModel)
    assert model.calibration == "platt"
    assert model.max_depth == 3


def test_every_current_account_is_scored_riskiest_first(book):
    model = fit_churn_model(book, "rules", 60, max_train_cutoffs=2)

    scores = score_customers(model, book)

    columns = ["customer_id", "customer", "owner", "probability", *FEATURES]
    assert scores.columns.tolist() == columns
    assert scores["probability"].is_monotonic_decreasing
    assert scores["customer_id"].is_unique
    assert scores["customer"].str.startswith("Account ").all()


def test_scores_as_of_a_day_count_the_quotes_of_that_day(book):
    model = fit_churn_model(book, "rules", 60, max_train_cutoffs=2)
    day = book["created_at"].max().normalize()
    buyer = int(book.loc[book["created_at"].idxmax(), "customer_id"])

    scores = score_customers(model, book, as_of=day.date()).set_index("customer_id")

    assert scores.loc[buyer, "days_since_last_quote"] == 1
