"""Who is asking: the rep behind a Slack user id, and working as them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.slack.delivery import SORRY
from bot.slack.fallback import tell
from storage.db import session_scope
from tools.errors import ToolError
from tools.people import Requester, link_slack_user, requester_by_slack_id

logger = logging.getLogger(__name__)

T = TypeVar("T")


def requester_for(session: Session, client: WebClient, slack_user_id: str) -> Requester:
    """The rep behind a Slack user, linking them by profile email the first time."""
    requester = requester_by_slack_id(session, slack_user_id)
    if requester is not None:
        return requester
    profile = client.users_info(user=slack_user_id)["user"].get("profile", {})
    return link_slack_user(session, slack_user_id, profile.get("email"))


def as_requester(
    database_url: str,
    client: WebClient,
    channel: str,
    user: str,
    work: Callable[[Session, Requester], T],
    respond: Respond | None = None,
) -> T | None:
    """``work`` done as the rep behind ``user``, in one transaction.

    A refusal (``ToolError``) is told to the person alone, as is an
    unexpected failure (logged with its traceback); both return None.
    Where the bot is not in ``channel``, they are told through ``respond``,
    else in their DM (``bot.slack.fallback.tell``).
    """
    try:
        with session_scope(database_url) as session:
            return work(session, requester_for(session, client, user))
    except ToolError as error:
        tell(client, channel, user, str(error), respond)
    except Exception:
        logger.exception("working on a Slack request from %s failed", user)
        tell(client, channel, user, SORRY, respond)
    return None
