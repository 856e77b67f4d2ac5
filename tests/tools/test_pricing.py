"""Price suggestions on the trained demo store: scoped, explained, within limits."""

import pytest
from sqlalchemy import func, select

from storage.db import session_scope
from storage.models import PricingBanditArm, Product
from tests.tools.conftest import MANAGER, REP, another_reps_customer
from tools.customers import UnknownCustomerError
from tools.errors import AccessError, NotEnoughDataError
from tools.people import requester_by_email
from tools.pricing import MAX_DISCOUNT_PCT, MIN_MARGIN, price_suggestion
from tools.pricing_evaluation import evaluate_pricing_policies
from tools.products import UnknownProductError


def suggest(url, email, **arguments):
    with session_scope(url) as session:
        return price_suggestion(
            session, requester_by_email(session, email), **arguments
        )


def test_training_counts_quotes_in_the_stored_segments(trained_demo):
    counted = PricingBanditArm.alpha + PricingBanditArm.beta - 2
    with session_scope(trained_demo) as session:
        by_segment = dict(
            session.execute(
                select(PricingBanditArm.segment, func.sum(counted)).group_by(
                    PricingBanditArm.segment
                )
            ).all()
        )

    total = sum(by_segment.values())
    assert total > 1000
    assert "High-value loyal" in by_segment
    assert by_segment.get("all", 0) < 0.05 * total  # customers never segmented


def test_a_suggestion_for_a_product_says_why_in_numbers(trained_demo):
    result = suggest(trained_demo, REP, customer="Acme Corp", product="analytics suite")

    assert result.intent == "price_suggestion"
    assert result.summary.startswith(("Suggest ", "Suggest list price"))
    assert "accounts buying Software licences" in result.summary
    assert "were accepted" in result.summary and "expected margin $" in result.summary
    assert result.summary.endswith("Reps may give at most 20%.")
    assert result.data["product"] == "Analytics Suite"
    assert result.data["suggested_discount_pct"] <= MAX_DISCOUNT_PCT["rep"]
    assert len(result.rows) == 7 and result.chart.kind == "bars"


def test_a_rep_never_gets_more_than_their_limit_and_a_manager_may_get_more(
    trained_demo,
):
    rep = suggest(trained_demo, REP, customer="Acme Corp", product="Analytics Suite")
    manager = suggest(
        trained_demo, MANAGER, customer="Acme Corp", product="Analytics Suite"
    )

    allowed = {row["discount"]: row["allowed"] for row in rep.rows}
    assert allowed["25%"] == allowed["30%"] == "above your limit"
    assert allowed["20%"] == "yes"
    assert {row["allowed"] for row in manager.rows} == {"yes"}
    assert manager.summary.endswith("Managers may give at most 30%.")


def test_no_suggestion_goes_below_the_floor_price(trained_demo):
    with session_scope(trained_demo) as session:
        item = session.scalar(
            select(Product).order_by((Product.unit_cost / Product.list_price).desc())
        )
        name, cost = item.name, float(item.unit_cost)

    result = suggest(trained_demo, MANAGER, customer="Acme Corp", product=name)

    assert result.data["unit_price"] >= cost / (1 - MIN_MARGIN) - 0.01
    assert result.data["floor_unit_price"] == pytest.approx(
        cost / (1 - MIN_MARGIN), abs=0.01
    )
    assert any(row["allowed"] == "below the floor" for row in result.rows)


def test_quantity_scales_the_expected_margin(trained_demo):
    one = suggest(
        trained_demo, MANAGER, customer="Initech", product="Gateway Hub", quantity=1
    )
    twenty = suggest(
        trained_demo, MANAGER, customer="Initech", product="Gateway Hub", quantity=20
    )

    assert twenty.data["quantity"] == 20
    assert twenty.data["suggested_discount_pct"] == one.data["suggested_discount_pct"]
    assert twenty.data["expected_margin"] == pytest.approx(
        20 * one.data["expected_margin"], rel=1e-4
    )


def test_the_same_question_gets_the_same_answer(trained_demo):
    first = suggest(trained_demo, REP, customer="Acme Corp", product="Gateway Hub")
    again = suggest(trained_demo, REP, customer="Acme Corp", product="Gateway Hub")

    assert first.summary == again.summary


def test_without_a_product_the_customers_usual_categories_are_priced(trained_demo):
    result = suggest(trained_demo, REP, customer="Acme Corp")

    assert 1 <= len(result.rows) <= 3
    assert result.summary.endswith("Name a product for its own price.")
    assert result.data["categories"] == [row["category"] for row in result.rows]


def test_a_misspelt_product_is_found(trained_demo):
    result = suggest(trained_demo, REP, customer="Acme Corp", product="gatway hubb")

    assert result.data["product"] == "Gateway Hub"


def test_an_ambiguous_product_suggests_close_names(trained_demo):
    with pytest.raises(UnknownProductError, match="Did you mean .*24-port or .*48"):
        suggest(trained_demo, REP, customer="Acme Corp", product="network switch")
    with pytest.raises(UnknownProductError, match="No product matches 'flux'"):
        suggest(trained_demo, REP, customer="Acme Corp", product="flux")


def test_an_unknown_customer_suggests_close_names(trained_demo):
    with pytest.raises(UnknownCustomerError, match="Acme Corp"):
        suggest(trained_demo, REP, customer="Acmee Crop", product="Gateway Hub")


def test_a_rep_cannot_price_another_reps_account(trained_demo):
    other = another_reps_customer(trained_demo)

    with pytest.raises(AccessError, match="not one of your accounts"):
        suggest(trained_demo, REP, customer=other, product="Gateway Hub")


def test_an_untrained_store_says_how_to_train(daily_book):
    with pytest.raises(NotEnoughDataError, match="quotebot train"):
        suggest(daily_book, "alex.rivera@example.com", customer="Acme Corp")


def test_thompson_beats_current_practice_and_jitter_on_the_demo_market(trained_demo):
    with session_scope(trained_demo) as session:
        report = evaluate_pricing_policies(session, rounds=3000)

    regret = report["regret"]
    assert report["market"] == "store ground truth"
    assert set(report["oracle_discounts"]) == {
        "enterprise",
        "mid_market",
        "smb",
        "occasional",
    }
    assert regret["thompson"] < regret["current_practice"] / 2
    assert regret["thompson"] < regret["jitter"] / 2


def test_quotebot_evaluate_has_a_pricing_section(trained_demo):
    from tools.evaluation import evaluate_pricing_section

    with session_scope(trained_demo) as session:
        section = evaluate_pricing_section(session)

    assert section["rounds"] == 20_000
    assert section["regret"]["oracle"] == 0.0
    assert section["margin_vs_current"]["thompson"] > 0
    held_out = section["holdout"]["models"]
    assert held_out["thompson"]["log_loss"] < held_out["overall_rate"]["log_loss"]


def test_a_typed_question_is_routed_to_the_price_suggestion(trained_demo):
    from bot.answer import answer

    with session_scope(trained_demo) as session:
        requester = requester_by_email(session, REP)
        result = answer(
            session, requester, "what discount should i give acme on gateway hub"
        )

    assert result.intent == "price_suggestion"
    assert result.data["customer"] == "Acme Corp"
    assert result.data["product"] == "Gateway Hub"


def test_imported_products_without_cost_or_category_are_priced_on_revenue(
    sqlite_url,
):
    from pathlib import Path

    from storage.importers.quotes_csv import import_quotes_csv
    from tools.pricing import train_pricing

    sample = Path(__file__).parents[1] / "fixtures" / "quotes_sample.csv"
    with session_scope(sqlite_url) as session:
        import_quotes_csv(session, sample)
        assert train_pricing(session)["quotes"] >= 2

    result = suggest(
        sqlite_url, "jane.doe@example.com", customer="Northwind", product="gadget"
    )

    assert "across accounts buying uncategorised products" in result.summary
    assert any("margin shown is the expected revenue" in n for n in result.notes)
    assert result.data["max_discount_pct"] == MAX_DISCOUNT_PCT["rep"]
