"""Who is asking, and which accounts they may see.

A rep sees the accounts they own; a manager sees every account owned by
someone on their team; an admin sees everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Customer, Role, SalesRep
from tools.errors import AccessError

HOW_TO_GET_ACCESS = (
    "Ask your sales manager to add your work email as a rep "
    "(for example with `quotebot import quotes`), then try again."
)


@dataclass(frozen=True)
class Requester:
    rep_id: int
    name: str
    email: str
    role: str
    team: str

    @property
    def is_manager(self) -> bool:
        return self.role in (Role.MANAGER, Role.ADMIN)


def requester_by_email(session: Session, email: str) -> Requester:
    """The rep with this email, in any case, or an AccessError saying what to do."""
    rep = session.scalar(
        select(SalesRep).where(func.lower(SalesRep.email) == email.strip().lower())
    )
    if rep is None:
        raise AccessError(f"{email} is not set up as a sales rep. {HOW_TO_GET_ACCESS}")
    return _requester(rep)


def requester_by_slack_id(session: Session, slack_user_id: str) -> Requester | None:
    """The rep already linked to this Slack user, if any."""
    rep = session.scalar(
        select(SalesRep).where(SalesRep.slack_user_id == slack_user_id)
    )
    return _requester(rep) if rep else None


def link_slack_user(
    session: Session, slack_user_id: str, email: str | None
) -> Requester:
    """Remember that a Slack user is the rep with their profile's email."""
    if not email:
        raise AccessError(
            "Your Slack profile has no email I can read, so I can't tell which "
            f"rep you are. {HOW_TO_GET_ACCESS}"
        )
    requester = requester_by_email(session, email)
    rep = session.get(SalesRep, requester.rep_id)
    rep.slack_user_id = slack_user_id
    return requester


@dataclass(frozen=True)
class Scope:
    """The accounts an answer covers: ``rep_ids`` None means every account."""

    rep_ids: list[int] | None
    label: str
    note: str | None = None


def account_scope(session: Session, requester: Requester, asked: str | None) -> Scope:
    """Resolve 'my' or 'the team' against what the requester may see.

    Reps see their own accounts whatever they ask for; managers see their
    team's unless they ask for their own; admins see everything.
    """
    if not requester.is_manager:
        note = None
        if asked == "team":
            note = "Only managers see the team's accounts, so this covers yours."
        return Scope([requester.rep_id], "your accounts", note)
    if asked == "mine" and _owns_accounts(session, requester.rep_id):
        return Scope([requester.rep_id], "your accounts")
    if requester.role == Role.ADMIN:
        return Scope(None, "all accounts")
    team = select(SalesRep.id).where(SalesRep.team == requester.team)
    return Scope(list(session.scalars(team)), f"the {requester.team} team's accounts")


def _owns_accounts(session: Session, rep_id: int) -> bool:
    owned = select(Customer.id).where(Customer.owner_rep_id == rep_id).limit(1)
    return session.scalar(owned) is not None


def _requester(rep: SalesRep) -> Requester:
    return Requester(rep.id, rep.name, rep.email, rep.role, rep.team)
