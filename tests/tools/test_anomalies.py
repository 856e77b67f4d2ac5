import datetime as dt

import pytest
from sqlalchemy import func, select

from bot.render.charts import render_chart
from storage.db import session_scope
from storage.models import Customer, GroundTruth, Prediction, Quote, SalesRep
from tests.factories import make_customer, make_quote, make_rep
from tests.tools.conftest import MANAGER, REP
from tools.anomalies import (
    ANOMALIES_MODEL,
    check_quote,
    describe_share,
    evaluate_quote_anomalies,
    quote_anomalies,
)
from tools.errors import NotEnoughDataError
from tools.people import requester_by_email
from tools.periods import Period


def anomalies_for(url, email, **arguments):
    with session_scope(url) as session:
        return quote_anomalies(session, requester_by_email(session, email), **arguments)


def planted(url) -> dict[int, dict]:
    with session_scope(url) as session:
        rows = session.execute(
            select(GroundTruth.entity_id, GroundTruth.value).where(
                GroundTruth.kind == "anomaly"
            )
        )
        return {int(quote_id): value for quote_id, value in rows}


def test_the_most_unusual_quotes_are_mostly_the_planted_ones(trained_demo):
    result = anomalies_for(trained_demo, MANAGER, top_n=10)

    found = [
        row["quote_id"]
        for row in result.rows
        if row["quote_id"] in planted(trained_demo)
    ]
    assert len(result.rows) == 10
    assert len(found) >= 7
    assert result.rows[0]["quote_number"] in result.summary


def test_each_quote_is_ranked_and_explained_in_words_not_probabilities(trained_demo):
    result = anomalies_for(trained_demo, MANAGER, top_n=5)

    for rank, row in enumerate(result.rows, 1):
        assert row["rank"] == rank
        assert row["unusual"].startswith("more unusual than ")
        assert "chance" not in row["unusual"] and "probab" not in result.summary
        assert any(
            word in row["reason"] for word in ("usual quote", "below list", "discount")
        )
    shares = [row["unusual_than"] for row in result.rows]
    assert shares == sorted(shares, reverse=True)


def test_a_rep_sees_only_quotes_of_their_own_accounts(trained_demo):
    result = anomalies_for(trained_demo, REP, top_n=50)

    with session_scope(trained_demo) as session:
        theirs = set(
            session.scalars(
                select(Customer.name)
                .join(SalesRep, Customer.owner_rep_id == SalesRep.id)
                .where(SalesRep.email == REP)
            )
        )
    assert result.rows
    assert {row["customer"] for row in result.rows} <= theirs
    assert result.data["scope"] == "your accounts"


def test_a_period_keeps_only_the_quotes_created_within_it(trained_demo):
    period = Period(dt.date(2026, 4, 1), dt.date(2026, 7, 1), "last quarter")

    result = anomalies_for(trained_demo, MANAGER, period=period, top_n=50)

    with session_scope(trained_demo) as session:
        ids = [row["quote_id"] for row in result.rows]
        days = session.scalars(select(Quote.created_at).where(Quote.id.in_(ids)))
        assert all(period.contains(day) for day in days)
    assert "last quarter" in result.summary
    assert result.data["quotes"] < 1000


def test_a_period_without_quotes_is_answered_with_how_to_widen_it(trained_demo):
    period = Period(dt.date(2019, 1, 1), dt.date(2019, 2, 1), "in January 2019")

    with pytest.raises(NotEnoughDataError, match="in January 2019; widen the period"):
        anomalies_for(trained_demo, MANAGER, period=period)


def test_the_chart_counts_the_quotes_that_stand_out_by_main_reason(trained_demo):
    result = anomalies_for(trained_demo, MANAGER, top_n=5)

    data = result.chart.data
    assert result.chart.kind == "bars"
    assert sum(data["values"]) == result.data["standing_out"]
    assert "priced below list" in data["labels"]
    assert "discount above usual" in data["labels"]
    assert render_chart(result.chart).startswith(b"\x89PNG")


def test_training_scores_every_quote_and_keeps_the_reasons(trained_demo):
    with session_scope(trained_demo) as session:
        scored = session.scalar(
            select(func.count(Prediction.id)).where(
                Prediction.model_name == ANOMALIES_MODEL,
                Prediction.entity_type == "quote",
            )
        )
        quotes = session.scalar(select(func.count(Quote.id)))
    assert scored == quotes


def test_a_planted_quote_checked_alone_stands_out_with_its_reasons(trained_demo):
    deep = next(
        quote_id
        for quote_id, value in planted(trained_demo).items()
        if value["kind"] == "below_list_price" and value["factor"] < 0.4
    )

    with session_scope(trained_demo) as session:
        check = check_quote(session, deep)

    assert check.stands_out
    assert "below list" in check.sentence
    assert check.sentence.startswith("This quote is unusual (more unusual than 99")


@pytest.mark.slow
def test_the_evaluation_beats_the_baseline_on_the_planted_quotes(trained_demo):
    with session_scope(trained_demo) as session:
        report = evaluate_quote_anomalies(session)

    models = report["models"]
    assert report["k"] > 10
    assert models["combined"]["precision_at_k"] > models["robust_z"]["precision_at_k"]
    assert report["precision_at_k"] == models["combined"]["precision_at_k"]


def test_before_training_the_answer_says_to_run_train(sqlite_url):
    with session_scope(sqlite_url) as session:
        alex = make_rep(session, "Alex Rivera")
        make_quote(
            session, make_customer(session, "Acme Corp", alex), dt.date(2026, 1, 5)
        )

    with pytest.raises(NotEnoughDataError, match="run `quotebot train`.*at least 50"):
        anomalies_for(sqlite_url, REP)


@pytest.mark.parametrize(
    ("share", "said"),
    [(0.9999, "99.9%"), (0.9964, "99.6%"), (0.873, "87%"), (0.0, "0%")],
)
def test_shares_read_as_people_say_them_and_never_reach_100(share, said):
    assert describe_share(share) == said


@pytest.mark.parametrize("text", ["any unusual quotes?", "weird deals this quarter 🤔"])
def test_the_bot_routes_questions_about_odd_quotes_here(trained_demo, text):
    from bot.answer import answer

    with session_scope(trained_demo) as session:
        result = answer(session, requester_by_email(session, MANAGER), text)

    assert result.intent == "quote_anomalies"
    assert result.rows and result.rows[0]["rank"] == 1
