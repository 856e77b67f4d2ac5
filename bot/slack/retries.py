"""Acting once per Slack event, however often Slack delivers it.

Slack redelivers an event (with ``X-Slack-Retry-Num``) when the first
delivery was not answered in 3 seconds or failed, and may deliver it again
while the first is still being answered. The ledger answers "seen" for a
repeat at once from memory, so a retry never waits on the store, and records
each new event id in the store too, so a second server process does not act
on it either.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from sqlalchemy.exc import IntegrityError

from storage.db import session_scope
from storage.models import ProcessedSlackEvent

REMEMBERED_EVENTS = 10_000


class EventLedger:
    """The Slack event ids this app has taken on."""

    def __init__(self, database_url: str, remembered: int = REMEMBERED_EVENTS) -> None:
        self.database_url = database_url
        self.remembered = remembered
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def first_delivery(self, event_id: str) -> bool:
        """True exactly once per event id; False for every repeat."""
        if not self._remember(event_id):
            return False
        try:
            return self._record(event_id)
        except Exception:
            self._forget(event_id)  # so Slack's next retry can try again
            raise

    def _remember(self, event_id: str) -> bool:
        with self._lock:
            if event_id in self._seen:
                return False
            self._seen[event_id] = None
            while len(self._seen) > self.remembered:
                self._seen.popitem(last=False)
            return True

    def _forget(self, event_id: str) -> None:
        with self._lock:
            self._seen.pop(event_id, None)

    def _record(self, event_id: str) -> bool:
        try:
            with session_scope(self.database_url) as session:
                session.add(ProcessedSlackEvent(event_id=event_id))
        except IntegrityError:
            return False
        return True
