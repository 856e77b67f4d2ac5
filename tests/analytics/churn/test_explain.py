"""Reasons are about one account, in plain words, with its own numbers."""

import pandas as pd
import pytest

from analytics.churn import (
    FEATURES,
    ChurnError,
    NeuralNetChurnModel,
    Reason,
    RulesChurnModel,
    XGBoostChurnModel,
    describe_reasons,
    explain_customer,
    reason_text,
)

QUIET_ACCOUNT = {
    "days_since_last_order": 74.0,
    "usual_gap_days": 21.0,
    "overdue_ratio": 74 / 21,
    "orders_total": 30.0,
    "order_days": 28.0,
    "orders_last_90d": 1.0,
    "orders_prev_90d": 5.0,
    "revenue_last_90d": 2000.0,
    "revenue_prev_90d": 5000.0,
    "revenue_trend": -0.6,
    "avg_order_value": 1234.5,
    "tenure_days": 900.0,
    "quotes_last_90d": 4.0,
    "days_since_last_quote": 12.0,
    "acceptance_rate": 0.55,
    "acceptance_last_5": 0.2,
    "rejected_of_last_3": 3.0,
    "mean_discount_pct": 12.25,
}


@pytest.fixture
def quiet():
    return pd.Series(QUIET_ACCOUNT, name=7)


@pytest.fixture(scope="module")
def xgboost_model(frames):
    train, valid, _ = frames
    model = XGBoostChurnModel(n_estimators=80)
    model.fit(train, train["churned"], validation=(valid, valid["churned"]))
    return model.calibrate(valid, valid["churned"])


@pytest.mark.parametrize(
    ("feature", "text"),
    [
        ("days_since_last_order", "no order in 74 days; usually orders every 21 days"),
        ("rejected_of_last_3", "last three quotes rejected"),
        ("revenue_trend", "revenue in the last 90 days down 60% on the 90 days before"),
        (
            "orders_last_90d",
            "one order in the last 90 days, down from 5 in the 90 days",
        ),
        ("acceptance_last_5", "only 20% of its latest quotes accepted"),
        ("mean_discount_pct", "average discount of 12.2%"),
        ("tenure_days", "a customer for 2.5 years"),
        ("avg_order_value", "average order of 1,234"),
    ],
)
def test_each_phrase_quotes_the_accounts_own_numbers(quiet, feature, text):
    assert text in reason_text(quiet, feature)


def test_every_feature_has_a_phrase(quiet):
    for feature in FEATURES:
        assert reason_text(quiet, feature)
    with pytest.raises(ChurnError, match="no phrase"):
        reason_text(quiet, "shoe_size")


def test_accounts_with_few_orders_are_told_the_books_rhythm(quiet):
    newcomer = quiet.copy()
    newcomer[["orders_total", "order_days", "usual_gap_days"]] = [1.0, 1.0, 28.0]

    text = reason_text(newcomer, "overdue_ratio")

    assert text == (
        "no order in 74 days; only one order so far, and most accounts order "
        "every 28 days"
    )


def test_the_rules_model_gives_its_overdue_phrase(frames, quiet):
    train, _, _ = frames
    model = RulesChurnModel().fit(train, train["churned"])

    reasons = explain_customer(model, quiet)

    assert [reason.feature for reason in reasons] == ["overdue_ratio"]
    assert reasons[0].text == "no order in 74 days; usually orders every 21 days"
    assert reasons[0].contribution == pytest.approx(0.92, abs=0.01)


def test_xgboost_reasons_push_the_risk_up_strongest_first(xgboost_model, frames):
    _, _, test = frames
    riskiest = test.iloc[xgboost_model.predict_proba(test).argmax()]

    reasons = explain_customer(xgboost_model, riskiest)

    assert 2 <= len(reasons) <= 4
    assert all(isinstance(reason, Reason) for reason in reasons)
    pushes = [reason.contribution for reason in reasons]
    assert pushes == sorted(pushes, reverse=True)
    assert all(push > 0 for push in pushes)
    assert len({reason.text for reason in reasons}) == len(reasons)


def test_xgboost_reasons_name_the_silence_of_an_account_that_went_quiet(
    xgboost_model, frames
):
    _, _, test = frames
    silent = test[test["overdue_ratio"] > 4].iloc[0]

    text = describe_reasons(explain_customer(xgboost_model, silent))

    days = int(silent["days_since_last_order"])
    assert f"no order in {days} days" in text


@pytest.mark.slow
def test_the_network_explains_an_account_by_resetting_each_feature(frames):
    train, valid, test = frames
    model = NeuralNetChurnModel(epochs=12, patience=3)
    model.fit(train, train["churned"], validation=(valid, valid["churned"]))
    riskiest = test.iloc[model.predict_proba(test).argmax()]

    reasons = explain_customer(model, riskiest)

    assert 1 <= len(reasons) <= 4
    assert all(reason.contribution > 0 for reason in reasons)
    pushes = model.contributions(test.head(3))
    assert pushes.shape == (3, len(FEATURES))


def test_healthy_numbers_are_never_given_as_reasons_to_worry():
    from analytics.churn.explain import _warns

    healthy = pd.Series(
        {
            "orders_last_90d": 4,
            "orders_prev_90d": 3,
            "revenue_last_90d": 5000.0,
            "revenue_prev_90d": 4000.0,
            "acceptance_last_5": 1.0,
            "rejected_of_last_3": 0,
            "quotes_last_90d": 5,
        }
    )

    for feature in (
        "orders_last_90d",
        "revenue_trend",
        "acceptance_rate",
        "quotes_last_90d",
        "avg_order_value",
        "mean_discount_pct",
        "tenure_days",
    ):
        assert not _warns(healthy, feature), feature
    assert _warns(healthy, "days_since_last_order")
