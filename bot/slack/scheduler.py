"""Scheduled reports: post each subscription's report when it falls due.

A ``SnapshotScheduler`` thread runs inside ``quotebot serve`` and ``quotebot
socket`` (``SCHEDULER_ENABLED=false`` turns it off; ``quotebot snapshots
run-due`` runs one pass for cron instead). Each pass claims the due
subscriptions one by one with a conditional update of ``next_run_at``, so when
several server processes poll the same store, each run is posted once. A run
that fails to post is tried again after 5, 10, 20, 40 and 80 minutes, never
past the following run; when the last try fails too, or at once for a channel
name the workspace lacks, its creator is told in a direct message. The report
is produced as the subscription's creator (their own scope, as if they had
asked) and posted through ``bot.slack.delivery`` with the bot token of the
workspace it was scheduled in.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from slack_sdk import WebClient
from sqlalchemy import select, update

from bot.answer import audit, run_intent
from bot.render.limits import CONTEXT_ELEMENTS_MAX
from bot.settings import Settings
from bot.slack.delivery import post_result
from storage.db import session_scope
from storage.models import ReportSubscription, SalesRep, utcnow
from tools.errors import ToolError
from tools.people import Requester
from tools.results import ToolResult
from tools.subscriptions import describe_frequency, next_run, report_title

logger = logging.getLogger(__name__)

ClientForTeam = Callable[[str | None], WebClient]
"""The Web API client with the bot token of a workspace (None: the only one)."""

FIRST_RETRY_DELAY = dt.timedelta(minutes=5)
RETRIES = 5
"""Tries after the first that failed, each ``FIRST_RETRY_DELAY`` doubled once more."""
TRIED_IN_VAIN = "It failed each time it was tried; the details are in the server's log."


class ChannelNotFoundError(Exception):
    """A scheduled report names a channel the workspace does not have."""


@dataclass(frozen=True)
class ClaimedRun:
    """A subscription this process has claimed the current run of."""

    subscription_id: int
    creator_rep_id: int
    team_id: str | None
    channel: str
    report: str
    frequency: str
    following: dt.datetime
    """When the run after this one is due."""
    failed_attempts: int


def claim_due_runs(database_url: str, now: dt.datetime) -> list[ClaimedRun]:
    """Move every due subscription's ``next_run_at`` on; return those this call moved.

    The update only matches while ``next_run_at`` still holds the value read,
    so of two processes claiming the same run, exactly one gets it. A run
    missed while the server was down is posted once, not once per missed day.
    """
    with session_scope(database_url) as session:
        due = session.scalars(
            select(ReportSubscription).where(
                ReportSubscription.active.is_(True),
                ReportSubscription.next_run_at <= now,
            )
        ).all()
    return [run for row in due if (run := _claim(database_url, row, now))]


def run_due_reports(
    database_url: str, client_for_team: ClientForTeam, now: dt.datetime | None = None
) -> int:
    """Post every report due at ``now``; returns how many were posted.

    One report failing is logged, set to be tried again, and does not keep the
    others from going out.
    """
    now = now or utcnow()
    posted = 0
    for run in claim_due_runs(database_url, now):
        try:
            posted += _post(database_url, client_for_team, run)
        except Exception as error:
            retry_at = _retry_time(run, now, error)
            still_claimed = _reschedule_failed(database_url, run, retry_at)
            logger.exception(
                "scheduled report %s (%s to %s) failed; %s",
                run.subscription_id,
                run.report,
                run.channel,
                f"trying again at {retry_at:%Y-%m-%d %H:%M}"
                if retry_at
                else f"giving up until {run.following:%Y-%m-%d %H:%M}",
            )
            if retry_at is None and still_claimed:
                _tell_creator(database_url, client_for_team, run, error)
    return posted


class SnapshotScheduler:
    """A daemon thread that runs ``run_due_reports`` every ``interval`` seconds."""

    def __init__(
        self, database_url: str, client_for_team: ClientForTeam, interval: float
    ) -> None:
        self.database_url = database_url
        self.client_for_team = client_for_team
        self.interval = interval
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._loop, name="snapshot-scheduler", daemon=True
        )

    def start(self) -> SnapshotScheduler:
        self._thread.start()
        logger.info("scheduled reports are checked every %s seconds", self.interval)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stopped.set()
        self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stopped.is_set():
            try:
                run_due_reports(self.database_url, self.client_for_team)
            except Exception:
                logger.exception("checking for due scheduled reports failed")
            self._stopped.wait(self.interval)


def start_scheduler(settings: Settings) -> SnapshotScheduler | None:
    """Start the scheduler thread when Slack is configured and it is not turned off."""
    if not (settings.slack_enabled and settings.scheduler_enabled):
        return None
    from bot.slack.oauth import bot_client

    return SnapshotScheduler(
        settings.database_url,
        lambda team_id: bot_client(settings, team_id),
        settings.scheduler_interval_seconds,
    ).start()


def _claim(
    database_url: str, row: ReportSubscription, now: dt.datetime
) -> ClaimedRun | None:
    try:
        following = next_run(row.frequency, max(now, row.next_run_at))
    except ToolError as error:
        _deactivate(database_url, row.id, f"its schedule cannot be read: {error}")
        return None

    if not _update_if_due_at(
        database_url, row.id, row.next_run_at, next_run_at=following
    ):
        return None
    return ClaimedRun(
        subscription_id=row.id,
        creator_rep_id=row.creator_rep_id,
        team_id=row.team_id,
        channel=row.channel_id,
        report=row.report,
        frequency=row.frequency,
        following=following,
        failed_attempts=row.failed_attempts,
    )


def _retry_time(
    run: ClaimedRun, now: dt.datetime, error: Exception
) -> dt.datetime | None:
    """When to try a failed run again, each delay twice the last; None: give up.

    A channel name the workspace does not have is given up at once: only its
    creator can mend it.
    """
    if isinstance(error, ChannelNotFoundError):
        return None
    attempts = run.failed_attempts + 1
    retry_at = now + FIRST_RETRY_DELAY * 2 ** (attempts - 1)
    if attempts > RETRIES or retry_at >= run.following:
        return None
    return retry_at


def _reschedule_failed(
    database_url: str, run: ClaimedRun, retry_at: dt.datetime | None
) -> bool:
    """Make a failed run due at ``retry_at``, or give it up for the following run.

    Giving up starts the following run's count afresh. The update only matches
    while the run is still claimed as this process left it, so a subscription
    stopped or rescheduled meanwhile stays as is; returns whether it matched.
    """
    return _update_if_due_at(
        database_url,
        run.subscription_id,
        run.following,
        next_run_at=retry_at or run.following,
        failed_attempts=run.failed_attempts + 1 if retry_at else 0,
    )


def _update_if_due_at(
    database_url: str, subscription_id: int, due_at: dt.datetime, **values
) -> bool:
    """Set ``values`` on an active subscription still due at ``due_at``.

    Returns whether it was: the condition is what lets only one of several
    processes act on the same run.
    """
    with session_scope(database_url) as session:
        moved = session.execute(
            update(ReportSubscription)
            .where(
                ReportSubscription.id == subscription_id,
                ReportSubscription.next_run_at == due_at,
                ReportSubscription.active.is_(True),
            )
            .values(**values)
        ).rowcount
    return moved == 1


def _tell_creator(
    database_url: str, client_for_team: ClientForTeam, run: ClaimedRun, error: Exception
) -> None:
    """Tell the creator in a direct message that a run could not be posted."""
    with session_scope(database_url) as session:
        slack_user_id = session.scalar(
            select(SalesRep.slack_user_id).where(SalesRep.id == run.creator_rep_id)
        )
    if slack_user_id is None:
        return
    why = str(error) if isinstance(error, ChannelNotFoundError) else TRIED_IN_VAIN
    text = (
        f"Your {report_title(run.report)} could not be posted to "
        f"{_mention(run.channel)} today. {why} "
        f"The next one is due {run.following:%A %d %B at %H:%M} UTC."
    )
    try:
        client = client_for_team(run.team_id)
        dm = client.conversations_open(users=slack_user_id)["channel"]["id"]
        client.chat_postMessage(channel=dm, text=text)
    except Exception:
        logger.exception("could not tell %s about a failed report", slack_user_id)


def _post(database_url: str, client_for_team: ClientForTeam, run: ClaimedRun) -> int:
    with session_scope(database_url) as session:
        rep = session.get(SalesRep, run.creator_rep_id)
        if rep is None:
            _deactivate(database_url, run.subscription_id, "its creator has left")
            return 0
        creator = Requester(rep.id, rep.name, rep.email, rep.role, rep.team)
        result = run_intent(session, creator, run.report, {})
        audit(session, creator, "schedule", run.report, result)

    client = client_for_team(run.team_id)
    channel = resolve_channel(client, run.channel)
    post_result(client, channel, None, _signed(result, run, creator))
    if run.failed_attempts:
        _forget_failures(database_url, run.subscription_id)
    logger.info(
        "posted scheduled %s for %s to %s", run.report, creator.name, run.channel
    )
    return 1


def resolve_channel(client: WebClient, channel: str) -> str:
    """A channel id for ``channel``: an id as is, "#name" looked up by name.

    A user id is that person's DM with the bot.
    """
    if channel.startswith("#"):
        return _channel_named(client, channel[1:])
    if channel[:1] in ("U", "W"):
        return client.conversations_open(users=channel)["channel"]["id"]
    return channel


def _channel_named(client: WebClient, name: str) -> str:
    for channel in _channels(client):
        if channel["name"] == name:
            return channel["id"]
    raise ChannelNotFoundError(
        f"No channel is named #{name}; check the name, or stop this report "
        "and schedule it again to an existing channel."
    )


def _channels(client: WebClient) -> Iterator[dict]:
    """The workspace's open channels, page after page of ``conversations.list``."""
    cursor = None
    while True:
        page = client.conversations_list(
            exclude_archived=True, limit=200, cursor=cursor
        )
        yield from page["channels"]
        cursor = page.get("response_metadata", {}).get("next_cursor")
        if not cursor:
            return


def _signed(result: ToolResult, run: ClaimedRun, creator: Requester) -> ToolResult:
    """The report with a line saying whose schedule it is and how to stop it.

    Only as many notes as one context block shows are kept, the line last, so
    it is never the one cut.
    """
    title = report_title(run.report)
    line = (
        f"Scheduled by {creator.name}, {describe_frequency(run.frequency)}. "
        f"To stop it, {creator.name.split()[0]} can say 'stop the {title}'."
    )
    notes = (*result.notes, line)[-CONTEXT_ELEMENTS_MAX:]
    return dataclasses.replace(result, notes=notes)


def _mention(channel: str) -> str:
    """How a message names ``channel``: "#name" as written, an id as a link."""
    if channel.startswith("#"):
        return channel
    if channel[:1] in ("U", "W"):
        return "your direct messages"
    return f"<#{channel}>"


def _forget_failures(database_url: str, subscription_id: int) -> None:
    with session_scope(database_url) as session:
        session.execute(
            update(ReportSubscription)
            .where(ReportSubscription.id == subscription_id)
            .values(failed_attempts=0)
        )


def _deactivate(database_url: str, subscription_id: int, why: str) -> None:
    with session_scope(database_url) as session:
        session.execute(
            update(ReportSubscription)
            .where(ReportSubscription.id == subscription_id)
            .values(active=False)
        )
    logger.warning("stopped scheduled report %s: %s", subscription_id, why)
