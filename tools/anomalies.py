"""Unusual quotes: which quotes stand out, how much, and why, in numbers.

Training (``train_anomalies``, run by ``quotebot train``) fits the anomaly
model of ``analytics.anomalies`` on every quote of the store, registers it
as ``anomalies`` and stores each quote's score in ``predictions``
(``entity_type`` "quote"), with its rank and reasons in the details; the
``quote_anomalies`` answer is then a query. ``check_quote`` scores one new
quote, a draft say, against the stored model.

Scores are rankings: a quote is "more unusual than 99.6% of quotes", never
"99.6% likely to be wrong".
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from storage.prediction_log import latest_scores, log_scores
from storage.queries import quote_history, quote_profiles
from storage.registry import (
    ModelRecord,
    fingerprint_frame,
    latest_model,
    register_model,
)
from tools.errors import NotEnoughDataError
from tools.money import book_currency, money_formatter
from tools.people import Requester, account_scope
from tools.periods import Period
from tools.results import Chart, Column, ToolResult

logger = logging.getLogger(__name__)

ANOMALIES_MODEL = "anomalies"
DEFAULT_TOP_N = 10
MAX_TOP_N = 50
# A quote "stands out" in the top 2% of the quotes the model learned from.
STANDS_OUT = 0.98
COLUMNS = (
    Column("rank", "#"),
    Column("quote_number", "Quote"),
    Column("customer", "Account"),
    Column("rep", "Rep"),
    Column("total", "Total"),
    Column("unusual", "How unusual"),
    Column("reason", "Why"),
)


def quote_anomalies(
    session: Session,
    requester: Requester,
    period: Period | None = None,
    top_n: int | None = None,
    scope: str | None = None,
) -> ToolResult:
    """The most unusual quotes of the asker's accounts, with the reasons in numbers.

    Use for "any weird quotes last month?" or "unusual deals this quarter".
    Each quote is ranked by how unusual its size, discount and prices are for
    its account and rep; the reasons say which numbers stand out ("4.2 times
    Acme Corp's usual quote; 38% discount where Alex Rivera usually gives
    5%"). ``period`` keeps quotes created within it; ``top_n`` caps the list
    (1 to 50). Reps see their own accounts, managers their team's.
    """
    top_n = max(1, min(int(top_n or DEFAULT_TOP_N), MAX_TOP_N))
    record = latest_model(session, ANOMALIES_MODEL)
    if record is None:
        raise NotEnoughDataError(_not_trained())
    accounts = account_scope(session, requester, scope)
    scored = _scored_quotes(session, accounts.rep_ids, period)
    where = f"{accounts.label}" + (f" {period.label}" if period else "")
    if scored.empty:
        raise NotEnoughDataError(
            f"There are no scored quotes of {where}; widen the period, or run "
            "`quotebot train` to score quotes added since the last training."
        )

    money = money_formatter(record.metrics.get("currency", "USD"))
    standing_out = int((scored["unusual_than"] >= STANDS_OUT).sum())
    shown = scored.head(top_n)
    return ToolResult(
        intent="quote_anomalies",
        summary=_summary(where, standing_out, len(scored), shown.iloc[0], money),
        columns=COLUMNS,
        rows=tuple(_row(rank, row, money) for rank, row in _ranked(shown)),
        notes=_notes(accounts.note, record),
        follow_ups=("unusual quotes last month", "what's my churn risk list"),
        chart=_reason_bars(scored, where),
        data={
            "as_of": record.metrics.get("as_of"),
            "model_version": record.version,
            "scope": accounts.label,
            "period": period.label if period else None,
            "standing_out": standing_out,
            "quotes": len(scored),
        },
    )


@dataclass(frozen=True)
class QuoteCheck:
    """How one quote compares with the quotes the model learned from."""

    quote_id: int
    unusual_than: float
    stands_out: bool
    reasons: tuple[str, ...]

    @property
    def sentence(self) -> str:
        """The check in words, for a warning or a note."""
        reasons = "; ".join(self.reasons)
        how = f"more unusual than {describe_share(self.unusual_than)} of quotes"
        if self.stands_out:
            return f"This quote is unusual ({how}): {reasons}."
        return f"This quote looks ordinary for the account ({how})."


def check_quote(session: Session, quote_id: int) -> QuoteCheck | None:
    """Score one stored quote against the trained model; None before training.

    Only that quote's customer's and rep's quotes are read: the features of a
    quote depend on nothing else.
    """
    from analytics.anomalies import QuoteAnomalyModel, explain_quote, quote_features

    record = latest_model(session, ANOMALIES_MODEL)
    if record is None:
        return None
    model = QuoteAnomalyModel.from_artifact(record.artifact_format, record.artifact)
    quote = _one_quote(session, quote_id)
    profiles = quote_profiles(
        session, customer_id=int(quote["customer_id"]), rep_id=_rep(quote)
    )
    features = quote_features(profiles).loc[[quote_id]]
    score = model.score(features).iloc[0]
    money = money_formatter(book_currency(profiles))
    reasons = explain_quote(model, features.iloc[0], money)
    return QuoteCheck(
        quote_id=quote_id,
        unusual_than=float(score["unusual_than"]),
        stands_out=bool(score["unusual_than"] >= STANDS_OUT),
        reasons=tuple(reasons),
    )


def train_anomalies(session: Session) -> ModelRecord | None:
    """Fit the anomaly model on every quote, register it and score every quote.

    Each quote's score is its combined rank percentile (the share of quotes
    it is more unusual than); its details hold the quote number, its rank in
    the store, each ranking's percentile and the reasons in words. Returns
    None (and logs why) when there are too few quotes.
    """
    from analytics.anomalies import TooFewQuotesError, fit_anomalies

    profiles = quote_profiles(session)
    try:
        model, features = fit_anomalies(profiles)
    except TooFewQuotesError as error:
        logger.info("quote anomalies not trained: %s", error)
        return None
    scores = model.score(features)
    currency = book_currency(profiles)
    artifact_format, artifact = model.to_artifact()
    record = register_model(
        session,
        name=ANOMALIES_MODEL,
        model_type="isolation_forest+autoencoder",
        artifact_format=artifact_format,
        artifact=artifact,
        data_fingerprint=fingerprint_frame(features.loc[:, ["log_total"]]),
        metrics=_metrics(features, scores, currency),
        params=model.get_params(),
    )
    log_scores(
        session,
        model=record,
        model_name=ANOMALIES_MODEL,
        entity_type="quote",
        scores=scores.set_index(scores.index.astype(str))["combined"],
        details=_details(model, features, scores, money_formatter(currency)),
    )
    logger.info("scored %s quotes for how unusual they are", len(scores))
    return record


def evaluate_quote_anomalies(session: Session) -> dict:
    """Every ranking's precision and recall at k on later quotes, against the
    anomalies the store knows of (the demo data plants and records them).

    The shape of ``analytics.anomalies.evaluate_anomalies``, with ``note``
    saying why the numbers are None when there is nothing to measure against.
    """
    from analytics.anomalies import RANKINGS, TooFewQuotesError, evaluate_anomalies

    planted = _planted_anomalies(session)
    try:
        report = evaluate_anomalies(quote_profiles(session), planted)
    except TooFewQuotesError as error:
        empty = {"precision_at_k": None, "recall_at_k": None}
        models = {name: dict(empty) for name in RANKINGS}
        return {**empty, "k": 0, "models": models, "selected": None, "note": str(error)}
    if not report["k"]:
        report["note"] = (
            "The store records no known anomalies among the later quotes, so "
            "there is nothing to measure the rankings against."
        )
    return report


def describe_share(share: float) -> str:
    """A rank percentile as people say it: "99.6%", "87%"; never "100%"."""
    percent = float(share) * 100
    if percent >= 99:
        return f"{min(math.floor(percent * 10) / 10, 99.9):.1f}%"
    return f"{math.floor(percent)}%"


def _not_trained() -> str:
    from analytics.anomalies import MIN_QUOTES

    return (
        "Unusual quotes are not scored yet; run `quotebot train` to learn what a "
        f"usual quote looks like and score every quote (it needs at least "
        f"{MIN_QUOTES} quotes)."
    )


def _metrics(features: pd.DataFrame, scores: pd.DataFrame, currency: str) -> dict:
    return {
        "quotes": len(features),
        "as_of": features["created_at"].max().date().isoformat(),
        "standing_out": int((scores["unusual_than"] >= STANDS_OUT).sum()),
        "served": "combined",
        "currency": currency,
    }


def _details(model, features, scores, money) -> dict[str, dict]:
    """Each quote's number, rep, rank, percentiles and reasons.

    Reasons are worked out for the most unusual tenth of the quotes (at least
    ``MAX_TOP_N``); the others are left blank, as nothing about them stands out.
    """
    from analytics.anomalies import RANKINGS, reasons_with_kinds

    details = {}
    explained = set(scores.index[: max(MAX_TOP_N, len(scores) // 10)])
    for quote_id, row in scores.iterrows():
        reasons = []
        if quote_id in explained:
            reasons = reasons_with_kinds(model, features.loc[quote_id], money)
        details[str(quote_id)] = {
            "quote_number": features.at[quote_id, "quote_number"],
            "rep": features.at[quote_id, "rep"],
            "usual_quote": _money_value(features.at[quote_id, "customer_median"]),
            "rank": int(row["rank"]),
            "unusual_than": round(float(row["unusual_than"]), 5),
            **{name: round(float(row[name]), 5) for name in RANKINGS},
            "reason": "; ".join(text for _, text in reasons),
            "kind": reasons[0][0] if reasons else None,
        }
    return details


def _money_value(value) -> float | None:
    return None if pd.isna(value) else round(float(value), 2)


def _scored_quotes(session, rep_ids, period: Period | None) -> pd.DataFrame:
    """The stored scores of the quotes in scope (and period), most unusual first."""
    quotes = quote_history(session, rep_ids)
    if period is not None:
        days = quotes["created_at"].dt.date
        quotes = quotes[(days >= period.start) & (days < period.end)]
    quotes = quotes.assign(entity_id=quotes["quote_id"].astype(str))
    scores = latest_scores(session, ANOMALIES_MODEL, "quote")
    merged = quotes.merge(scores[["entity_id", "details"]], on="entity_id")
    if merged.empty:
        return merged
    details = pd.DataFrame(list(merged["details"]), index=merged.index)
    merged = pd.concat([merged.drop(columns="details"), details], axis=1)
    return merged.sort_values(["combined", "rank"], ascending=[False, True])


def _planted_anomalies(session: Session) -> set[int]:
    from sqlalchemy import select

    from storage.models import GroundTruth

    ids = session.scalars(
        select(GroundTruth.entity_id).where(GroundTruth.kind == "anomaly")
    )
    return {int(quote_id) for quote_id in ids}


def _one_quote(session, quote_id: int) -> pd.Series:
    from storage.models import Customer, Quote

    row = session.get(Quote, quote_id)
    customer = session.get(Customer, row.customer_id)
    rep_id = row.rep_id if row.rep_id is not None else customer.owner_rep_id
    return pd.Series({"customer_id": row.customer_id, "rep_id": rep_id})


def _rep(quote: pd.Series) -> int | None:
    return None if pd.isna(quote["rep_id"]) else int(quote["rep_id"])


def _ranked(shown: pd.DataFrame):
    return enumerate((row for _, row in shown.iterrows()), 1)


def _row(rank: int, row: pd.Series, money) -> dict:
    return {
        "rank": rank,
        "quote_number": _quote_number(row),
        "quote_id": int(row["quote_id"]),
        "customer": row["customer"],
        "rep": row.get("rep") or row.get("owner") or "unassigned",
        "total": money(float(row["total"])),
        "unusual": f"more unusual than {describe_share(row['unusual_than'])}",
        "unusual_than": float(row["unusual_than"]),
        "reason": row["reason"] or "nothing stands out for its account",
    }


def _summary(where: str, standing_out: int, total: int, top: pd.Series, money) -> str:
    first = (
        f"{_quote_number(top)} for {top['customer']} ({money(float(top['total']))}): "
        f"{top['reason'] or 'nothing stands out'}"
    )
    if not standing_out:
        return (
            f"None of the {total:,} quotes of {where} stands out from the rest; the "
            f"least usual is {first}."
        )
    return (
        f"{standing_out} of the {total:,} quotes of {where} "
        f"{'stands' if standing_out == 1 else 'stand'} out (more unusual "
        f"than {describe_share(STANDS_OUT)} of all quotes). Most unusual: {first}."
    )


def _quote_number(row: pd.Series) -> str:
    number = row.get("quote_number")
    return str(number) if isinstance(number, str) and number else f"#{row['quote_id']}"


def _notes(scope_note: str | None, record: ModelRecord) -> tuple[str, ...]:
    notes = [scope_note] if scope_note else []
    metrics = record.metrics
    notes.append(
        f"Ranked by an Isolation Forest and an autoencoder together, trained on "
        f"{metrics['quotes']:,} quotes up to {metrics['as_of']}. The rank says how "
        "unusual a quote is for its account and rep, not that it is a mistake."
    )
    return tuple(notes)


def _reason_bars(scored: pd.DataFrame, where: str) -> Chart | None:
    """How many of the quotes that stand out do so for each main reason."""
    from analytics.anomalies import KINDS

    odd = scored[scored["unusual_than"] >= STANDS_OUT]
    counts = odd["kind"].map(KINDS).value_counts()
    if counts.empty:
        return None
    return Chart(
        kind="bars",
        title="Why quotes stand out",
        alt_text=(
            f"Bar chart of the {len(odd)} quotes of {where} that stand out, by "
            f"the main reason: {', '.join(f'{k} {v}' for k, v in counts.items())}."
        ),
        data={
            "labels": counts.index.tolist(),
            "values": [int(value) for value in counts],
            "format": "count",
            "axis_label": "quotes that stand out",
            "colour": "#e8912d",
        },
    )
