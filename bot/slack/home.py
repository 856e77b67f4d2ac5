"""The App Home tab: a rep's at-risk accounts, open quotes and latest forecast.

On ``app_home_opened`` the listener acks and a lazy function reads what the
person may see (their own accounts, a manager's team's) and publishes the
view. Everything is read, never fitted: churn scores and forecasts come from
what ``quotebot train`` stored and what was last served. A "Why?" button on
the tab explains that account in the person's DM with the bot.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.answer import audit, run_intent
from bot.render.home import HomeContent, OpenQuotes, home_view, unlinked_home_view
from bot.settings import Settings
from bot.slack.delivery import SORRY, post_result, publish_home
from bot.slack.identity import requester_for
from storage import queries
from storage.db import session_scope
from storage.models import utcnow
from storage.prediction_log import ServedForecast, latest_served_forecast
from tools.churn import churn_risk_list
from tools.errors import AccessError, ToolError
from tools.forecast_scopes import BUSINESS, rep_scope
from tools.money import money_formatter
from tools.people import Requester, account_scope
from tools.results import ToolResult

logger = logging.getLogger(__name__)

QUOTES_LISTED = 5


def register(app: App, settings: Settings) -> None:
    database_url = settings.database_url

    def acknowledge(ack):
        ack()

    def publish(event, client):
        if event.get("tab", "home") == "home":
            publish_home_for(database_url, client, event["user"])

    def explain_in_dm(body, client):
        customer = body["actions"][0]["value"]
        _explain_in_dm(database_url, client, body["user"]["id"], customer)

    app.event("app_home_opened")(ack=acknowledge, lazy=[publish])
    app.action(re.compile(r"^churn_explain:"), matchers=[_pressed_on_home])(
        ack=acknowledge, lazy=[explain_in_dm]
    )


def publish_home_for(database_url: str, client: WebClient, user_id: str) -> None:
    """Read the person's book and publish their Home; a failure is logged."""
    now = utcnow()
    try:
        with session_scope(database_url) as session:
            requester = requester_for(session, client, user_id)
            view = home_view(home_content(session, requester, now))
    except AccessError as error:
        view = unlinked_home_view(str(error), now)
    except Exception:
        logger.exception("building the Home tab of %s failed", user_id)
        return
    publish_home(client, user_id, view)


def home_content(
    session: Session, requester: Requester, now: dt.datetime
) -> HomeContent:
    """What ``requester``'s Home shows, in their own scope."""
    return HomeContent(
        name=requester.name,
        at_risk=_at_risk(session, requester),
        open_quotes=open_quotes(session, requester),
        forecast=latest_forecast(session, requester),
        updated_at=now,
    )


def open_quotes(session: Session, requester: Requester) -> OpenQuotes:
    """Drafts and sent quotes of the accounts in scope, newest first."""
    scope = account_scope(session, requester, None)
    quotes = queries.open_quotes(session, scope.rep_ids)
    if quotes.empty:
        return OpenQuotes(f"No open quotes for {scope.label}.")

    money = money_formatter(quotes["currency"].iloc[0])
    drafts = int((quotes["status"] == "draft").sum())
    summary = (
        f"{len(quotes)} open for {scope.label}, worth "
        f"{money(float(quotes['total'].sum()))} "
        f"({drafts} draft, {len(quotes) - drafts} sent)."
    )
    newest = quotes.head(QUOTES_LISTED).itertuples()
    return OpenQuotes(summary, tuple(_quote_line(row, money) for row in newest))


def latest_forecast(session: Session, requester: Requester) -> str:
    """The forecast last served for the person's scope, as one sentence."""
    accounts = account_scope(session, requester, None)
    mine = accounts.rep_ids == [requester.rep_id]
    scope = rep_scope(requester.rep_id, requester.name) if mine else BUSINESS

    served = latest_served_forecast(
        session, scope.model_prefix, scope.entity_type, scope.entity_id
    )
    if served is None:
        return (
            f"No forecast has been asked for {scope.label} yet; ask me "
            "_forecast revenue for the next 90 days_."
        )
    return _forecast_sentence(scope.label, served, queries.book_currency(session))


def _at_risk(session: Session, requester: Requester) -> ToolResult:
    try:
        return churn_risk_list(session, requester, top_n=5)
    except ToolError as error:
        return ToolResult(intent="error", summary=str(error))


def _quote_line(row, money) -> str:
    return (
        f"*{row.quote_number}* · {row.customer} · {money(float(row.total))} · "
        f"{row.status} {row.created_at:%d %b}"
    )


def _forecast_sentence(label: str, served: ServedForecast, currency: str) -> str:
    money = money_formatter(currency)
    model = served.model_name.rsplit(".", 1)[-1]
    low, high = served.lower, served.upper
    between = f", likely between {money(low)} and {money(high)}" if low else ""
    return (
        f"{label[0].upper()}{label[1:]} from {served.first:%d %b} to "
        f"{served.last:%d %b %Y}: {money(served.total)}{between} ({model}, "
        f"forecast on {served.created_at:%d %b})."
    )


def _pressed_on_home(body) -> bool:
    return body.get("view", {}).get("type") == "home"


def _explain_in_dm(database_url, client: WebClient, user_id: str, customer: str):
    try:
        with session_scope(database_url) as session:
            requester = requester_for(session, client, user_id)
            result = run_intent(
                session, requester, "churn_explain", {"customer": customer}
            )
            audit(session, requester, "slack-home", "churn_explain", result)
    except ToolError as error:
        result = ToolResult(intent="error", summary=str(error))
    except Exception:
        logger.exception("explaining %s from the Home tab failed", customer)
        result = ToolResult(intent="error", summary=SORRY)

    channel = client.conversations_open(users=user_id)["channel"]["id"]
    post_result(client, channel, None, result)
