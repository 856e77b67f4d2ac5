"""The served churn model on the demo store, whose churners are planted."""

import datetime as dt

import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score
from sqlalchemy import select

from analytics.churn import evaluate_churn, fit_churn_model, score_customers
from storage.db import session_scope, upgrade
from storage.demo_data import generate_demo_data
from storage.models import GroundTruth
from storage.queries import quote_history

TODAY = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo store's quotes, and each account's planted churn date."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'quotebot.db'}"
    upgrade(url)
    with session_scope(url) as session:
        generate_demo_data(session, today=TODAY)
        quotes = quote_history(session)
        facts = session.execute(
            select(GroundTruth.entity_id, GroundTruth.value).where(
                GroundTruth.kind == "customer"
            )
        ).all()
    churn_dates = {int(entity): fact["churn_date"] for entity, fact in facts}
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
