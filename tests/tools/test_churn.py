import datetime as dt

import pytest

from storage.db import session_scope
from tests.factories import make_customer, make_orders, make_rep
from tools.churn import churn_explain, churn_risk_list
from tools.customers import UnknownCustomerError
from tools.errors import AccessError, NotEnoughDataError
from tools.people import requester_by_email

TODAY = dt.date(2026, 6, 30)


@pytest.fixture
def book(store_url):
    """Two reps and a manager; each rep has one slipping and one healthy account."""
    with session_scope(store_url) as session:
        alex = make_rep(session, "Alex Rivera")
        priya = make_rep(session, "Priya Nair")
        make_rep(session, "Dana Whitfield", role="manager")
        make_rep(session, "Other Manager", role="manager", team="other")
        for rep, prefix in ((alex, "Alex"), (priya, "Priya")):
            slipping = make_customer(session, f"{prefix} Slipping Ltd", rep)
            healthy = make_customer(session, f"{prefix} Healthy Inc", rep)
            make_orders(session, slipping, TODAY - dt.timedelta(days=60), 14, 8)
            make_orders(session, healthy, TODAY, 14, 8)
    return store_url


def ask_list(url, email, **arguments):
    with session_scope(url) as session:
        return churn_risk_list(session, requester_by_email(session, email), **arguments)


def test_a_rep_sees_only_their_own_accounts(book):
    result = ask_list(book, "alex.rivera@example.com")

    assert [row["customer"] for row in result.rows] == ["Alex Slipping Ltd"]
    assert (
        "no order in 60 days; usually orders every 14 days" in result.rows[0]["reason"]
    )


def test_a_rep_asking_for_the_team_still_sees_only_their_own(book):
    result = ask_list(book, "priya.nair@example.com", scope="team")

    assert [row["customer"] for row in result.rows] == ["Priya Slipping Ltd"]
    assert any("Only managers" in note for note in result.notes)


def test_a_manager_sees_the_whole_team_ranked(book):
    result = ask_list(book, "dana.whitfield@example.com")

    assert {row["customer"] for row in result.rows} == {
        "Alex Slipping Ltd",
        "Priya Slipping Ltd",
    }
    assert [row["rank"] for row in result.rows] == [1, 2]


def test_a_manager_of_another_team_sees_none_of_these_accounts(book):
    with pytest.raises(NotEnoughDataError, match="no quotes"):
        ask_list(book, "other.manager@example.com")


def test_top_n_caps_the_list_and_says_how_many_more(book):
    result = ask_list(book, "dana.whitfield@example.com", top_n=1)

    assert len(result.rows) == 1
    assert any("and 1 more" in note for note in result.notes)


def test_an_unknown_email_is_told_how_to_get_access(book):
    with (
        session_scope(book) as session,
        pytest.raises(AccessError, match="sales manager"),
    ):
        requester_by_email(session, "stranger@example.com")


def test_explain_suggests_close_names_for_a_typo(book):
    with session_scope(book) as session:
        alex = requester_by_email(session, "alex.rivera@example.com")
        with pytest.raises(
            UnknownCustomerError, match="Did you mean Alex Slipping Ltd"
        ):
            churn_explain(session, alex, "Alx Sliping")


def test_explain_refuses_another_reps_account(book):
    with session_scope(book) as session:
        alex = requester_by_email(session, "alex.rivera@example.com")
        with pytest.raises(AccessError, match="not one of your accounts"):
            churn_explain(session, alex, "Priya Slipping Ltd")


def test_explain_gives_the_accounts_own_numbers(book):
    with session_scope(book) as session:
        alex = requester_by_email(session, "alex.rivera@example.com")
        result = churn_explain(session, alex, "alex slipping ltd")

    assert result.summary.startswith("Alex Slipping Ltd has high")
    assert "no order in 60 days" in result.summary
