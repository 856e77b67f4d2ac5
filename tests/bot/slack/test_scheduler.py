import datetime as dt
import logging
import threading

import pytest
from sqlalchemy import select, text

from bot.slack.scheduler import (
    SnapshotScheduler,
    claim_due_runs,
    resolve_channel,
    run_due_reports,
)
from storage.db import get_engine, session_scope
from storage.models import ReportSubscription
from tests.bot.slack.fakes import RecordingClient
from tests.factories import make_book, make_rep

TODAY = dt.date(2026, 6, 30)
MONDAY_8AM = dt.datetime(2026, 6, 29, 8, 0)


@pytest.fixture
def book(sqlite_url):
    """Alex and Priya, each with one slipping and one healthy account."""
    with session_scope(sqlite_url) as session:
        make_book(session, TODAY)
    return sqlite_url


def subscribe(url, rep_name="Alex Rivera", report="churn_risk_list", **fields):
    values = {
        "channel_id": "#sales",
        "frequency": "weekly:monday",
        "next_run_at": MONDAY_8AM,
    }
    values.update(fields)
    with session_scope(url) as session:
        rep_id = session.scalar(
            text("SELECT id FROM sales_reps WHERE name = :name"), {"name": rep_name}
        )
        row = ReportSubscription(creator_rep_id=rep_id, report=report, **values)
        session.add(row)
        session.flush()
        return row.id


def give_alex_a_slack_id(url) -> None:
    with session_scope(url) as session:
        session.execute(
            text("UPDATE sales_reps SET slack_user_id = 'U0ALEX' WHERE name = :name"),
            {"name": "Alex Rivera"},
        )


def subscription(url, subscription_id) -> ReportSubscription:
    with session_scope(url) as session:
        return session.get(ReportSubscription, subscription_id)


def test_a_due_report_is_posted_into_the_named_channel_as_its_creator(book):
    subscribe(book)
    client = RecordingClient({"sales": "C0SALES"})

    posted = run_due_reports(book, lambda team: client, now=MONDAY_8AM)

    assert posted == 1
    assert [post["channel"] for post in client.posts] == ["C0SALES"]
    assert "Alex Slipping Ltd" in client.posted_text()
    assert "Priya Slipping Ltd" not in client.posted_text()
    assert "Scheduled by Alex Rivera, every Monday" in client.posted_text()


def test_after_posting_the_report_is_next_due_the_following_week(book):
    subscription_id = subscribe(book)

    run_due_reports(book, lambda team: RecordingClient({"sales": "C1"}), MONDAY_8AM)

    assert subscription(book, subscription_id).next_run_at == dt.datetime(
        2026, 7, 6, 8, 0
    )


def test_a_run_missed_for_days_is_posted_once_and_next_due_after_now(book):
    subscription_id = subscribe(book, frequency="daily")
    client = RecordingClient({"sales": "C1"})
    later = MONDAY_8AM + dt.timedelta(days=3, hours=2)

    first = run_due_reports(book, lambda team: client, now=later)
    again = run_due_reports(book, lambda team: client, now=later)

    assert (first, again) == (1, 0)
    assert subscription(book, subscription_id).next_run_at == dt.datetime(
        2026, 7, 3, 8, 0
    )


def test_a_report_not_yet_due_or_stopped_is_not_posted(book):
    subscribe(book, next_run_at=MONDAY_8AM + dt.timedelta(minutes=1))
    subscribe(book, active=False)
    client = RecordingClient({"sales": "C1"})

    assert run_due_reports(book, lambda team: client, now=MONDAY_8AM) == 0
    assert client.posts == []


def test_a_failing_report_is_logged_and_the_others_still_go_out(book, caplog):
    subscribe(book, channel_id="C0BROKEN")
    subscribe(book, rep_name="Priya Nair", channel_id="C0SALES")
    client = RecordingClient(failing={"C0BROKEN"})

    with caplog.at_level(logging.ERROR):
        posted = run_due_reports(book, lambda team: client, now=MONDAY_8AM)

    assert posted == 1
    assert [post["channel"] for post in client.posts] == ["C0SALES"]
    assert "Priya Slipping Ltd" in client.posted_text()
    assert "scheduled report 1 (churn_risk_list to C0BROKEN) failed" in caplog.text


def test_a_failed_run_is_tried_again_later_and_its_count_cleared_once_posted(book):
    subscription_id = subscribe(book, channel_id="C0SALES")
    client = RecordingClient(failing={"C0SALES"})

    run_due_reports(book, lambda team: client, now=MONDAY_8AM)
    first_retry = subscription(book, subscription_id).next_run_at
    run_due_reports(book, lambda team: client, now=first_retry)
    second_retry = subscription(book, subscription_id)
    client.failing.clear()
    posted = run_due_reports(book, lambda team: client, second_retry.next_run_at)

    assert first_retry == MONDAY_8AM + dt.timedelta(minutes=5)
    assert second_retry.next_run_at == first_retry + dt.timedelta(minutes=10)
    assert second_retry.failed_attempts == 2
    assert posted == 1 and "Alex Slipping Ltd" in client.posted_text()
    after = subscription(book, subscription_id)
    assert (after.next_run_at, after.failed_attempts) == (
        dt.datetime(2026, 7, 6, 8, 0),
        0,
    )


def test_when_the_last_try_fails_the_creator_is_told_and_the_next_run_stands(book):
    give_alex_a_slack_id(book)
    subscription_id = subscribe(book, channel_id="C0SALES")
    client = RecordingClient(failing={"C0SALES"})

    tries = []
    due = MONDAY_8AM
    while due < dt.datetime(2026, 7, 6):
        tries.append(due)
        run_due_reports(book, lambda team: client, now=due)
        due = subscription(book, subscription_id).next_run_at

    assert [round((t - MONDAY_8AM).total_seconds() / 60) for t in tries] == [
        0, 5, 15, 35, 75, 155,
    ]  # fmt: skip
    assert due == dt.datetime(2026, 7, 6, 8, 0)
    assert subscription(book, subscription_id).failed_attempts == 0
    [told] = client.posts
    assert told["channel"] == "DU0ALEX"
    assert told["text"].startswith(
        "Your churn risk list could not be posted to <#C0SALES> today."
    )
    assert "The next one is due Monday 06 July at 08:00 UTC." in told["text"]


def test_a_channel_name_the_workspace_lacks_is_told_to_its_creator_at_once(book):
    give_alex_a_slack_id(book)
    subscription_id = subscribe(book, channel_id="#nowhere")
    client = RecordingClient({"sales": "C0SALES"})

    run_due_reports(book, lambda team: client, now=MONDAY_8AM)

    assert subscription(book, subscription_id).next_run_at == dt.datetime(
        2026, 7, 6, 8, 0
    )
    [told] = client.posts
    assert told["text"].startswith(
        "Your churn risk list could not be posted to #nowhere today. "
        "No channel is named #nowhere; check the name"
    )


def test_a_run_stopped_while_it_was_failing_is_left_stopped(book):
    subscription_id = subscribe(book, channel_id="C0SALES")
    client = RecordingClient(failing={"C0SALES"})
    original = client.chat_postMessage

    def stop_then_fail(**kwargs):
        with session_scope(book) as session:
            session.get(ReportSubscription, subscription_id).active = False
        return original(**kwargs)

    client.chat_postMessage = stop_then_fail
    run_due_reports(book, lambda team: client, now=MONDAY_8AM)

    after = subscription(book, subscription_id)
    assert after.active is False and after.failed_attempts == 0
    assert after.next_run_at == dt.datetime(2026, 7, 6, 8, 0)


def test_a_report_whose_creator_has_left_is_stopped(book, caplog):
    subscription_id = subscribe(book, rep_name="Priya Nair")
    with get_engine(book).connect() as connection:
        connection.execute(text("PRAGMA foreign_keys=OFF"))
        connection.execute(text("DELETE FROM sales_reps WHERE name = 'Priya Nair'"))
        connection.commit()
        connection.execute(text("PRAGMA foreign_keys=ON"))
    client = RecordingClient({"sales": "C1"})

    with caplog.at_level(logging.WARNING):
        posted = run_due_reports(book, lambda team: client, now=MONDAY_8AM)

    assert posted == 0 and client.posts == []
    assert subscription(book, subscription_id).active is False
    assert "its creator has left" in caplog.text


def test_a_subscription_with_an_unreadable_schedule_is_stopped(book):
    subscription_id = subscribe(book, frequency="fortnightly")

    run_due_reports(book, lambda team: RecordingClient(), now=MONDAY_8AM)

    assert subscription(book, subscription_id).active is False


def test_each_report_is_posted_with_its_workspace_client(book):
    subscribe(book, team_id="T0ACME", channel_id="C0ACME")
    subscribe(book, team_id="T0GLOBEX", channel_id="C0GLOBEX")
    clients = {"T0ACME": RecordingClient(), "T0GLOBEX": RecordingClient()}

    run_due_reports(book, clients.__getitem__, now=MONDAY_8AM)

    assert [p["channel"] for p in clients["T0ACME"].posts] == ["C0ACME"]
    assert [p["channel"] for p in clients["T0GLOBEX"].posts] == ["C0GLOBEX"]


def test_a_channel_is_resolved_by_name_a_person_to_their_dm_an_id_as_is():
    client = RecordingClient({"general": "C0GEN", "sales-leadership": "C0LEAD"})

    assert resolve_channel(client, "#sales-leadership") == "C0LEAD"
    assert resolve_channel(client, "U0ALEX") == "DU0ALEX"
    assert resolve_channel(client, "C0SALES") == "C0SALES"


def test_an_unknown_channel_name_says_what_to_do():
    with pytest.raises(Exception, match="No channel is named #nowhere; check"):
        resolve_channel(RecordingClient({"sales": "C1"}), "#nowhere")


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_two_processes_polling_together_claim_each_run_once(request, store):
    url = request.getfixturevalue(f"{store}_url")
    with session_scope(url) as session:
        make_rep(session, "Alex Rivera")
    wanted = {subscribe(url, channel_id=f"C{i}") for i in range(20)}
    start = threading.Barrier(2)
    claims: list[list[int]] = [[], []]

    def poll(slot: int) -> None:
        start.wait()
        for _ in range(3):
            runs = claim_due_runs(url, MONDAY_8AM)
            claims[slot] += [run.subscription_id for run in runs]

    threads = [threading.Thread(target=poll, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(claims[0] + claims[1]) == sorted(wanted)


def test_the_scheduler_thread_posts_due_reports_until_stopped(book):
    subscribe(book)
    posted = threading.Event()
    client = RecordingClient({"sales": "C0SALES"})
    original = client.chat_postMessage

    def post_and_signal(**kwargs):
        response = original(**kwargs)
        posted.set()
        return response

    client.chat_postMessage = post_and_signal
    scheduler = SnapshotScheduler(book, lambda team: client, interval=0.05).start()
    try:
        assert posted.wait(timeout=60)
    finally:
        scheduler.stop()

    with session_scope(book) as session:
        due = session.scalars(
            select(ReportSubscription).where(
                ReportSubscription.next_run_at <= dt.datetime.now()
            )
        ).all()
    assert due == []
    assert len(client.posts) == 1
