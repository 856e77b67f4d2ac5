"""The served churn model on the demo store, whose churners are planted."""

import datetime as dt

import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from analytics.churn import evaluate_churn, fit_churn_model, score_customers
from storage.db import session_scope
from storage.queries import quote_history
from tests.demo_stores import demo_store, planted

TODAY = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo store's quotes, and each account's planted churn date."""
    with session_scope(demo_store(tmp_path_factory, TODAY)) as session:
        quotes = quote_history(session)
        facts = planted(session, "customer")
    churn_dates = {entity: fact["churn_date"] for entity, fact in facts.items()}
    return quotes, pd.to_datetime(pd.Series(churn_dates))


@pytest.fixture(scope="module")
def evaluation(demo):
    """All three models fitted, calibrated and scored on the demo store."""
    quotes, _ = demo
    return evaluate_churn(quotes, 90)


@pytest.mark.slow
def test_the_served_model_ranks_the_planted_churners_first(demo, evaluation):
    quotes, churn_dates = demo
    model = fit_churn_model(quotes, evaluation["selected"], 90)

    scores = score_customers(model, quotes)

    churned = churn_dates.reindex(scores["customer_id"]) <= pd.Timestamp(TODAY)
    assert roc_auc_score(churned, scores["probability"]) > 0.8
    top = churned.to_numpy()[: int(churned.sum())]
    assert top.mean() > 0.4


@pytest.mark.slow
def test_the_selected_model_beats_the_rules_baseline_on_the_held_out_cutoff(
    evaluation,
):
    scores = evaluation["models"]
    selected = scores[evaluation["selected"]]

    assert evaluation["selected"] != "rules"
    assert selected["roc_auc"] > scores["rules"]["roc_auc"]
    assert selected["brier"] < scores["rules"]["brier"]
