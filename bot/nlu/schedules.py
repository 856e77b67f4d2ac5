"""What a recurring report asks for: which report, how often, and where to.

"send the churn report to #sales-leadership every Monday" asks for the report
``churn_risk_list`` with the frequency ``weekly:monday`` in the channel
``#sales-leadership``. Frequencies are ``daily``, ``weekly``, ``monthly`` or
``weekly:<day>``; "every morning" and "every weekday" are read as daily. A
channel is Slack's id when Slack linked it ("<#C0123ABC|sales-leadership>"),
the name as typed otherwise, or ``dm`` for "DM me", "send me" or "to me".
"""

from __future__ import annotations

import re

DAYS = {
    "monday": ("monday", "mon"), "tuesday": ("tuesday", "tues", "tue"),
    "wednesday": ("wednesday", "weds", "wed"),
    "thursday": ("thursday", "thurs", "thur", "thu"),
    "friday": ("friday", "fri"), "saturday": ("saturday", "sat"),
    "sunday": ("sunday", "sun"),
}  # fmt: skip
DAY_OF = {spelling: day for day, spellings in DAYS.items() for spelling in spellings}
_DAY = "(" + "|".join(sorted(DAY_OF, key=len, reverse=True)) + ")"
EVERY_DAY_OF_WEEK = re.compile(rf"\b(?:every|each|evry|eveyr)\s+{_DAY}\b")
DAY_PLURAL = re.compile(rf"\b(?:on\s+)?({'|'.join(DAYS)})s\b")
ON_DAY = re.compile(rf"\bon\s+{_DAY}\b")
FREQUENCIES = (
    ("daily", r"daily|dayly|everyday|nightly|once a day|per day|each day"
              r"|every (?:single )?(?:day|morning|evening|night|afternoon|weekday)"
              r"|each (?:morning|evening|weekday)"),
    ("weekly", r"weekly|wekly|weeky|every week|each week|once a week|per week"),
    ("monthly", r"monthly|montly|every month|each month|once a month|per month"
                r"|(?:first|start|beginning) of (?:the|each|every) month"),
)  # fmt: skip
SLACK_CHANNEL = re.compile(r"<#([CG][A-Z0-9]{2,})(?:\|[^>]*)?>", re.IGNORECASE)
TYPED_CHANNEL = re.compile(r"(?<![\w&#/<])#([a-z0-9][a-z0-9_-]{0,79})")
DIRECT = re.compile(
    r"\b(?:dm|dms|direct message|private message|privately|in private"
    r"|send me|to me|message me|ping me|my inbox)\b"
)
REPORTS = (
    ("churn_risk_list", r"churn|at[- ]risk|risk list|risky accounts"),
    ("revenue_forecast", r"forecast|projection|outlook"),
    ("quote_anomalies", r"anomal\w*|unusual quotes|odd quotes"),
    ("customer_segments", r"segment\w*"),
    ("customer_value", r"top customers|customer value|clv|lifetime value"),
    ("model_health", r"model health|model accuracy"),
    ("sales_summary", r"sales|pipeline|win rate|revenue summary|numbers"),
)
SUBSCRIPTION_WORDS = re.compile(
    r"\b(?:subscribe|unsubscribe|subscription|schedule|scheduled|send|post|deliver"
    r"|stop|cancel|pause|snapshot|digest|recurring|every|each)\w*"
)


def find_frequency(text: str) -> str | None:
    """How often, from lower-cased ``text``: 'daily', 'weekly:monday', ..."""
    match = EVERY_DAY_OF_WEEK.search(text) or DAY_PLURAL.search(text)
    if match:
        return f"weekly:{DAY_OF[match.group(1)]}"
    for frequency, words in FREQUENCIES:
        if re.search(rf"\b(?:{words})\b", text):
            if frequency == "weekly" and (day := ON_DAY.search(text)):
                return f"weekly:{DAY_OF[day.group(1)]}"
            return frequency
    return None


def find_channel(text: str) -> str | None:
    """Slack's channel id, '#name' as typed, or 'dm'; ``text`` as written."""
    if match := SLACK_CHANNEL.search(text):
        return match.group(1).upper()
    lowered = text.lower()
    for match in TYPED_CHANNEL.finditer(lowered):
        if re.search(r"[a-z]", match.group(1)):
            return "#" + match.group(1).rstrip("-_")
    if DIRECT.search(lowered):
        return "dm"
    return None


def find_report(text: str, scheduled: bool = False) -> str | None:
    """The report a subscription message names, from lower-cased ``text``.

    Only read when the message speaks of sending or scheduling, or names a
    frequency or channel (``scheduled``), so that "my churn risk list" asks for
    the list itself, not for a subscription to it.
    """
    if not (scheduled or SUBSCRIPTION_WORDS.search(text)):
        return None
    for report, words in REPORTS:
        if re.search(rf"\b(?:{words})", text):
            return report
    return None
