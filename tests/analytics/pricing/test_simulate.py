"""Offline evaluation: Thompson sampling beats today's discounts and random jitter."""

import pytest

from analytics.pricing import Market, MarketSegment, PricingError, evaluate_pricing
from tests.analytics.pricing.pricing_factories import two_segment_market


@pytest.fixture(scope="module")
def report():
    return evaluate_pricing(two_segment_market(), rounds=4000, seed=0)


def test_the_oracle_prices_by_segment_and_cost():
    best = two_segment_market().oracle_discounts()

    assert best["loyal"]["Hardware"] == 0.0
    assert best["price_hunters"]["Software"] > best["price_hunters"]["Hardware"] > 0


def test_thompson_has_less_regret_than_current_practice_and_jitter(report):
    regret = report["regret"]

    assert regret["oracle"] == 0.0
    assert 0 < regret["thompson"] < regret["current_practice"] / 2
    assert regret["thompson"] < regret["jitter"] / 2
    assert report["margin_vs_current"]["thompson"] > 0


def test_regret_grows_ever_more_slowly_for_thompson(report):
    marks = sorted(report["checkpoints"])
    early, late = marks[0], marks[-1]
    per_round = {m: report["checkpoints"][m]["thompson"] / m for m in (early, late)}
    practice = {m: report["checkpoints"][m]["current_practice"] / m for m in marks}

    assert per_round[late] < per_round[early]
    assert practice[late] == pytest.approx(practice[early], rel=0.35)


def test_the_report_has_a_stable_shape(report):
    assert report["rounds"] == 4000
    assert set(report["regret"]) == {
        "oracle",
        "thompson",
        "thompson_unpooled",
        "current_practice",
        "jitter",
    }
    assert set(report["learned_discounts"]) == {"loyal", "price_hunters"}
    assert 0 <= report["thompson_oracle_share"] <= 1


def test_same_seed_same_report():
    first = evaluate_pricing(two_segment_market(), rounds=300, seed=3)
    assert first == evaluate_pricing(two_segment_market(), rounds=300, seed=3)


def test_a_market_refuses_categories_without_a_cost():
    with pytest.raises(PricingError, match="no cost ratio"):
        Market(
            segments=(MarketSegment("a", 1.0, 1.0, 1.0, (1.0, 0.0), {"Toys": 1.0}),),
            cost_ratios={"Software": 0.1},
            discounts=(0.0, 10.0),
        )
