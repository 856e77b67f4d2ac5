import pytest

from storage.db import session_scope
from tests.tools.conftest import MANAGER, REP, another_reps_customer
from tools.errors import AccessError, NotEnoughDataError
from tools.people import requester_by_email
from tools.segments import customer_segments


def segments_for(url, email, **arguments):
    with session_scope(url) as session:
        return customer_segments(
            session, requester_by_email(session, email), **arguments
        )


def test_the_overview_names_each_segment_with_its_share(trained_demo):
    result = segments_for(trained_demo, MANAGER)

    names = [row["segment"] for row in result.rows]
    assert len(names) == result.data["k"] >= 2
    assert len(set(names)) == len(names)
    assert "High-value loyal" in names
    assert result.chart is not None and result.chart.kind == "scatter"


def test_a_rep_counts_only_their_own_accounts(trained_demo):
    rep = segments_for(trained_demo, REP)
    team = segments_for(trained_demo, MANAGER)

    def counted(result):
        return sum(row["customers"] for row in result.rows)

    assert 0 < counted(rep) < counted(team)
    assert len(rep.chart.data["x"]) == counted(rep)


def test_one_customer_is_placed_with_what_sets_them_apart(trained_demo):
    result = segments_for(trained_demo, MANAGER, customer="initech")

    assert result.summary.startswith("Initech: In ")
    assert result.data["segment"] in result.summary


def test_a_rep_cannot_look_up_another_rep_s_account(trained_demo):
    other = another_reps_customer(trained_demo)

    with pytest.raises(AccessError, match="not one of your accounts"):
        segments_for(trained_demo, REP, customer=other)


def test_without_training_the_answer_says_how_to_get_segments(session_factory):
    with session_factory() as session:
        from tests.factories import make_rep

        make_rep(session, "Alex Rivera")

    with session_factory() as session:
        requester = requester_by_email(session, "alex.rivera@example.com")
        with pytest.raises(NotEnoughDataError, match="quotebot train"):
            customer_segments(session, requester)
