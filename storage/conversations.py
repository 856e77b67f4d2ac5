"""Conversation state: what one person is in the middle of asking, per thread.

A state is keyed by ``ConversationKey`` (channel, thread, user), so two people
in one thread, or one person in two threads, never share slots. Each state
expires ``STATE_TTL`` after its last update; an expired state reads as none
and is deleted when met, or in bulk by ``delete_expired_states``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import ConversationState, utcnow

STATE_TTL = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class ConversationKey:
    """Where a conversation happens: a channel (or DM), a thread, a person.

    ``thread_ts`` is empty for messages outside a thread.
    """

    channel_id: str
    user_id: str
    thread_ts: str = ""
    team_id: str | None = None
    """The Slack workspace, kept with what outlives the conversation (schedules)."""


@dataclass(frozen=True)
class Conversation:
    """A live state as plain values: the intent being filled and its slots."""

    intent: str | None
    slots: dict[str, Any]
    updated_at: dt.datetime


def load_conversation(
    session: Session, key: ConversationKey, now: dt.datetime | None = None
) -> Conversation | None:
    """The live state for ``key``, or None; an expired state is deleted."""
    row = _row(session, key)
    if row is None:
        return None
    if row.expires_at <= (now or utcnow()):
        session.delete(row)
        session.flush()
        return None
    return Conversation(row.intent, dict(row.slots or {}), row.updated_at)


def save_conversation(
    session: Session,
    key: ConversationKey,
    intent: str | None,
    slots: dict[str, Any],
    now: dt.datetime | None = None,
    ttl: dt.timedelta = STATE_TTL,
) -> None:
    """Store the state for ``key``, replacing any before; it lives ``ttl`` more."""
    now = now or utcnow()
    row = _row(session, key)
    if row is None:
        row = ConversationState(
            channel_id=key.channel_id, thread_ts=key.thread_ts, user_id=key.user_id
        )
        session.add(row)
    row.intent = intent
    row.slots = dict(slots)
    row.updated_at = now
    row.expires_at = now + ttl
    session.flush()


def clear_conversation(session: Session, key: ConversationKey) -> None:
    """Forget everything about the conversation at ``key``."""
    session.execute(delete(ConversationState).where(*_matches(key)))
    session.flush()


def delete_expired_states(session: Session, now: dt.datetime | None = None) -> int:
    """Delete every expired state; returns how many went."""
    result = session.execute(
        delete(ConversationState).where(
            ConversationState.expires_at <= (now or utcnow())
        )
    )
    session.flush()
    return result.rowcount


def _row(session: Session, key: ConversationKey) -> ConversationState | None:
    return session.scalar(select(ConversationState).where(*_matches(key)))


def _matches(key: ConversationKey):
    return (
        ConversationState.channel_id == key.channel_id,
        ConversationState.thread_ts == key.thread_ts,
        ConversationState.user_id == key.user_id,
    )
