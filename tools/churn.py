"""Churn tools: which accounts are about to walk, and why.

Answers come from the churn model ``quotebot train`` selected (the best of the
rules baseline, XGBoost and the neural net on a cutoff none of them saw), as
calibrated probabilities of placing no accepted order in the next 90 days.
A store with no trained model gets the rhythm baseline, labelled as such
(``tools.churn_rules``).
"""

from __future__ import annotations

import logging

import pandas as pd
from sqlalchemy.orm import Session

from storage.prediction_log import latest_scores
from storage.queries import customer_owners, quote_history
from storage.registry import ModelRecord, latest_model
from tools.churn_rules import rules_explain, rules_risk_list
from tools.customer_training import CHURN_MODEL, CHURN_WINDOW_DAYS
from tools.customers import CustomerMatch, find_customer
from tools.errors import AccessError, NotEnoughDataError
from tools.people import Requester, account_scope
from tools.results import Action, Chart, Column, ToolResult

logger = logging.getLogger(__name__)

DEFAULT_TOP_N = 10
MAX_TOP_N = 50
AT_RISK_PROBABILITY = 0.5
MODEL_LABELS = {
    "rules": "the rules baseline",
    "xgboost": "XGBoost",
    "neural_net": "a neural net",
}

LAPSED_NOTE = (
    "Accounts silent for over a year and six times their usual gap have lapsed; "
    "the churn model leaves them out, so this is the rhythm rule's view."
)
COLUMNS = (
    Column("rank", "#"),
    Column("customer", "Account"),
    Column("risk", "Chance of no order in 90 days"),
    Column("reason", "Why"),
    Column("owner", "Owner"),
)


def churn_risk_list(
    session: Session,
    requester: Requester,
    top_n: int = DEFAULT_TOP_N,
    scope: str | None = None,
) -> ToolResult:
    """Rank the asker's accounts by churn risk, riskiest first, with reasons.

    Use for "which of my accounts are at risk", "churn list", "who might
    leave". Reps get their own accounts; managers get their team's unless they
    ask for "my" accounts. ``top_n`` caps the list (1 to 50).
    """
    top_n = max(1, min(int(top_n), MAX_TOP_N))
    accounts = account_scope(session, requester, scope)
    record = latest_model(session, CHURN_MODEL)
    if record is None:
        return rules_risk_list(session, requester, accounts, top_n)

    scored = _scored_accounts(session, accounts.rep_ids)
    if scored.empty:
        raise NotEnoughDataError(
            f"None of {accounts.label} has an order history to judge yet; churn "
            "risk needs at least one accepted order per account."
        )
    at_risk = scored[scored["probability"] >= AT_RISK_PROBABILITY]
    shown = (at_risk if len(at_risk) else scored).head(top_n)
    return ToolResult(
        intent="churn_risk_list",
        summary=_list_summary(accounts.label, len(at_risk), len(scored), shown),
        columns=COLUMNS,
        rows=tuple(_row(rank, row) for rank, row in enumerate(shown.itertuples(), 1)),
        notes=_list_notes(accounts.note, record, len(at_risk) - len(shown)),
        actions=tuple(
            Action(f"Why {name}?", "churn_explain", name)
            for name in shown["customer"].head(3)
        ),
        follow_ups=("why?", "show the team's list" if requester.is_manager else "help"),
        chart=_risk_bars(shown, accounts.label),
        data={
            "as_of": record.metrics["scored_as_of"],
            "model": record.model_type,
            "model_version": record.version,
            "scope": accounts.label,
        },
    )


def churn_explain(session: Session, requester: Requester, customer: str) -> ToolResult:
    """Explain one account's churn risk in words with its own numbers.

    Use for "why is Northwind flagged?" or "is Acme at risk?". ``customer`` is
    a name as the person typed it; close matches are suggested when unsure.
    The reasons are this account's own: what pushes its risk up the most.
    """
    match = find_customer(session, customer)
    scope = account_scope(session, requester, "team")
    if scope.rep_ids is not None and match.owner_rep_id not in scope.rep_ids:
        raise AccessError(f"{match.name} is not one of your accounts.")

    record = latest_model(session, CHURN_MODEL)
    if record is None:
        return rules_explain(session, match)
    return _model_explain(session, match, record)


def _model_explain(session, match: CustomerMatch, record: ModelRecord) -> ToolResult:
    from analytics.churn import (
        describe_reasons,
        explain_customer,
        load_churn_model,
        score_customers,
    )

    model = load_churn_model(record.model_type, record.artifact_format, record.artifact)
    quotes = quote_history(session)
    scored = score_customers(model, quotes)
    own = scored[scored["customer_id"] == match.id]
    if own.empty:
        return rules_explain(session, match, LAPSED_NOTE)

    row = own.iloc[0]
    reasons = explain_customer(model, row[list(model.features)])
    why = describe_reasons(reasons) or "nothing in its recent buying raises it"
    return ToolResult(
        intent="churn_explain",
        summary=(
            f"{match.name} has a {row['probability']:.0%} chance of placing no order "
            f"in the next {CHURN_WINDOW_DAYS} days. Why: {why}."
        ),
        notes=(_model_note(record),),
        follow_ups=(
            "what's my churn risk list",
            f"what kind of customer is {match.name}",
        ),
        data={
            "customer": match.name,
            "probability": round(float(row["probability"]), 4),
            "reasons": [reason.text for reason in reasons],
            "model": record.model_type,
        },
    )


def _scored_accounts(session, rep_ids) -> pd.DataFrame:
    """The stored churn scores of the accounts in scope, riskiest first."""
    scores = latest_scores(session, CHURN_MODEL, "customer")
    owners = customer_owners(session, rep_ids)
    owners["entity_id"] = owners["customer_id"].astype(str)
    merged = owners.merge(scores, on="entity_id")
    merged["reason"] = [details.get("reason", "") for details in merged["details"]]
    merged = merged.rename(columns={"predicted_value": "probability"})
    return merged.sort_values(["probability", "customer"], ascending=[False, True])


def _list_summary(label: str, at_risk: int, total: int, shown: pd.DataFrame) -> str:
    if not at_risk:
        return (
            f"None of {label} ({total}) is more likely than not to stop ordering; "
            f"the riskiest is {shown.iloc[0]['customer']} at "
            f"{shown.iloc[0]['probability']:.0%}."
        )
    top = shown.iloc[0]
    return (
        f"{at_risk} of {label} ({total}) are more likely than not to place no order "
        f"in the next {CHURN_WINDOW_DAYS} days. Most at risk: {top['customer']} "
        f"({top['probability']:.0%}; {top['reason'].split(';')[0]})."
    )


def _row(rank: int, row) -> dict:
    return {
        "rank": rank,
        "customer": row.customer,
        "customer_id": int(row.customer_id),
        "risk": f"{row.probability:.0%}",
        "probability": round(float(row.probability), 4),
        "reason": row.reason,
        "owner": row.owner or "unassigned",
    }


def _list_notes(scope_note, record: ModelRecord, hidden: int) -> tuple[str, ...]:
    notes = [scope_note] if scope_note else []
    if hidden > 0:
        notes.append(f"and {hidden} more at risk; ask for a longer list with 'top 25'.")
    notes.append(f"As of {record.metrics['scored_as_of']}. {_model_note(record)}")
    return tuple(notes)


def _model_note(record: ModelRecord) -> str:
    """Which model answered, and how it did on a cutoff it never saw."""
    metrics = record.metrics
    measured = metrics["models"][record.model_type]
    return (
        f"Scored by {MODEL_LABELS.get(record.model_type, record.model_type)} "
        f"(trained {record.created_at:%d %b %Y}), calibrated: tested on accounts as "
        f"of {metrics['evaluation_cutoff']}, it ranked churners above others "
        f"{measured['roc_auc']:.0%} of the time (ROC AUC) and its top tenth churned "
        f"{measured['lift_top_decile']:.1f} times as often as average."
    )


def _risk_bars(shown: pd.DataFrame, label: str) -> Chart:
    return Chart(
        kind="bars",
        title=f"Chance of no order in the next {CHURN_WINDOW_DAYS} days",
        alt_text=(
            f"Bar chart of the {len(shown)} riskiest of {label}, by their "
            "probability of placing no order in the next 90 days."
        ),
        data={
            "labels": shown["customer"].tolist(),
            "values": shown["probability"].round(4).tolist(),
            "format": "percent",
        },
    )
