import sqlite3

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bot.slack.retries import EventLedger

UNREACHABLE = "sqlite:////nonexistent-folder/quotebot.db"


def test_an_event_is_taken_on_once_and_every_repeat_is_refused(store_url):
    ledger = EventLedger(store_url)

    firsts = [ledger.first_delivery("Ev1") for _ in range(3)]

    assert firsts == [True, False, False]


def test_another_server_process_does_not_take_on_the_same_event(store_url):
    EventLedger(store_url).first_delivery("Ev1")

    assert EventLedger(store_url).first_delivery("Ev1") is False


def test_a_repeat_is_refused_from_memory_without_waiting_on_the_store(sqlite_url):
    ledger = EventLedger(sqlite_url)
    ledger.first_delivery("Ev1")
    ledger.database_url = UNREACHABLE

    assert ledger.first_delivery("Ev1") is False


def test_an_event_the_store_could_not_record_can_be_taken_on_by_a_retry(sqlite_url):
    ledger = EventLedger(UNREACHABLE)
    with pytest.raises(OperationalError):
        ledger.first_delivery("Ev1")

    ledger.database_url = sqlite_url

    assert ledger.first_delivery("Ev1") is True


def test_memory_is_bounded_and_the_store_still_remembers_what_it_forgot(sqlite_url):
    ledger = EventLedger(sqlite_url, remembered=2)
    for event_id in ("Ev1", "Ev2", "Ev3"):
        ledger.first_delivery(event_id)

    assert list(ledger._seen) == ["Ev2", "Ev3"]
    assert ledger.first_delivery("Ev1") is False


def test_an_event_is_taken_on_while_another_writer_holds_the_store(sqlite_url):
    path = make_url(sqlite_url).database
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    ledger = EventLedger(sqlite_url, store_wait=0.1)
    try:
        taken = ledger.first_delivery("Ev1")
        repeat = ledger.first_delivery("Ev1")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    ledger.close()

    assert (taken, repeat) == (True, False)
    assert EventLedger(sqlite_url).first_delivery("Ev1") is False
