"""Customer value: what each account is expected to spend from here on.

Values are the batch scores ``quotebot train`` stored: the revenue each
customer is expected to book in the next 90 days and 12 months, from the
lifetime-value model with the best holdout error.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from storage.prediction_log import latest_scores
from storage.queries import customer_owners
from storage.registry import ModelRecord, latest_model
from tools.customer_training import CLV_MODEL
from tools.customers import find_customer
from tools.errors import AccessError, NotEnoughDataError
from tools.money import money_formatter
from tools.people import Requester, account_scope
from tools.results import Chart, Column, ToolResult

DEFAULT_TOP_N = 10
MAX_TOP_N = 50
FAMILY_LABELS = {
    "bgnbd": "BG/NBD with Gamma-Gamma spend",
    "gbr": "gradient boosting on buying behaviour",
    "naive": "the last period repeated",
}
COLUMNS = (
    Column("rank", "#"),
    Column("customer", "Account"),
    Column("value_365d", "Next 12 months"),
    Column("value_90d", "Next 90 days"),
    Column("alive", "Still active"),
    Column("owner", "Owner"),
)


def customer_value(
    session: Session,
    requester: Requester,
    customer: str | None = None,
    top_n: int = DEFAULT_TOP_N,
    scope: str | None = None,
) -> ToolResult:
    """Predicted value of one customer, or the top customers by it.

    Use for "what's Acme worth to us next year?" or "who are our most
    valuable customers going forward?". Values are the revenue expected in the
    next 90 days and 12 months. Reps see their own accounts; managers their
    team's. ``customer`` is a name as typed; ``top_n`` caps the list (1 to 50).
    """
    record = latest_model(session, CLV_MODEL)
    if record is None:
        raise NotEnoughDataError(
            "Customer values are not trained yet; run `quotebot train` to "
            "predict what each account will spend."
        )
    if customer:
        return _one_customer(session, requester, record, customer)
    return _top_customers(session, requester, record, top_n, scope)


def _top_customers(session, requester, record, top_n: int, scope) -> ToolResult:
    top_n = max(1, min(int(top_n), MAX_TOP_N))
    accounts = account_scope(session, requester, scope)
    valued = _valued_accounts(session, accounts.rep_ids)
    if valued.empty:
        raise NotEnoughDataError(
            f"None of {accounts.label} has ordered yet, so there is nothing to "
            "predict their value from."
        )
    shown = valued.head(top_n)
    money = _money(record)
    total = valued["value_365d"].sum()
    top_share = shown["value_365d"].sum() / total if total else 0.0
    return ToolResult(
        intent="customer_value",
        summary=(
            f"{accounts.label.capitalize()} are expected to bring {money(total)} in "
            f"the next 12 months; the top {len(shown)} account for {top_share:.0%} "
            f"of it, led by {shown.iloc[0]['customer']} "
            f"({money(shown.iloc[0]['value_365d'])})."
        ),
        columns=COLUMNS,
        rows=tuple(
            _row(rank, row, money) for rank, row in enumerate(shown.itertuples(), 1)
        ),
        notes=tuple(n for n in (accounts.note, _model_note(record)) if n),
        follow_ups=(
            f"what's {shown.iloc[0]['customer']} worth?",
            "show our customer segments",
        ),
        chart=_value_bars(shown, accounts.label),
        data={"model": record.metrics["served"], "total_365d": round(float(total), 2)},
    )


def _one_customer(session, requester, record, typed: str) -> ToolResult:
    match = find_customer(session, typed)
    scope = account_scope(session, requester, "team")
    if scope.rep_ids is not None and match.owner_rep_id not in scope.rep_ids:
        raise AccessError(f"{match.name} is not one of your accounts.")

    valued = _valued_accounts(session, None)
    own = valued[valued["customer_id"] == match.id]
    if own.empty:
        raise NotEnoughDataError(
            f"{match.name} has no accepted order yet, so there is no buying history "
            "to predict its value from."
        )
    row, money = own.iloc[0], _money(record)
    alive = (
        ""
        if pd.isna(row["alive"])
        else f" It is {row['alive']:.0%} likely still an active buyer."
    )
    return ToolResult(
        intent="customer_value",
        summary=(
            f"{match.name} is expected to spend {money(row['value_365d'])} in the next "
            f"12 months ({money(row['value_90d'])} in the next 90 days).{alive}"
        ),
        notes=(_model_note(record),),
        follow_ups=(
            f"why is {match.name} flagged?",
            "top customers by predicted value",
        ),
        data={
            "customer": match.name,
            "value_365d": round(float(row["value_365d"]), 2),
            "value_90d": round(float(row["value_90d"]), 2),
            "model": record.metrics["served"],
        },
    )


def _valued_accounts(session, rep_ids) -> pd.DataFrame:
    """The stored values of the accounts in scope, most valuable first."""
    scores = latest_scores(session, CLV_MODEL, "customer")
    owners = customer_owners(session, rep_ids)
    owners["entity_id"] = owners["customer_id"].astype(str)
    merged = owners.merge(scores, on="entity_id")
    merged["value_365d"] = merged["predicted_value"]
    for column, key in (("value_90d", "value_90d"), ("alive", "probability_alive")):
        merged[column] = pd.to_numeric([d.get(key) for d in merged["details"]])
    return merged.sort_values(["value_365d", "customer"], ascending=[False, True])


def _row(rank: int, row, money) -> dict:
    return {
        "rank": rank,
        "customer": row.customer,
        "customer_id": int(row.customer_id),
        "value_365d": money(row.value_365d),
        "value_90d": money(row.value_90d),
        "alive": "n/a" if pd.isna(row.alive) else f"{row.alive:.0%}",
        "owner": row.owner or "unassigned",
    }


def _model_note(record: ModelRecord) -> str:
    """Which model valued the customers, and how far off it was on a holdout."""
    metrics = record.metrics
    served = metrics["served"]
    errors = metrics["models"]
    mae = errors.get(served, {}).get("mae")
    naive = errors.get("naive", {}).get("mae")
    measured = f"; on a {metrics['horizon_days']}-day holdout from {metrics['cutoff']}"
    if mae is not None and naive:
        measured += (
            f" its error per customer was {mae:,.0f}, against {naive:,.0f} for "
            "repeating the last period"
        )
    return (
        f"As of {metrics['scored_as_of']}, valued by "
        f"{FAMILY_LABELS.get(served, served)}{measured}. Values are expectations, "
        "not promises: single accounts can land far from them."
    )


def _value_bars(shown: pd.DataFrame, label: str) -> Chart:
    return Chart(
        kind="bars",
        title="Expected revenue in the next 12 months",
        alt_text=(
            f"Bar chart of the {len(shown)} most valuable of {label} by the revenue "
            "they are expected to bring in the next 12 months."
        ),
        data={
            "labels": shown["customer"].tolist(),
            "values": shown["value_365d"].round(2).tolist(),
            "format": "money",
            "colour": "#2bac76",
        },
    )


def _money(record: ModelRecord):
    return money_formatter(record.metrics.get("currency", "USD"))
