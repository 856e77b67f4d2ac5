"""Acting once per Slack event, however often Slack delivers it.

Slack redelivers an event (with ``X-Slack-Retry-Num``) when the first
delivery was not answered in 3 seconds or failed, and may deliver it again
while the first is still being answered. The ledger answers "seen" for a
repeat at once from memory, so a retry never waits on the store, and records
each new event id in the store too, so a second server process does not act
on it either.

The ack must not wait on the store for long: SQLite lets one writer in at a
time, and a lazy function may hold the lock while a model runs. After
``STORE_WAIT_SECONDS`` the event is taken on by this process's memory alone
and the record is finished in the background; only another process taking
on the same event in that moment could then act on it a second time.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy.exc import IntegrityError

from storage.db import session_scope
from storage.models import ProcessedSlackEvent

logger = logging.getLogger(__name__)

REMEMBERED_EVENTS = 10_000
STORE_WAIT_SECONDS = 1.0


class EventLedger:
    """The Slack event ids this app has taken on."""

    def __init__(
        self,
        database_url: str,
        remembered: int = REMEMBERED_EVENTS,
        store_wait: float = STORE_WAIT_SECONDS,
    ) -> None:
        self.database_url = database_url
        self.remembered = remembered
        self.store_wait = store_wait
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()
        self._recorder = ThreadPoolExecutor(2, thread_name_prefix="event-ledger")

    def first_delivery(self, event_id: str) -> bool:
        """True exactly once per event id; False for every repeat."""
        if not self._remember(event_id):
            return False

        recorded = self._recorder.submit(self._record, event_id)
        try:
            return recorded.result(timeout=self.store_wait)
        except TimeoutError:  # the store is held by another writer
            logger.warning("the store is busy; taking on event %s anyway", event_id)
            recorded.add_done_callback(_log_failure)
            return True
        except Exception:
            self._forget(event_id)  # so Slack's next retry can try again
            raise

    def close(self) -> None:
        """Wait for records still being written, then stop."""
        self._recorder.shutdown(wait=True)

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
        """Write the id to the store; False when another process wrote it first."""
        try:
            with session_scope(self.database_url) as session:
                session.add(ProcessedSlackEvent(event_id=event_id))
        except IntegrityError:
            return False
        return True


def _log_failure(recorded: Future) -> None:
    if recorded.exception() is not None:
        logger.error("recording a Slack event failed", exc_info=recorded.exception())
