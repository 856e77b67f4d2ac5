"""Recurring reports: record, list and stop them in ``report_subscriptions``.

A subscription says which report goes to which channel (or DM) how often;
the report is produced as the person who asked for it, so it keeps to their
scope. This module only keeps the rows; posting them on time is the
scheduler's job, which reads ``next_run_at``.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import ReportSubscription, utcnow
from tools.errors import ToolError
from tools.matching import or_list
from tools.people import Requester
from tools.results import Column, ToolResult

REPORTS = {
    "revenue_forecast": ("revenue forecast", r"forecast|revenue|pipeline"),
    "churn_risk_list": ("churn risk list", r"churn|at.risk|risk"),
    "sales_summary": ("sales summary", r"sales|summary|recap|win rate|snapshot"),
    "quote_anomalies": ("unusual quotes", r"unusual|anomal|weird|odd"),
    "model_health": ("model health", r"model|health|accura"),
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
SEND_AT = dt.time(8, 0)
ACTIONS = ("subscribe", "stop", "list")
COLUMNS = (
    Column("report", "Report"),
    Column("channel", "Where"),
    Column("frequency", "How often"),
    Column("next_run", "Next"),
)


class UnknownReportError(ToolError):
    """The words name none of the reports that can be sent on a schedule."""


def subscribe_snapshot(
    session: Session,
    requester: Requester,
    report: str | None = None,
    frequency: str | None = None,
    channel: str | None = None,
    action: str = "subscribe",
) -> ToolResult:
    """Send a report to a channel on a schedule, list such reports, or stop one.

    Use for "send the forecast snapshot to #sales-leadership every Monday",
    "what reports do I get?" or "stop the weekly churn report". ``report``
    is a report's name in words ("forecast", "churn risk list"),
    ``frequency`` "daily", "weekly", "weekly:monday" or "monthly", and
    ``channel`` a Slack channel id or "#name". A person sees and stops only
    the subscriptions they made.
    """
    if action not in ACTIONS:
        raise ToolError(f"action must be one of {or_list(list(ACTIONS))}.")
    if action == "list":
        return list_subscriptions(session, requester)
    if action == "stop":
        return stop_subscriptions(session, requester, report, channel)
    if not (report and frequency and channel):
        raise ToolError(
            "A subscription needs a report, how often and where, for example "
            "'send the forecast to #sales every Monday'."
        )
    return _record(session, requester, report_for(report), frequency, channel)


def report_for(words: str) -> str:
    """The report named by ``words``: an intent name, or words like 'forecast'."""
    if words in REPORTS:
        return words
    for name, (_, pattern) in REPORTS.items():
        if re.search(pattern, words, re.IGNORECASE):
            return name
    titles = [title for title, _ in REPORTS.values()]
    raise UnknownReportError(
        f"I can't send '{words}' on a schedule; I can send the {or_list(titles)}."
    )


def next_run(frequency: str, after: dt.datetime) -> dt.datetime:
    """When a report of ``frequency`` is next due after ``after``, at 08:00 UTC."""
    kind, _, day = frequency.partition(":")
    if kind == "daily":
        return _next_day(after, lambda date: True)
    if kind == "weekly":
        weekday = WEEKDAYS.index(day or "monday") if day in WEEKDAYS + ("",) else -1
        if weekday < 0:
            raise ToolError(f"Weekly reports go out on a weekday; got '{day}'.")
        return _next_day(after, lambda date: date.weekday() == weekday)
    if kind == "monthly":
        return _next_day(after, lambda date: date.day == 1)
    raise ToolError(
        f"How often is '{frequency}'? Say daily, weekly (with a day) or monthly."
    )


def list_subscriptions(session: Session, requester: Requester) -> ToolResult:
    """The reports the asker has scheduled, soonest first."""
    rows = _active(session, requester)
    if not rows:
        return ToolResult(
            intent="subscribe_snapshot",
            summary="You have no scheduled reports. Ask for example 'send the "
            "forecast to #sales every Monday'.",
        )
    return ToolResult(
        intent="subscribe_snapshot",
        summary=f"You have {_reports(len(rows))}.",
        columns=COLUMNS,
        rows=tuple(_row(row) for row in rows),
    )


def stop_subscriptions(
    session: Session,
    requester: Requester,
    report: str | None = None,
    channel: str | None = None,
) -> ToolResult:
    """Stop the asker's scheduled reports, only those of ``report``/``channel``."""
    name = report_for(report) if report else None
    stopped = [
        row
        for row in _active(session, requester)
        if (name is None or row.report == name)
        and (channel is None or row.channel_id == channel)
    ]
    for row in stopped:
        row.active = False
    session.flush()
    if not stopped:
        return ToolResult(
            intent="subscribe_snapshot",
            summary="None of your scheduled reports matched, so nothing was stopped.",
        )
    what = or_list(sorted({report_title(row.report) for row in stopped}))
    return ToolResult(
        intent="subscribe_snapshot",
        summary=f"Stopped {_reports(len(stopped))}: the {what}.",
        data={"stopped": [row.id for row in stopped]},
    )


def _record(session, requester, report, frequency, channel) -> ToolResult:
    now = utcnow()
    due = next_run(frequency, now)
    row = session.scalar(
        select(ReportSubscription).where(
            ReportSubscription.creator_rep_id == requester.rep_id,
            ReportSubscription.channel_id == channel,
            ReportSubscription.report == report,
            ReportSubscription.active.is_(True),
        )
    )
    if row is None:
        row = ReportSubscription(
            creator_rep_id=requester.rep_id, channel_id=channel, report=report
        )
        session.add(row)
    row.frequency, row.next_run_at = frequency, due
    session.flush()
    return ToolResult(
        intent="subscribe_snapshot",
        summary=f"I'll send the {report_title(report)} to {channel} "
        f"{describe_frequency(frequency)}, first on {due:%a %d %b at %H:%M} UTC.",
        data={"subscription_id": row.id, "next_run_at": due.isoformat()},
    )


def _active(session: Session, requester: Requester) -> list[ReportSubscription]:
    return list(
        session.scalars(
            select(ReportSubscription)
            .where(
                ReportSubscription.creator_rep_id == requester.rep_id,
                ReportSubscription.active.is_(True),
            )
            .order_by(ReportSubscription.next_run_at, ReportSubscription.id)
        )
    )


def _next_day(after: dt.datetime, wanted) -> dt.datetime:
    candidate = dt.datetime.combine(after.date(), SEND_AT)
    while candidate <= after or not wanted(candidate.date()):
        candidate += dt.timedelta(days=1)
    return candidate


def _row(row: ReportSubscription) -> dict:
    return {
        "report": report_title(row.report),
        "channel": row.channel_id,
        "frequency": describe_frequency(row.frequency),
        "next_run": f"{row.next_run_at:%Y-%m-%d %H:%M}",
    }


def _reports(count: int) -> str:
    return f"{count} scheduled report{'s' if count != 1 else ''}"


def report_title(report: str) -> str:
    """A report's name in words: 'revenue forecast'."""
    return REPORTS[report][0] if report in REPORTS else report


def describe_frequency(frequency: str) -> str:
    """How often in words: 'every Monday', 'every day'."""
    kind, _, day = frequency.partition(":")
    if kind == "weekly":
        return f"every {(day or 'monday').capitalize()}"
    return {"daily": "every day", "monthly": "on the 1st of each month"}.get(
        kind, frequency
    )
