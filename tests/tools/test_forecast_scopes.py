import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from storage.db import session_scope
from storage.queries import quote_history, quote_lines
from storage.registry import list_models
from tests.factories import add_line, make_customer, make_product, make_quote, make_rep
from tests.tools.conftest import FAST_MODELS, LAST_DAY, forecast_for
from tools.errors import ToolError
from tools.forecast_scopes import BUSINESS, category_scope, region_scope, scope_series
from tools.training import train_forecasts

DAYS = 200


@pytest.fixture
def sliced_book(store_url):
    """EMEA buys hardware every weekday, APAC about 400 of training each Monday."""
    rng = np.random.default_rng(3)
    with session_scope(store_url) as session:
        alex = make_rep(session, "Alex Rivera")
        make_rep(session, "Dana Whitfield", role="manager")
        emea = make_customer(session, "Acme Corp", alex, region="EMEA")
        apac = make_customer(session, "Initech", alex, region="APAC")
        hardware = make_product(session, "Gateway Hub", "Hardware")
        training = make_product(session, "Onboarding Hours", "Training")
        for offset in range(DAYS):
            day = LAST_DAY - dt.timedelta(days=offset)
            if day.weekday() < 5:
                amount = f"{1000 + rng.normal(0, 50):.2f}"
                add_line(session, make_quote(session, emea, day, total=amount),
                         hardware, amount)  # fmt: skip
            if day.weekday() == 0:
                amount = f"{400 + rng.normal(0, 20):.2f}"
                add_line(session, make_quote(session, apac, day, total=amount),
                         training, amount)  # fmt: skip
    return store_url


def test_quote_lines_net_of_the_quote_discount_add_up_to_the_quote_total(store_url):
    with session_scope(store_url) as session:
        customer = make_customer(session, "Acme Corp", make_rep(session, "Alex Rivera"))
        quote = make_quote(session, customer, LAST_DAY, total="900.00")
        quote.discount_pct = Decimal("10")
        add_line(session, quote, make_product(session, "Hub", "Hardware"), "600.00")
        add_line(session, quote, make_product(session, "Hours", "Training"), "400.00")
        lines = quote_lines(session)

    assert lines["total"].sum() == pytest.approx(900.0)
    assert set(lines["category"]) == {"Hardware", "Training"}


def test_slices_of_the_revenue_cover_the_same_days_and_add_up(sliced_book):
    with session_scope(sliced_book) as session:
        book, lines = quote_history(session), quote_lines(session)

    business = scope_series(book, BUSINESS)
    emea = scope_series(book, region_scope("EMEA"))
    apac = scope_series(book, region_scope("APAC"))
    training = scope_series(book, category_scope("Training"), lines)

    assert emea.index.equals(business.index) and apac.index.equals(business.index)
    assert (emea + apac).sum() == pytest.approx(business.sum())
    assert training.sum() == pytest.approx(apac.sum())
    assert (training[training.index.day_of_week != 0] == 0).all()


def test_training_registers_models_for_each_region_and_category(sliced_book):
    with session_scope(sliced_book) as session:
        train_forecasts(session, models=FAST_MODELS)
        names = {record.name for record in list_models(session)}

    for prefix in ("region.emea", "region.apac", "category.hardware"):
        assert f"revenue_forecast.{prefix}.linear" in names
    assert "revenue_forecast.category.training.seasonal_naive" in names


def test_a_manager_gets_a_region_forecast_from_its_own_models(sliced_book):
    with session_scope(sliced_book) as session:
        train_forecasts(session, models=FAST_MODELS)

    apac = forecast_for(sliced_book, "dana.whitfield@example.com", region="apac")
    business = forecast_for(sliced_book, "dana.whitfield@example.com")

    assert "the APAC region" in apac.summary
    assert apac.data["model_version"] is not None
    assert 0 < apac.data["total"] < business.data["total"] / 3


def test_a_category_forecast_follows_that_category_s_rhythm(sliced_book):
    with session_scope(sliced_book) as session:
        train_forecasts(session, models=("seasonal_naive",))

    result = forecast_for(
        sliced_book, "dana.whitfield@example.com", category="Training", horizon_days=28
    )

    assert "Training sales" in result.summary
    assert result.data["total"] == pytest.approx(4 * 400.0, rel=0.05)


def test_a_rep_asking_for_a_region_is_told_it_covers_their_book(sliced_book):
    result = forecast_for(sliced_book, "alex.rivera@example.com", region="EMEA")

    assert "Alex Rivera's book" in result.summary
    assert any("only managers see them" in note for note in result.notes)


def test_an_unknown_region_is_refused_with_the_known_ones(sliced_book):
    with pytest.raises(ToolError, match="Known regions: APAC, EMEA"):
        forecast_for(sliced_book, "dana.whitfield@example.com", region="Mars")
