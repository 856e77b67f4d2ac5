"""The demo-data generator: sizes, determinism, consistency and planted truth."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import func, insert, select

from storage.db import get_engine, session_scope, upgrade
from storage.demo_data import (
    DEMO_MANAGER_EMAIL,
    DEMO_REPS,
    DemoSummary,
    generate_demo_data,
)
from storage.errors import StorageError
from storage.models import (
    Customer,
    CustomerNote,
    GroundTruth,
    Product,
    Quote,
    QuoteItem,
    QuoteNumberCounter,
    SalesRep,
)
from storage.quote_math import line_total, quote_totals
from storage.quote_numbers import next_quote_number

TODAY = dt.date(2025, 6, 15)
SMALL = 40
NAMED_CUSTOMERS = {
    "Acme Corp",
    "Globex Corporation",
    "Initech",
    "Northwind Traders",
    "Umbrella Industries",
}
NAMED_PRODUCTS = {"Analytics Suite", "Gateway Hub", "Onboarding Hours"}


def _generate(url: str, **options) -> DemoSummary:
    with session_scope(url) as session:
        return generate_demo_data(session, today=TODAY, **options)


def _fresh_sqlite(directory) -> str:
    url = f"sqlite:///{directory / 'quotebot.db'}"
    upgrade(url)
    return url


def _read(url: str, statement) -> pd.DataFrame:
    with get_engine(url).connect() as connection:
        return pd.read_sql(statement, connection)


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _years_covered(from_month: int) -> list[int]:
    """Years whose months from ``from_month`` to December all lie in the history."""
    start = TODAY.replace(year=TODAY.year - 3)
    return [
        year
        for year in range(start.year, TODAY.year)
        if dt.date(year, from_month, 1) >= start and dt.date(year, 12, 31) < TODAY
    ]


def _win_rate(quotes: pd.DataFrame) -> float:
    return float((quotes["status"] == "accepted").mean())


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory) -> str:
    """A SQLite store with the default-size demo data (seed 7)."""
    url = _fresh_sqlite(tmp_path_factory.mktemp("demo"))
    _generate(url)
    return url


@pytest.fixture(scope="module")
def truth(demo_url) -> dict[str, pd.DataFrame]:
    """Ground truth by kind: one row per entity, one column per value key."""
    with session_scope(demo_url) as session:
        rows = session.execute(
            select(GroundTruth.kind, GroundTruth.entity_id, GroundTruth.value)
        ).all()

    by_kind: dict[str, list[dict]] = {}
    for kind, entity_id, value in rows:
        by_kind.setdefault(kind, []).append({"entity_id": entity_id, **value})
    return {
        kind: pd.DataFrame(values).set_index("entity_id")
        for kind, values in by_kind.items()
    }


@pytest.fixture(scope="module")
def quotes(demo_url, truth) -> pd.DataFrame:
    """Every quote with its customer's planted segment and churn date."""
    customers = truth["customer"].set_axis(truth["customer"].index.astype(int))
    frame = _read(demo_url, select(Quote))
    frame["total"] = frame["total"].astype(float)
    frame["discount_pct"] = frame["discount_pct"].astype(float)
    frame["segment"] = frame["customer_id"].map(customers["segment"])
    churn = frame["customer_id"].map(customers["churn_date"])
    frame["churn_date"] = pd.to_datetime(churn)
    return frame


# --- both stores -------------------------------------------------------------


def test_demo_data_fills_every_table_on_both_stores(store_url):
    summary = _generate(store_url, n_customers=SMALL)

    with session_scope(store_url) as session:
        assert _count(session, SalesRep) == summary.reps == len(DEMO_REPS)
        assert _count(session, Customer) == summary.customers == SMALL
        assert _count(session, Product) == summary.products == 40
        assert _count(session, Quote) == summary.quotes > 20 * SMALL
        assert _count(session, QuoteItem) == summary.quote_items > summary.quotes
        assert _count(session, CustomerNote) == summary.notes > 0
        assert summary.anomalies >= 3
        kinds = set(session.scalars(select(GroundTruth.kind).distinct()))
        sources = set(session.scalars(select(Quote.source).distinct()))
    assert kinds == {"generator", "segment", "customer", "bundle", "anomaly", "note"}
    assert sources == {"demo"}


def test_demo_data_refuses_a_store_that_already_has_quotes(store_url):
    summary = _generate(store_url, n_customers=SMALL)

    with pytest.raises(StorageError, match=r"already has [\d,]+ quotes.*empty store"):
        _generate(store_url, n_customers=SMALL)

    with session_scope(store_url) as session:
        assert _count(session, Quote) == summary.quotes


def test_new_rows_after_demo_data_get_fresh_ids_and_quote_numbers(store_url):
    _generate(store_url, n_customers=SMALL)

    with session_scope(store_url) as session:
        newest = session.scalars(
            select(Quote).order_by(Quote.created_at.desc())
        ).first()
        year = newest.created_at.year
        last = session.get(QuoteNumberCounter, year).last_value
        number = next_quote_number(session, year)
        customer_id = session.scalar(
            insert(Customer).values(name="Fresh Prospect").returning(Customer.id)
        )
        largest = session.scalar(select(func.max(Customer.id)))

    assert newest.quote_number == f"Q-{year}-{last:04d}"
    assert number == f"Q-{year}-{last + 1:04d}"
    assert customer_id == largest


# --- determinism and arguments -----------------------------------------------


def test_demo_data_is_deterministic_for_a_seed(tmp_path):
    first, second, other = (tmp_path / "a", tmp_path / "b", tmp_path / "c")
    for directory in (first, second, other):
        directory.mkdir()
    urls = [_fresh_sqlite(d) for d in (first, second, other)]

    _generate(urls[0], n_customers=SMALL, seed=11)
    _generate(urls[1], n_customers=SMALL, seed=11)
    _generate(urls[2], n_customers=SMALL, seed=12)

    columns = select(
        Quote.quote_number, Quote.created_at, Quote.status, Quote.total
    ).order_by(Quote.id)
    same, again, different = (_read(url, columns) for url in urls)
    notes = [
        _read(url, select(CustomerNote.body).order_by(CustomerNote.id)) for url in urls
    ]
    pd.testing.assert_frame_equal(same, again)
    pd.testing.assert_frame_equal(notes[0], notes[1])
    assert not same.equals(different)


def test_demo_data_reports_each_phase_and_summarises_in_one_line(tmp_path):
    phases: list[str] = []

    with session_scope(_fresh_sqlite(tmp_path)) as session:
        summary = generate_demo_data(
            session, today=TODAY, n_customers=SMALL, progress=phases.append
        )

    assert phases[:3] == ["people", "products", "customers"]
    assert "quotes" in phases and "notes" in phases
    assert "\n" not in str(summary)
    assert f"{summary.quotes:,} quotes" in str(summary)


def test_demo_data_rejects_too_few_customers(tmp_path):
    with (
        session_scope(_fresh_sqlite(tmp_path)) as session,
        pytest.raises(ValueError, match="n_customers"),
    ):
        generate_demo_data(session, today=TODAY, n_customers=3)


# --- the default-size store ----------------------------------------------------


def test_demo_store_has_the_team_catalogue_and_named_accounts(demo_url):
    reps = _read(demo_url, select(SalesRep.email, SalesRep.role))
    names = set(_read(demo_url, select(Customer.name))["name"])
    products = set(_read(demo_url, select(Product.name))["name"])

    assert set(reps["email"]) == {rep.email for rep in DEMO_REPS}
    assert reps.set_index("email").loc[DEMO_MANAGER_EMAIL, "role"] == "manager"
    assert NAMED_CUSTOMERS.issubset(names)
    assert NAMED_PRODUCTS.issubset(products)
    assert len(names) == 300


def test_demo_store_sizes_are_in_the_expected_ranges(demo_url, quotes, truth):
    customers = truth["customer"]
    items = _read(demo_url, select(func.count()).select_from(QuoteItem)).iloc[0, 0]
    churned = customers["churned"].mean()
    with_churn_date = customers["churn_date"].notna().mean()

    assert 6_000 <= len(quotes) <= 15_000
    assert 2.0 <= items / len(quotes) <= 4.0
    assert 0.15 <= churned <= 0.30
    assert 0.18 <= with_churn_date <= 0.32
    assert customers["at_risk"].sum() >= 15
    assert customers["new"].sum() >= 10
    assert customers["growing"].sum() >= 10
    assert set(customers["segment"]) == {
        "enterprise",
        "mid_market",
        "smb",
        "occasional",
    }


def test_quote_totals_equal_the_sum_of_their_line_totals(demo_url):
    with session_scope(demo_url) as session:
        items = session.execute(
            select(
                QuoteItem.quote_id,
                QuoteItem.quantity,
                QuoteItem.unit_price,
                QuoteItem.discount_pct,
                QuoteItem.line_total,
            )
        ).all()
        stored = {
            row.id: row
            for row in session.execute(
                select(Quote.id, Quote.subtotal, Quote.discount_pct, Quote.total)
            )
        }

    lines: dict[int, list[Decimal]] = {}
    for quote_id, quantity, unit_price, discount, total in items:
        assert total == line_total(quantity, unit_price, discount)
        lines.setdefault(quote_id, []).append(total)
    for quote_id, quote in stored.items():
        expected = quote_totals(lines[quote_id], quote.discount_pct)
        assert (quote.subtotal, quote.total) == expected


def test_quote_numbers_increase_with_time_within_each_year(quotes):
    ordered = quotes.sort_values(["created_at", "id"])
    years = ordered["created_at"].dt.year
    sequence = ordered["quote_number"].str[-4:].astype(int)

    assert quotes["quote_number"].is_unique
    assert (ordered["quote_number"].str[2:6].astype(int) == years).all()
    assert (sequence.groupby(years).diff().dropna() == 1).all()


def test_decisions_follow_quotes_and_open_quotes_are_recent(quotes):
    decided = quotes[quotes["status"].isin(["accepted", "rejected"])]
    open_ = quotes[quotes["status"].isin(["sent", "draft"])]
    drafts = quotes[quotes["status"] == "draft"]
    today = pd.Timestamp(TODAY)

    assert (decided["decided_at"] > decided["created_at"]).all()
    assert quotes.loc[~quotes.index.isin(decided.index), "decided_at"].isna().all()
    assert (open_["created_at"] >= today - pd.Timedelta(days=31)).all()
    assert 0 < len(drafts) < 0.02 * len(quotes)
    assert (quotes["created_at"] < today).all()


def test_churned_customers_place_no_orders_after_their_churn_date(quotes):
    churners = quotes[quotes["churn_date"].notna()]
    accepted = churners[churners["status"] == "accepted"]

    assert (churners["created_at"] < churners["churn_date"]).all()
    assert (accepted["decided_at"] < accepted["churn_date"]).all()


def test_churning_customers_are_rejected_more_often_before_they_leave(quotes):
    decided = quotes[quotes["status"].isin(["accepted", "rejected", "expired"])]
    to_churn = (decided["churn_date"] - decided["created_at"]).dt.days
    before_churn = decided[to_churn.between(0, 90)]
    healthy = decided[decided["churn_date"].isna()]

    assert _win_rate(before_churn) < _win_rate(healthy) - 0.15


def test_notes_turn_negative_as_customers_head_to_churn(truth):
    notes = truth["note"]
    negative = notes["tone"].eq("negative").groupby(notes["state"]).mean()

    assert set(notes["tone"]) == {"positive", "neutral", "negative"}
    assert negative["pre_churn"] > 0.7
    assert negative["healthy"] < 0.25
    assert negative["growing"] < 0.15


def test_planted_anomalies_stand_out_from_the_customers_usual_quotes(
    demo_url, quotes, truth
):
    facts = truth["anomaly"].copy()
    facts["quote_id"] = facts.index.astype(int)
    by_kind = facts.groupby("kind")["quote_id"].apply(set)
    usual = quotes[~quotes["id"].isin(facts["quote_id"])]
    median = usual.groupby("customer_id")["total"].median()
    items = _read(
        demo_url,
        select(QuoteItem.quote_id, QuoteItem.unit_price, Product.list_price).join(
            Product
        ),
    )

    assert 0.01 <= len(facts) / len(quotes) <= 0.02
    assert set(by_kind.index) == {"oversized", "deep_discount", "below_list_price"}

    oversized = quotes[quotes["id"].isin(by_kind["oversized"])]
    ratio = oversized["total"] / oversized["customer_id"].map(median)
    assert (ratio >= 3).all()

    deep = quotes[quotes["id"].isin(by_kind["deep_discount"])]
    assert (deep["discount_pct"] >= 35).all()
    assert usual["discount_pct"].max() <= 30

    cheap = items["quote_id"].isin(by_kind["below_list_price"])
    price_ratio = items["unit_price"].astype(float) / items["list_price"].astype(float)
    assert (price_ratio[cheap] <= 0.5).all()
    assert (price_ratio[~cheap] == 1.0).all()


def test_discounts_win_more_deals_in_the_price_sensitive_segment(quotes):
    decided = quotes[quotes["status"].isin(["accepted", "rejected", "expired"])]
    decided = decided[decided["discount_pct"] <= 30]

    def discount_effect(segment: str) -> float:
        own = decided[decided["segment"] == segment]
        won = own["status"] == "accepted"
        return (
            won[own["discount_pct"] >= 15].mean() - won[own["discount_pct"] <= 5].mean()
        )

    assert discount_effect("smb") > 0.3
    assert discount_effect("smb") > discount_effect("enterprise") + 0.2


def test_q4_revenue_beats_summer_revenue_every_year(quotes):
    accepted = quotes[quotes["status"] == "accepted"]
    month = accepted["created_at"].dt.month
    year = accepted["created_at"].dt.year

    q4 = accepted[month >= 10].groupby(year)["total"].sum()
    summer = accepted[month.between(6, 8)].groupby(year)["total"].sum()
    for full_year in _years_covered(from_month=6):
        assert q4[full_year] > 1.2 * summer[full_year]


def test_weekend_quotes_are_rare(quotes):
    weekend = quotes["created_at"].dt.day_of_week >= 5
    office_hours = quotes["created_at"].dt.hour.between(8, 17)

    assert weekend.mean() < 0.05
    assert office_hours.mean() > 0.9


def test_quote_volume_grows_year_on_year(quotes):
    per_year = quotes.groupby(quotes["created_at"].dt.year).size()
    earlier, later = _years_covered(from_month=1)[-2:]

    assert per_year[later] > per_year[earlier]


def test_bundled_products_are_bought_together(demo_url, truth):
    bundles = truth["bundle"]
    items = _read(demo_url, select(QuoteItem.quote_id, Product.name).join(Product))
    baskets = items.groupby("quote_id")["name"].apply(set)

    def quotes_with(*names: str) -> int:
        return int(baskets.map(set(names).issubset).sum())

    assert {"Gateway Hub", "Installation Service"} in [set(n) for n in bundles["names"]]
    for companions, anchor in zip(
        bundles["companions"], bundles["anchor"], strict=True
    ):
        for companion in companions:
            both = quotes_with(anchor["name"], companion["name"])
            lift = (
                both
                * len(baskets)
                / (quotes_with(anchor["name"]) * quotes_with(companion["name"]))
            )
            assert companion["lift"] > 3
            assert lift == pytest.approx(companion["lift"], abs=0.01)


def test_ground_truth_covers_every_customer_note_and_segment(demo_url, truth):
    notes = _read(demo_url, select(func.count()).select_from(CustomerNote)).iloc[0, 0]
    beta = truth["segment"]["acceptance"].map(lambda curve: curve["beta"])
    params = truth["generator"].loc["params"]

    assert len(truth["customer"]) == 300
    assert len(truth["note"]) == notes
    assert beta["smb"] > beta["mid_market"] > beta["enterprise"]
    assert params["today"] == TODAY.isoformat()
    assert params["seed"] == 7
