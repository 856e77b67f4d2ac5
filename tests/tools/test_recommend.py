import pytest
from sqlalchemy import select

from storage.db import session_scope, upgrade
from storage.demo_data import generate_demo_data
from storage.models import Customer, SalesRep
from storage.registry import latest_model
from tests.factories import make_customer, make_rep
from tests.tools.conftest import LAST_DAY, MANAGER, REP
from tools.customers import UnknownCustomerError
from tools.errors import AccessError, NotEnoughDataError, ToolError
from tools.people import requester_by_email
from tools.products import UnknownProductError
from tools.recommend import bought_together, product_recommendations
from tools.recommend_training import (
    RECOMMEND_MODEL,
    RULES_MODEL,
    train_recommendations,
)

NEW_ACCOUNT = "Fresh Start Ltd"


@pytest.fixture(scope="module")
def trained_store(tmp_path_factory) -> str:
    """A demo store with a rep's account that has never ordered, recommender trained."""
    url = f"sqlite:///{tmp_path_factory.mktemp('recommend') / 'quotebot.db'}"
    upgrade(url)
    with session_scope(url) as session:
        generate_demo_data(session, today=LAST_DAY)
        alex = session.scalar(select(SalesRep).where(SalesRep.email == REP))
        make_customer(session, NEW_ACCOUNT, alex)
    with session_scope(url) as session:
        train_recommendations(session)
    return url


def ask(url, tool, email=REP, **arguments):
    with session_scope(url) as session:
        return tool(session, requester_by_email(session, email), **arguments)


def own_account(url, email=REP, own=True) -> str:
    with session_scope(url) as session:
        rep = session.scalar(select(SalesRep).where(SalesRep.email == email))
        owner = Customer.owner_rep_id == rep.id
        names = session.scalars(
            select(Customer.name)
            .where(owner if own else ~owner, Customer.name != NEW_ACCOUNT)
            .order_by(Customer.id)
        )
        return next(iter(names))


def test_a_rep_gets_new_products_for_their_account_each_with_its_reason(
    trained_store,
):
    account = own_account(trained_store)

    result = ask(trained_store, product_recommendations, customer=account, top_n=3)

    assert result.intent == "product_recommendations"
    assert len(result.rows) == 3
    assert all("customers who buy" in row["reason"] for row in result.rows)
    assert result.rows[0]["reason"] in result.summary
    assert result.chart.data["format"] == "percent"
    assert "not a probability" in result.notes[0]


def test_recommendations_leave_out_what_the_account_already_buys(trained_store):
    from storage.queries import accepted_lines

    account = own_account(trained_store)
    with session_scope(trained_store) as session:
        customer_id = session.scalar(
            select(Customer.id).where(Customer.name == account)
        )
        owned = set(accepted_lines(session, [customer_id])["product_id"])

    result = ask(trained_store, product_recommendations, customer=account, top_n=20)

    assert not owned & {row["product_id"] for row in result.rows}


def test_a_rep_cannot_ask_about_another_reps_account(trained_store):
    other = own_account(trained_store, own=False)

    with pytest.raises(AccessError, match="not one of your accounts"):
        ask(trained_store, product_recommendations, customer=other)


def test_a_manager_can_ask_about_their_teams_accounts(trained_store):
    account = own_account(trained_store)

    result = ask(trained_store, product_recommendations, MANAGER, customer=account)

    assert result.rows


def test_an_unknown_customer_gets_the_closest_names(trained_store):
    with pytest.raises(UnknownCustomerError, match="Did you mean Initech"):
        ask(trained_store, product_recommendations, MANAGER, customer="Inittech Grp")


def test_an_account_without_orders_gets_popular_products_labelled_as_such(
    trained_store,
):
    result = ask(trained_store, product_recommendations, customer=NEW_ACCOUNT)

    assert "no accepted order yet" in result.summary
    assert "most popular" in result.summary
    assert all(row["reason"].startswith("popular:") for row in result.rows)
    assert result.data["model"] == "popularity"


def test_asking_without_a_customer_says_how_to_ask(trained_store):
    with pytest.raises(ToolError, match="Which customer"):
        ask(trained_store, product_recommendations)


def test_the_planted_companion_comes_first_for_its_anchor(trained_store):
    result = ask(trained_store, bought_together, product="the gateway hub")

    assert result.rows[0]["product"] == "Installation Service"
    assert "quotes with Gateway Hub also hold Installation Service" in result.summary
    assert float(result.rows[0]["lift"].rstrip("x")) > 4


def test_the_strongest_pairs_overall_are_the_planted_bundles(trained_store):
    result = ask(trained_store, bought_together, top_n=5)

    pairs = {frozenset(row["pair"].split(" + ")) for row in result.rows}
    assert frozenset({"Gateway Hub", "Installation Service"}) in pairs
    assert frozenset({"Firewall Appliance", "Hardware Care Pack"}) in pairs
    assert result.chart.kind == "bars"


def test_an_unknown_product_gets_the_closest_names(trained_store):
    with pytest.raises(UnknownProductError, match="Network Switch 24-port or"):
        ask(trained_store, bought_together, product="network swich")


def test_training_registers_the_recommender_with_its_measurements(trained_store):
    with session_scope(trained_store) as session:
        record = latest_model(session, RECOMMEND_MODEL)

    assert record.artifact_format == "npz"
    assert set(record.metrics["models"]) >= {"popularity", record.metrics["served"]}
    assert record.metrics["selected"] == record.metrics["served"]


def test_answers_before_training_say_to_train(store_url):
    with session_scope(store_url) as session:
        make_rep(session, "Alex Rivera")
        make_customer(session, "Acme Corp", session.scalar(select(SalesRep)))

    with pytest.raises(NotEnoughDataError, match="quotebot train"):
        ask(
            store_url,
            product_recommendations,
            "alex.rivera@example.com",
            customer="Acme Corp",
        )
    with pytest.raises(NotEnoughDataError, match="quotebot train"):
        ask(store_url, bought_together, "alex.rivera@example.com")


def test_training_a_store_without_orders_registers_nothing(sqlite_url):
    with session_scope(sqlite_url) as session:
        assert train_recommendations(session) == []


def test_the_bot_answers_cross_sell_questions_with_these_tools(trained_store):
    from bot.answer import answer

    account = own_account(trained_store)
    with session_scope(trained_store) as session:
        rep = requester_by_email(session, REP)
        offers = answer(session, rep, f"what else can I sell to {account}?")
        companions = answer(session, rep, "what do people buy with the gateway hub")

    assert offers.intent == "product_recommendations"
    assert offers.data["customer"] == account
    assert companions.intent == "bought_together"
    assert companions.data["product"] == "Gateway Hub"


def test_evaluate_reports_both_recommenders_and_the_planted_bundles(trained_store):
    from tools.evaluation import evaluate_recommendation_section

    with session_scope(trained_store) as session:
        section = evaluate_recommendation_section(session)

    assert {"popularity", section["selected"]} <= set(section["models"])
    assert set(section["models"]["popularity"]) == {"hit_rate_at_5", "recall_at_10"}
    assert section["customers"] > 50
    assert section["bundles"]["in_top_planted"] == section["bundles"]["planted_pairs"]
    assert section["bundles"]["min_lift"] > 4


def test_training_the_customer_models_trains_the_recommender(trained_demo):
    with session_scope(trained_demo) as session:
        assert latest_model(session, RECOMMEND_MODEL) is not None
        assert latest_model(session, RULES_MODEL) is not None


def test_a_stored_model_this_version_cannot_read_asks_to_retrain(sqlite_url):
    from storage.registry import register_model

    with session_scope(sqlite_url) as session:
        make_customer(session, "Acme Corp", make_rep(session, "Alex Rivera"))
        register_model(
            session,
            name=RULES_MODEL,
            model_type="pair_rules",
            artifact_format="json",
            artifact=b"{}",
            data_fingerprint="old",
            metrics={},
        )

    with pytest.raises(NotEnoughDataError, match="quotebot train"):
        ask(sqlite_url, bought_together, "alex.rivera@example.com")


def test_accepted_lines_are_what_each_customer_bought_and_when(store_url):
    import datetime as dt

    from storage.queries import accepted_lines
    from tests.factories import add_line, make_product, make_quote

    with session_scope(store_url) as session:
        acme = make_customer(session, "Acme Corp", make_rep(session, "Alex Rivera"))
        hub = make_product(session, "Gateway Hub", "Hardware")
        install = make_product(session, "Installation Service", "Services")
        won = make_quote(session, acme, dt.date(2026, 3, 2))
        lost = make_quote(session, acme, dt.date(2026, 3, 9), status="rejected")
        for quote in (won, lost):
            add_line(session, quote, hub, "2400.00")
        add_line(session, won, install, "800.00")

    with session_scope(store_url) as session:
        lines = accepted_lines(session)
        others = accepted_lines(session, [acme.id + 1])

    assert sorted(lines["product"]) == ["Gateway Hub", "Installation Service"]
    assert set(lines["quote_id"]) == {won.id}
    assert set(lines.columns) >= {"customer_id", "product_id", "sku", "category"}
    assert lines["created_at"].dt.date.tolist() == [dt.date(2026, 3, 2)] * 2
    assert others.empty


def test_an_account_whose_products_nobody_else_buys_gets_popular_products(
    sqlite_url,
):
    import datetime as dt

    from tests.factories import add_line, make_product, make_quote

    with session_scope(sqlite_url) as session:
        alex = make_rep(session, "Alex Rivera")
        niche = make_customer(session, "Niche Labs", alex)
        common = [make_product(session, n, "Hardware") for n in ("Hub", "Switch")]
        rare = make_product(session, "Custom Rig", "Hardware")
        add_line(session, make_quote(session, niche, dt.date(2026, 1, 5)), rare, "9")
        for name in ("Acme Corp", "Initech", "Globex"):
            quote = make_quote(session, make_customer(session, name, alex), LAST_DAY)
            for product in common:
                add_line(session, quote, product, "100.00")
        train_recommendations(session)

    result = ask(
        sqlite_url, product_recommendations, "alex.rivera@example.com", customer="Niche"
    )

    assert "None of the products Niche Labs buys" in result.summary
    assert [row["product"] for row in result.rows] == ["Hub", "Switch"]
    assert "not yet measured" in result.notes[0]
