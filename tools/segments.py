"""Customer segments: the kinds of customer the team sells to, and where one fits."""

from __future__ import annotations

import logging

import pandas as pd
from sqlalchemy.orm import Session

from storage.prediction_log import latest_scores
from storage.queries import customer_owners, quote_history
from storage.registry import latest_model
from tools.customer_training import SEGMENTS_MODEL
from tools.customers import find_customer
from tools.errors import AccessError, NotEnoughDataError
from tools.people import Requester, account_scope
from tools.results import Chart, Column, ToolResult

logger = logging.getLogger(__name__)

COLUMNS = (
    Column("segment", "Segment"),
    Column("customers", "Accounts"),
    Column("share", "Of all customers"),
    Column("revenue_share", "Of revenue"),
    Column("description", "What they look like"),
)
NOT_TRAINED = (
    "Segments are not trained yet; run `quotebot train` to group the customers."
)


def customer_segments(
    session: Session, requester: Requester, customer: str | None = None
) -> ToolResult:
    """The customer segments, or which segment one customer is in and why.

    Use for "show our customer segments" or "what kind of customer is
    Initech?". Segments group buying customers by value, order frequency,
    order size, tenure, win rate and recency, each named by how it compares
    with the whole customer base. ``customer`` is a name as typed.
    """
    record = latest_model(session, SEGMENTS_MODEL)
    if record is None:
        raise NotEnoughDataError(NOT_TRAINED)
    if customer:
        return _one_customer(session, requester, record, customer)
    return _overview(session, requester, record)


def _overview(session, requester: Requester, record) -> ToolResult:
    from analytics.segments import CustomerSegmenter

    model = CustomerSegmenter.from_artifact(record.artifact_format, record.artifact)
    scope = account_scope(session, requester, None)
    mine = _scored_accounts(session, scope.rep_ids)
    if mine.empty:
        raise NotEnoughDataError(
            f"None of {scope.label} is in a segment yet: accounts get one when "
            "they have orders and `quotebot train` runs."
        )
    counts = mine["segment"].value_counts()
    profiles = model.profiles_.sort_values("revenue_share", ascending=False)
    rows = tuple(
        {
            "segment": row["name"],
            "customers": int(counts.get(row["name"], 0)),
            "share": f"{row['share']:.0%}",
            "revenue_share": f"{row['revenue_share']:.0%}",
            "description": row["description"],
        }
        for _, row in profiles.iterrows()
    )
    top = profiles.iloc[0]
    return ToolResult(
        intent="customer_segments",
        summary=(
            f"Customers fall into {model.k_} segments by how they buy; "
            f"{top['name']} ({top['share']:.0%} of customers) brings "
            f"{top['revenue_share']:.0%} of revenue. {len(mine)} of "
            f"{scope.label} are segmented."
        ),
        columns=COLUMNS,
        rows=rows,
        notes=_notes(scope.note, record),
        follow_ups=("what kind of customer is " + _example(mine),),
        chart=_scatter(mine, scope.label) if len(mine) else None,
        data={"k": model.k_, "model_version": record.version},
    )


def _one_customer(session, requester: Requester, record, typed: str) -> ToolResult:
    from analytics.segments import (
        CustomerSegmenter,
        describe_customer,
        segment_features,
    )

    match = find_customer(session, typed)
    scope = account_scope(session, requester, "team")
    if scope.rep_ids is not None and match.owner_rep_id not in scope.rep_ids:
        raise AccessError(f"{match.name} is not one of your accounts.")

    model = CustomerSegmenter.from_artifact(record.artifact_format, record.artifact)
    as_of = pd.Timestamp(record.metrics["as_of"])
    quotes = quote_history(session)
    features = segment_features(quotes[quotes["customer_id"] == match.id], as_of)
    if match.id not in features.index:
        raise NotEnoughDataError(
            f"{match.name} has no accepted order yet, so there is no buying "
            "behaviour to place in a segment."
        )
    placed = describe_customer(model, features, match.id)
    return ToolResult(
        intent="customer_segments",
        summary=f"{match.name}: {placed.summary}",
        notes=(model.descriptions_[placed.segment],),
        follow_ups=("show our customer segments", f"why is {match.name} flagged?"),
        data={"customer": match.name, "segment": placed.name},
    )


def _scored_accounts(session, rep_ids) -> pd.DataFrame:
    """The stored segment of every account in scope, with the chart's numbers."""
    scores = latest_scores(session, SEGMENTS_MODEL, "customer")
    owners = customer_owners(session, rep_ids)
    owners["entity_id"] = owners["customer_id"].astype(str)
    merged = owners.merge(scores, on="entity_id")
    details = pd.DataFrame(list(merged["details"]), index=merged.index)
    return pd.concat([merged[["customer_id", "customer"]], details], axis=1)


def _scatter(accounts: pd.DataFrame, label: str) -> Chart:
    shown = accounts[(accounts["frequency"] > 0) & (accounts["value"] > 0)]
    return Chart(
        kind="scatter",
        title=f"Segments of {label}",
        alt_text=(
            f"Scatter of {len(shown)} accounts by orders a month and yearly value, "
            "coloured by segment."
        ),
        data={
            "x": shown["frequency"].round(4).tolist(),
            "y": shown["value"].round(2).tolist(),
            "groups": shown["segment"].tolist(),
            "x_label": "orders a month",
            "y_label": "value a year",
        },
    )


def _notes(scope_note: str | None, record) -> tuple[str, ...]:
    notes = [scope_note] if scope_note else []
    metrics = record.metrics
    notes.append(
        f"As of {metrics['as_of']}: {metrics['k']} segments chosen by silhouette "
        f"({metrics['silhouette']:.2f}) over 2 to 8; names compare each segment "
        "with the whole customer base, not fixed amounts."
    )
    return tuple(notes)


def _example(accounts: pd.DataFrame) -> str:
    return str(accounts["customer"].iloc[0]) if len(accounts) else "Acme Corp"
