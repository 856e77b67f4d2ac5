"""The churn and value answers served from models trained on the demo store."""

import pytest
from sqlalchemy import select

from storage.db import session_scope
from storage.models import Customer, SalesRep
from storage.registry import latest_model
from tests.tools.conftest import MANAGER, REP
from tools.churn import churn_explain, churn_risk_list
from tools.customers import UnknownCustomerError
from tools.errors import AccessError
from tools.people import requester_by_email
from tools.value import customer_value


def ask(url, tool, email, **arguments):
    with session_scope(url) as session:
        return tool(session, requester_by_email(session, email), **arguments)


def accounts_of(url, email) -> set[str]:
    with session_scope(url) as session:
        names = session.scalars(
            select(Customer.name)
            .join(SalesRep, Customer.owner_rep_id == SalesRep.id)
            .where(SalesRep.email == email)
        )
        return set(names)


def test_the_risk_list_is_served_by_the_selected_model_with_probabilities(
    trained_demo,
):
    result = ask(trained_demo, churn_risk_list, REP)

    with session_scope(trained_demo) as session:
        served = latest_model(session, "churn")
    assert result.data["model"] == served.model_type == served.metrics["selected"]
    assert {row["customer"] for row in result.rows} <= accounts_of(trained_demo, REP)
    probabilities = [row["probability"] for row in result.rows]
    assert probabilities == sorted(probabilities, reverse=True)
    assert all(0 <= p <= 1 for p in probabilities)
    assert all(row["reason"] for row in result.rows)
    assert "ROC AUC" in " ".join(result.notes)
    assert result.chart.kind == "bars"


def test_a_manager_s_list_covers_the_team(trained_demo):
    rep = ask(trained_demo, churn_risk_list, REP, top_n=50)
    team = ask(trained_demo, churn_risk_list, MANAGER, top_n=50)

    assert len({row["owner"] for row in team.rows}) > 1
    assert len(team.rows) > len(rep.rows)


def test_an_explanation_quotes_the_account_s_own_numbers(trained_demo):
    top = ask(trained_demo, churn_risk_list, MANAGER).rows[0]

    result = ask(trained_demo, churn_explain, MANAGER, customer=top["customer"])

    assert f"{top['probability']:.0%} chance" in result.summary
    assert result.data["reasons"]
    assert any(char.isdigit() for char in result.data["reasons"][0])


def test_an_unknown_customer_gets_the_closest_names(trained_demo):
    with pytest.raises(UnknownCustomerError, match="Did you mean Northwind Traders"):
        ask(trained_demo, churn_explain, MANAGER, customer="Nrthwind")


def test_the_top_customers_by_value_are_the_asker_s_own(trained_demo):
    result = ask(trained_demo, customer_value, REP, top_n=5)

    assert len(result.rows) == 5
    assert {row["customer"] for row in result.rows} <= accounts_of(trained_demo, REP)
    assert "next 12 months" in result.summary
    assert "holdout" in result.notes[-1]


def test_one_customer_s_value_is_given_for_both_horizons(trained_demo):
    result = ask(trained_demo, customer_value, MANAGER, customer="acme")

    assert result.data["customer"] == "Acme Corp"
    assert result.data["value_365d"] >= result.data["value_90d"] > 0


def test_a_rep_cannot_see_the_value_of_another_rep_s_account(trained_demo):
    others = accounts_of(trained_demo, "priya.nair@example.com")

    with pytest.raises(AccessError):
        ask(trained_demo, customer_value, REP, customer=sorted(others)[0])


def test_a_lapsed_account_is_explained_by_its_silence(trained_demo):
    with session_scope(trained_demo) as session:
        from storage.models import Prediction, Quote

        scored = select(Prediction.entity_id).where(Prediction.model_name == "churn")
        lapsed = session.scalar(
            select(Customer.name)
            .join(Quote, Quote.customer_id == Customer.id)
            .where(Quote.status == "accepted")
            .where(Customer.id.cast(Prediction.entity_id.type).not_in(scored))
            .limit(1)
        )

    result = ask(trained_demo, churn_explain, MANAGER, customer=lapsed)

    assert "has lapsed" in result.summary
    assert "leaves them out" in result.notes[0]
