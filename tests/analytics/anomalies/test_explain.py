"""Reasons name the quote's own numbers against what is usual for it."""

import pytest

from analytics.anomalies import (
    FALLBACK,
    QuoteAnomalyModel,
    describe_reasons,
    explain_quote,
    quote_features,
)
from tests.analytics.anomalies.quote_factories import plant, quote_profiles


@pytest.fixture(scope="module")
def profiles():
    return quote_profiles(n_customers=20, quotes_each=15, seed=2)


@pytest.fixture(scope="module")
def model(profiles):
    return QuoteAnomalyModel(n_estimators=50, epochs=5).fit(quote_features(profiles))


def reasons_for(model, profiles, quote_id, kind):
    features = quote_features(plant(profiles, quote_id, kind))
    return explain_quote(model, features.loc[quote_id], money=lambda v: f"${v:,.0f}")


def test_an_oversized_quote_is_told_as_a_multiple_of_the_accounts_usual(
    model, profiles
):
    reasons = reasons_for(model, profiles, 280, "oversized")

    customer = profiles.loc[profiles["quote_id"] == 280, "customer"].iloc[0]
    assert any(f"times {customer}'s usual quote ($" in r for r in reasons)


def test_a_deep_discount_is_told_against_the_reps_usual_discount(model, profiles):
    reasons = reasons_for(model, profiles, 281, "deep_discount")

    rep = profiles.loc[profiles["quote_id"] == 281, "rep"].iloc[0]
    assert any(
        r.startswith("50% discount where " + rep + " usually gives") for r in reasons
    )


def test_prices_below_list_are_told_as_how_far_below(model, profiles):
    reasons = reasons_for(model, profiles, 282, "below_list_price")

    assert reasons[0] == "unit prices 70% below list"


def test_an_ordinary_quote_gets_the_general_reason(model, profiles):
    features = quote_features(profiles)
    ordinary = features.loc[features["discount_vs_rep"].abs() < 5]
    ordinary = ordinary[ordinary["size_vs_customer"].abs() < 0.3].iloc[-1]

    assert explain_quote(model, ordinary) == [FALLBACK]


def test_reasons_read_as_one_phrase():
    assert describe_reasons(["a", "b"]) == "a; b"


def test_prices_far_above_list_are_told_as_a_multiple(model, profiles):
    features = quote_features(profiles)
    quote = features.iloc[-1].copy()
    quote["price_to_list"] = 519.1

    assert "unit prices 519 times list" in explain_quote(model, quote)
