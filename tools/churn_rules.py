"""Churn answers from the rhythm baseline, for stores with no trained churn model.

The baseline needs no training: it judges each account's silence against its
own usual gap between orders. Its scores rank accounts but are not
probabilities, and the answers say so.
"""

from __future__ import annotations

import logging

import pandas as pd
from sqlalchemy.orm import Session

from analytics.churn_baseline import ChurnRisk, RhythmChurnBaseline
from storage.queries import latest_activity_date, quote_history
from tools.customers import CustomerMatch
from tools.errors import NotEnoughDataError
from tools.people import Requester, Scope
from tools.results import Action, Column, ToolResult

logger = logging.getLogger(__name__)

BASELINE_NOTE = (
    "This is the rule baseline: no churn model is trained yet (run `quotebot train`)."
)
# At risk once silent for twice the usual gap: 1 - exp(-(2 - 1)).
AT_RISK_SCORE = 0.63

COLUMNS = (
    Column("rank", "#"),
    Column("customer", "Account"),
    Column("risk", "Risk"),
    Column("reason", "Why"),
    Column("owner", "Owner"),
)


def rules_risk_list(
    session: Session, requester: Requester, account_scope_: Scope, top_n: int
) -> ToolResult:
    """The accounts in scope ranked by how overdue their next order is."""
    book = quote_history(session)
    history = _within(book, account_scope_.rep_ids)
    as_of = latest_activity_date(session)
    if history.empty or as_of is None:
        raise NotEnoughDataError(
            f"There are no quotes for {account_scope_.label} yet, so there is no "
            "buying rhythm to judge. Churn risk needs at least one accepted order "
            "per account, and three to use the account's own rhythm."
        )

    risks = RhythmChurnBaseline().fit(book).score(history, as_of)
    at_risk = [
        risk for risk in risks if not risk.lapsed and risk.score >= AT_RISK_SCORE
    ]
    lapsed = sum(risk.lapsed for risk in risks)
    shown = at_risk[:top_n]
    logger.info(
        "churn list for rep %s: %d at risk of %d accounts",
        requester.rep_id,
        len(at_risk),
        len(risks),
    )
    return ToolResult(
        intent="churn_risk_list",
        summary=_summary(account_scope_.label, len(at_risk), len(risks), shown),
        columns=COLUMNS,
        rows=tuple(_row(rank, risk) for rank, risk in enumerate(shown, start=1)),
        notes=_notes(account_scope_.note, lapsed, len(at_risk) - len(shown), as_of),
        actions=tuple(
            Action(f"Why {risk.customer}?", "churn_explain", risk.customer)
            for risk in shown[:3]
        ),
        follow_ups=("why?", "show the team's list" if requester.is_manager else "help"),
        data={
            "as_of": as_of.isoformat(),
            "model": "rules",
            "scope": account_scope_.label,
        },
    )


def _within(book: pd.DataFrame, rep_ids: list[int] | None) -> pd.DataFrame:
    return book if rep_ids is None else book[book["owner_rep_id"].isin(rep_ids)]


def _risk_label(score: float) -> str:
    level = "high" if score >= 0.8 else "medium" if score >= 0.5 else "low"
    return f"{level} ({score:.2f})"


def _summary(label: str, at_risk: int, total: int, shown: list[ChurnRisk]) -> str:
    if not at_risk:
        return (
            f"None of {label} ({total}) looks at risk: everyone is ordering on rhythm."
        )
    top = shown[0]
    return (
        f"{at_risk} of {label} ({total}) are overdue for their next order. "
        f"Most at risk: {top.customer} ({top.reason.split(';')[0]})."
    )


def _row(rank: int, risk: ChurnRisk) -> dict:
    return {
        "rank": rank,
        "customer": risk.customer,
        "customer_id": risk.customer_id,
        "risk": _risk_label(risk.score),
        "score": risk.score,
        "reason": risk.reason,
        "owner": risk.owner or "unassigned",
    }


def _notes(scope_note, lapsed: int, hidden: int, as_of) -> tuple[str, ...]:
    notes = [scope_note] if scope_note else []
    if hidden > 0:
        notes.append(f"and {hidden} more at risk; ask for a longer list with 'top 25'.")
    if lapsed:
        notes.append(
            f"{lapsed} lapsed accounts with no order in over a year are left out."
        )
    notes.append(
        f"As of {as_of:%d %b %Y}. Risk scores (0 to 1) rank accounts by days of "
        "silence against each account's usual gap between orders; they are not "
        f"probabilities. {BASELINE_NOTE}"
    )
    return tuple(notes)


def rules_explain(
    session: Session, match: CustomerMatch, note: str = BASELINE_NOTE
) -> ToolResult:
    """One account's overdue ratio and the reason in words, with ``note``."""
    book = quote_history(session)
    as_of = latest_activity_date(session)
    own = book[book["customer_id"] == match.id]
    risks = RhythmChurnBaseline().fit(book).score(own, as_of) if as_of else []
    if not risks:
        raise NotEnoughDataError(
            f"{match.name} has no accepted orders yet, so there is no buying rhythm "
            "to judge; churn risk needs at least one."
        )
    risk = risks[0]
    verdict = "has lapsed" if risk.lapsed else f"has {_risk_label(risk.score)} risk"
    return ToolResult(
        intent="churn_explain",
        summary=f"{match.name} {verdict}: {risk.reason}.",
        notes=(note,),
        data={"customer": match.name, "score": risk.score, "as_of": as_of.isoformat()},
        follow_ups=("what's my churn risk list",),
    )
