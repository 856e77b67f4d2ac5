import datetime as dt

from sqlalchemy import func, select

from storage.conversations import (
    STATE_TTL,
    ConversationKey,
    clear_conversation,
    delete_expired_states,
    load_conversation,
    save_conversation,
)
from storage.models import ConversationState

NOW = dt.datetime(2026, 6, 30, 9, 0)
KEY = ConversationKey("C01", "U01", "1719738000.000100")


def test_a_saved_state_reads_back_with_its_slots(session_factory):
    with session_factory() as session:
        save_conversation(session, KEY, "draft_quote", {"customer": "Acme"}, now=NOW)

    with session_factory() as session:
        state = load_conversation(session, KEY, now=NOW + dt.timedelta(minutes=5))

    assert state.intent == "draft_quote"
    assert state.slots == {"customer": "Acme"}


def test_saving_again_replaces_the_state_instead_of_adding_one(session_factory):
    with session_factory() as session:
        save_conversation(session, KEY, "draft_quote", {"customer": "Acme"}, now=NOW)
        save_conversation(session, KEY, None, {"last": {"intent": "x"}}, now=NOW)
        count = session.scalar(select(func.count(ConversationState.id)))
        state = load_conversation(session, KEY, now=NOW)

    assert count == 1
    assert state.intent is None
    assert state.slots == {"last": {"intent": "x"}}


def test_states_are_kept_apart_by_thread_and_by_user(session_factory):
    other_thread = ConversationKey("C01", "U01", "")
    other_user = ConversationKey("C01", "U02", KEY.thread_ts)
    with session_factory() as session:
        save_conversation(session, KEY, "draft_quote", {}, now=NOW)

        assert load_conversation(session, other_thread, now=NOW) is None
        assert load_conversation(session, other_user, now=NOW) is None


def test_an_expired_state_is_ignored_and_deleted(session_factory):
    with session_factory() as session:
        save_conversation(session, KEY, "draft_quote", {}, now=NOW)

    with session_factory() as session:
        state = load_conversation(session, KEY, now=NOW + STATE_TTL)
        left = session.scalar(select(func.count(ConversationState.id)))

    assert state is None
    assert left == 0


def test_expired_states_are_deleted_in_bulk_and_live_ones_kept(session_factory):
    with session_factory() as session:
        save_conversation(session, KEY, "draft_quote", {}, now=NOW - STATE_TTL)
        save_conversation(session, ConversationKey("C02", "U01"), None, {}, now=NOW)

        deleted = delete_expired_states(session, now=NOW)

        assert deleted == 1
        assert load_conversation(session, ConversationKey("C02", "U01"), now=NOW)


def test_clearing_forgets_the_conversation(session_factory):
    with session_factory() as session:
        save_conversation(session, KEY, "draft_quote", {"customer": "Acme"}, now=NOW)
        clear_conversation(session, KEY)

        assert load_conversation(session, KEY, now=NOW) is None
