"""Who is asking: the rep behind a Slack user id."""

from __future__ import annotations

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from tools.people import Requester, link_slack_user, requester_by_slack_id


def requester_for(session: Session, client: WebClient, slack_user_id: str) -> Requester:
    """The rep behind a Slack user, linking them by profile email the first time."""
    requester = requester_by_slack_id(session, slack_user_id)
    if requester is not None:
        return requester
    profile = client.users_info(user=slack_user_id)["user"].get("profile", {})
    return link_slack_user(session, slack_user_id, profile.get("email"))
