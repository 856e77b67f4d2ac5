import datetime as dt
import json

import pytest
from sqlalchemy import select

from storage.db import session_scope
from storage.models import CustomerNote, GroundTruth
from tests.demo_stores import planted
from tests.factories import make_customer, make_quote, make_rep
from tests.tools.conftest import MANAGER, REP, another_reps_customer
from tools.customers import UnknownCustomerError
from tools.errors import AccessError, NotEnoughDataError
from tools.people import requester_by_email
from tools.sentiment import customer_sentiment


def sentiment_for(url, email, customer):
    with session_scope(url) as session:
        return customer_sentiment(session, requester_by_email(session, email), customer)


def accounts_where(url, key: str, count: int) -> list[str]:
    """Names of demo accounts whose ground truth has ``key`` true, with notes."""
    with session_scope(url) as session:
        facts = planted(session, "customer")
        noted = set(session.scalars(select(CustomerNote.customer_id)))
    names = []
    for entity_id, value in facts.items():
        value = json.loads(value) if isinstance(value, str) else value
        if value[key] and entity_id in noted:
            names.append(value["name"])
    return names[:count]


@pytest.mark.slow
def test_accounts_that_churned_read_colder_than_growing_ones(trained_demo):
    def mean_tone(names):
        tones = [
            sentiment_for(trained_demo, MANAGER, name).data["overall_tone"]
            for name in names
        ]
        return sum(tones) / len(tones)

    churned = accounts_where(trained_demo, "churned", 6)
    growing = accounts_where(trained_demo, "growing", 6)

    assert len(churned) == len(growing) == 6
    assert mean_tone(churned) < 0 < mean_tone(growing)


@pytest.mark.slow
def test_the_answer_quotes_the_latest_note_and_follows_the_quarters(trained_demo):
    result = sentiment_for(trained_demo, MANAGER, "Initech")

    assert result.summary.startswith("Initech: ")
    assert "on a scale from -1 to +1" in result.summary
    assert any(note.startswith("Latest note (") for note in result.notes)
    assert [row["period"] for row in result.rows] == sorted(
        row["period"] for row in result.rows
    )
    assert sum(row["notes"] for row in result.rows) == result.data["notes"]
    assert result.data["model"].startswith("sentiment.notes v")
    assert "%" not in result.summary


def test_a_rep_cannot_read_the_mood_of_another_rep_s_account(trained_demo):
    other = another_reps_customer(trained_demo)

    with pytest.raises(AccessError, match="not one of your accounts"):
        sentiment_for(trained_demo, REP, other)


def test_an_unknown_customer_gets_the_closest_names(trained_demo):
    with pytest.raises(UnknownCustomerError, match="Did you mean Initech"):
        sentiment_for(trained_demo, MANAGER, "Inittech Corp")


def test_an_account_without_notes_gets_a_clear_sentence(store_url):
    with session_scope(store_url) as session:
        alex = make_rep(session, "Alex Rivera")
        make_customer(session, "Quietco", alex)

    with pytest.raises(NotEnoughDataError, match="no notes about Quietco"):
        sentiment_for(store_url, "alex.rivera@example.com", "quietco")


@pytest.mark.slow
def test_notes_on_quotes_count_beside_account_notes(store_url):
    with session_scope(store_url) as session:
        alex = make_rep(session, "Alex Rivera")
        acme = make_customer(session, "Acme Corp", alex)
        quote = make_quote(session, acme, dt.date(2026, 5, 2), status="sent")
        quote.notes = "Buyer is furious about the delays and wants to cancel."
        session.add(
            CustomerNote(
                customer_id=acme.id,
                rep_id=alex.id,
                created_at=dt.datetime(2026, 1, 5, 9),
                body="Lovely call, they are delighted and want to expand.",
            )
        )

    result = sentiment_for(store_url, "alex.rivera@example.com", "Acme Corp")

    assert result.data["notes"] == 2
    assert result.data["direction"] == "cooler"
    assert any("furious" in note for note in result.notes)


@pytest.mark.slow
def test_the_evaluate_section_scores_every_model_on_the_demo_notes(trained_demo):
    from tools.sentiment import evaluate_sentiment_section

    with session_scope(trained_demo) as session:
        section = evaluate_sentiment_section(session)

    demo = section["demo_notes"]["models"]
    assert set(section["models"]) == set(demo) >= {"lexicon", "minilm_lexicon_logreg"}
    assert demo["minilm_lexicon_logreg"]["f1"] > demo["lexicon"]["f1"] + 0.05
    assert section["demo_notes"]["notes"] > 500


def test_demo_notes_come_back_with_their_recorded_tone(store_url):
    from storage.queries import demo_note_tones

    with session_scope(store_url) as session:
        alex = make_rep(session, "Alex Rivera")
        acme = make_customer(session, "Acme Corp", alex)
        note = CustomerNote(customer_id=acme.id, body="They walked away.")
        session.add(note)
        session.flush()
        session.add(
            GroundTruth(kind="note", entity_id=str(note.id), value={"tone": "negative"})
        )

    with session_scope(store_url) as session:
        labelled = demo_note_tones(session)

    assert labelled.to_dict("records") == [
        {"text": "They walked away.", "tone": "negative"}
    ]
