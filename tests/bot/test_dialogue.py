import datetime as dt

import pytest
from sqlalchemy import select

from bot.dialogue import converse
from storage.conversations import STATE_TTL, ConversationKey
from storage.db import session_scope
from storage.models import Quote, ReportSubscription
from tests.factories import (
    add_line,
    make_customer,
    make_orders,
    make_product,
    make_quote,
    make_rep,
)
from tools.people import requester_by_email

TODAY = dt.date(2026, 6, 30)
ALEX = "alex.rivera@example.com"
THREAD = ConversationKey("C0SALES", "U0ALEX", "1719738000.000100")
NOW = dt.datetime(2026, 6, 30, 9, 0)


@pytest.fixture
def book(sqlite_url):
    """Alex's two accounts, one slipping, Priya's one, and two products."""
    with session_scope(sqlite_url) as session:
        alex = make_rep(session, "Alex Rivera")
        priya = make_rep(session, "Priya Nair")
        acme = make_customer(session, "Acme Corp", alex)
        make_orders(session, acme, TODAY, 7, 6)
        slipping = make_customer(session, "Globex Corporation", alex)
        make_orders(session, slipping, TODAY - dt.timedelta(days=45), 10, 6)
        theirs = make_customer(session, "Initech", priya)
        make_orders(session, theirs, TODAY - dt.timedelta(days=45), 10, 6)
        hub = make_product(session, "Gateway Hub", "Hardware")
        add_line(session, make_quote(session, acme, TODAY, total="500.00"), hub, "500")
        make_product(session, "Analytics Suite Plus", "Software")
        make_product(session, "Analytics Suite", "Software")
    return sqlite_url


class Chat:
    """A scripted conversation: each ``say`` is one message in the same thread."""

    def __init__(self, url: str, key: ConversationKey = THREAD) -> None:
        self.url, self.key, self.now = url, key, NOW

    def say(self, text: str):
        with session_scope(self.url) as session:
            requester = requester_by_email(session, ALEX)
            return converse(session, requester, text, self.key, now=self.now)

    def wait(self, delta: dt.timedelta) -> None:
        self.now += delta


def drafts(url) -> list[Quote]:
    with session_scope(url) as session:
        quotes = session.scalars(select(Quote).where(Quote.status == "draft"))
        return [(q.quote_number, [i.quantity for i in q.items]) for q in quotes]


def test_a_quote_is_drafted_after_asking_for_customer_lines_and_discount(book):
    chat = Chat(book)

    first = chat.say("draft a quote")
    second = chat.say("Acme Corp")
    third = chat.say("10 gateway hubs and 2 analytics suite")
    done = chat.say("5% off")

    assert first.intent == "ask" and first.data["asking"] == "customer"
    assert second.data["asking"] == "items"
    assert third.data["asking"] == "discount_pct"
    assert done.intent == "draft_quote"
    assert "for Acme Corp: 2 lines" in done.summary
    assert "5% discount" in done.summary
    assert [quantities for _, quantities in drafts(book)] == [[10, 2]]


def test_a_draft_named_in_one_message_only_asks_for_the_discount(book):
    chat = Chat(book)

    asked = chat.say("create a quote for Globex Corporation with 10 gateway hubs")
    done = chat.say("no discount")

    assert asked.data["asking"] == "discount_pct"
    assert done.intent == "draft_quote"
    assert "discount" not in done.summary


def test_cancel_drops_the_draft_and_nothing_is_written(book):
    chat = Chat(book)
    chat.say("draft a quote")
    chat.say("Acme Corp")

    cancelled = chat.say("never mind")
    after = chat.say("10 gateway hubs")

    assert cancelled.summary == "OK, I've dropped the quote draft."
    assert after.intent != "draft_quote"
    assert drafts(book) == []


def test_make_it_corrects_the_last_quantity_then_the_discount(book):
    chat = Chat(book)
    chat.say("draft a quote for Acme Corp")
    chat.say("10 gateway hubs and 2 analytics suite")

    corrected = chat.say("make it 12")
    done = chat.say("make it 15% off")

    assert corrected.summary.startswith("Now 12 × Analytics Suite.")
    assert corrected.data["asking"] == "discount_pct"
    assert "15% discount" in done.summary
    assert [quantities for _, quantities in drafts(book)] == [[10, 12]]


def test_an_unknown_product_is_asked_again_with_the_closest_names(book):
    chat = Chat(book)
    chat.say("draft a quote for Acme Corp")

    again = chat.say("3 gateway hubs and 2 analytics")
    then = chat.say("3 gateway hubs and 2 analytics suite plus")

    assert again.data["asking"] == "items"
    assert again.summary.startswith("No product matches 'analytics'. Did you mean")
    assert "Analytics Suite Plus or Analytics Suite?" in again.summary
    assert then.data["asking"] == "discount_pct"
    assert drafts(book) == []


def test_an_unknown_customer_is_asked_again_with_the_closest_names(book):
    chat = Chat(book)
    chat.say("draft a quote")

    again = chat.say("Glbx Corp")
    then = chat.say("Globex Corporation")

    assert again.data["asking"] == "customer"
    assert "Did you mean Globex Corporation" in again.summary
    assert then.data["asking"] == "items"


def test_a_question_missing_its_customer_asks_for_it_instead_of_failing(book):
    chat = Chat(book)

    asked = chat.say("why is it flagged?")
    answered = chat.say("Globex Corporation")

    assert asked.data == {
        "asking": "customer",
        "for": "churn_explain",
        "so_far": asked.data["so_far"],
    }
    assert answered.intent == "churn_explain"
    assert "Globex Corporation" in answered.summary


def test_why_after_a_churn_list_explains_the_first_account(book):
    chat = Chat(book)

    listed = chat.say("what's my churn risk list")
    why = chat.say("why?")

    assert listed.rows[0]["customer"] == "Globex Corporation"
    assert why.intent == "churn_explain"
    assert "Globex Corporation" in why.summary


def test_and_for_another_customer_repeats_the_last_question(book):
    chat = Chat(book)
    chat.say("why is Acme Corp at risk?")

    again = chat.say("and for Globex?")

    assert again.intent == "churn_explain"
    assert "Globex Corporation" in again.summary


def test_show_the_chart_sends_the_last_chart_again(book):
    chat = Chat(book)
    summary = chat.say("sales summary for June 2026")
    chat.say("cancel")

    chart = chat.say("show the chart")

    assert summary.chart is not None
    assert chart.chart == summary.chart


def test_top_n_after_a_list_asks_for_a_longer_list(book):
    chat = Chat(book)
    chat.say("what's my churn risk list")

    longer = chat.say("top 25")

    assert longer.intent == "churn_risk_list"


def test_an_expired_conversation_is_forgotten(book):
    chat = Chat(book)
    chat.say("draft a quote")

    chat.wait(STATE_TTL + dt.timedelta(minutes=1))
    late = chat.say("Acme Corp")

    assert late.intent != "ask" or late.data["for"] != "draft_quote"
    assert drafts(book) == []


def test_another_thread_does_not_continue_the_draft(book):
    Chat(book).say("draft a quote")

    elsewhere = Chat(book, ConversationKey("C0SALES", "U0ALEX", "")).say("why?")

    assert elsewhere.data.get("for") != "draft_quote"


def test_a_report_is_scheduled_for_this_channel(book):
    chat = Chat(book)

    asked = chat.say("schedule a forecast snapshot in this channel")
    done = chat.say("every monday")

    assert asked.data["asking"] == "frequency"
    assert done.intent == "subscribe_snapshot"
    assert "revenue forecast to C0SALES every Monday" in done.summary


def test_a_report_scheduled_in_a_workspace_records_that_workspace(book):
    key = ConversationKey("C0SALES", "U0ALEX", "1719738000.000100", "T0ACME")

    done = Chat(book, key).say("post the forecast to #sales-leadership every monday")

    with session_scope(book) as session:
        row = session.get(ReportSubscription, done.data["subscription_id"])
        assert row.team_id == "T0ACME"


def test_and_for_an_account_after_a_churn_list_explains_that_account(book):
    chat = Chat(book)
    chat.say("what's my churn risk list")

    again = chat.say("and for Acme?")

    assert again.intent == "churn_explain"
    assert again.summary.startswith("Acme Corp")


def test_a_correction_after_the_draft_is_saved_leaves_the_draft_as_it_was(book):
    chat = Chat(book)
    chat.say("draft a quote for Acme Corp with 3 gateway hubs")
    chat.say("no discount")

    late = chat.say("make it 7")

    assert "already saved as it was" in late.summary
    assert [quantities for _, quantities in drafts(book)] == [[3]]


def test_a_report_named_with_its_channel_and_day_is_scheduled_then_stopped(book):
    chat = Chat(book)

    done = chat.say("post the forecast to #sales-leadership every monday")
    stopped = chat.say("stop the weekly forecast")

    assert "revenue forecast to #sales-leadership every Monday" in done.summary
    assert stopped.summary == "Stopped 1 scheduled report: the revenue forecast."
