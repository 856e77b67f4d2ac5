"""Quote lookup: one quote, or the asker's open or recent quotes, summarised.

Each quote reads as one sentence built from its structured data (customer,
lines, total after discount, status, age, rep), with what kind of deal it is
(enterprise deal, bulk order, trial or standard, judged against the store's
own quote sizes) and the approach that suits that kind.

Long free-text notes are shortened by rule. Setting
``QUOTEBOT_SUMMARISER_PATH`` to a local directory holding a Hugging Face
sequence-to-sequence summarisation model makes answers summarise long notes
with it instead; nothing is ever downloaded.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from storage.queries import (
    latest_activity_date,
    quote_items,
    quote_profiles,
    quote_terms,
)
from tools.customers import find_customer
from tools.errors import AccessError, NotEnoughDataError, ToolError
from tools.money import money_formatter
from tools.people import Requester, account_scope
from tools.periods import Period
from tools.results import Column, ToolResult

logger = logging.getLogger(__name__)

SUMMARISER_PATH_VARIABLE = "QUOTEBOT_SUMMARISER_PATH"
OPEN_STATUSES = ("draft", "sent")
MAX_LISTED = 10
LIST_COLUMNS = (
    Column("summary", "Quote"),
    Column("kind", "Kind"),
)
LINE_COLUMNS = (
    Column("product", "Product"),
    Column("quantity", "Quantity"),
    Column("line_total", "Line total"),
)


class UnknownQuoteError(ToolError):
    """No quote has the number asked for."""


def summarise_note(text: str) -> str:
    """A long note made short: by the configured summariser, else by rule."""
    from analytics.text import NoteSummariser, SummariserError, shorten

    path = os.environ.get(SUMMARISER_PATH_VARIABLE)
    if not path:
        return shorten(text)
    try:
        return NoteSummariser(path).summarise(text)
    except SummariserError as error:
        logger.warning("note shortened by rule instead: %s", error)
        return shorten(text)


def quote_lookup(
    session: Session,
    requester: Requester,
    quote_number: str | None = None,
    customer: str | None = None,
    period: Period | None = None,
    scope: str | None = None,
) -> ToolResult:
    """One quote, or the asker's open or recent quotes, each in one sentence.

    Use for "show Q-2026-0042", "my open quotes" or "quotes for Initech last
    month". With ``quote_number`` the answer is that quote: its summary, its
    lines, what kind of deal it is and how to approach it. Otherwise it lists
    quotes of the asker's accounts (a manager's team's): those created in
    ``period`` if given, else the recent quotes of ``customer`` if given,
    else the open ones (drafts and sent quotes). ``scope`` "mine" keeps a
    manager to their own accounts.
    """
    quotes = quote_profiles(session).rename(columns={"quantity": "units"})
    as_of = latest_activity_date(session) or dt.date.today()
    if quote_number:
        return _one_quote(session, requester, quotes, quote_number, as_of)
    where = _Where(customer, period, scope)
    return _quote_list(session, requester, quotes, where, as_of)


@dataclass(frozen=True)
class _Where:
    """Which quotes a list covers, as the question put it."""

    customer: str | None
    period: Period | None
    scope: str | None


def _one_quote(session, requester, quotes, number: str, as_of) -> ToolResult:
    wanted = number.strip().upper()
    found = quotes[quotes["quote_number"].str.upper() == wanted]
    if found.empty:
        raise UnknownQuoteError(
            f"No quote is numbered {number.strip()}. Quote numbers look like "
            'Q-2026-0042; ask for "my open quotes" to see yours.'
        )
    quote = found.iloc[0]
    scope = account_scope(session, requester, "team")
    if scope.rep_ids is not None and quote["owner_rep_id"] not in scope.rep_ids:
        raise AccessError(
            f"{quote['quote_number']} is for {quote['customer']}, which is not one "
            "of your accounts."
        )

    described = _described(session, quotes, found, as_of)
    row = described.iloc[0]
    lines = quote_items(session, [int(quote["quote_id"])])
    money = money_formatter(quote["currency"])
    return ToolResult(
        intent="quote_lookup",
        summary=row["summary"] + _kind_sentence(row),
        columns=LINE_COLUMNS,
        rows=tuple(_line_row(line, money) for line in lines.itertuples()),
        notes=_quote_notes(row),
        follow_ups=(
            f"how does {quote['customer']} feel about us?",
            "my open quotes",
        ),
        data={
            "quote_number": quote["quote_number"],
            "customer": quote["customer"],
            "status": quote["status"],
            "total": round(float(quote["total"]), 2),
            "age_days": int(row["age_days"]),
            "intent": row["intent"],
        },
    )


def _quote_list(session, requester, quotes, where: _Where, as_of) -> ToolResult:
    scope = account_scope(session, requester, where.scope)
    mine, label = _visible(session, scope, quotes, where.customer)
    chosen, what = _chosen(mine, where.customer, where.period)
    if chosen.empty:
        raise NotEnoughDataError(f"There are no {what} for {label}.")

    shown = chosen.sort_values("created_at", ascending=False).head(MAX_LISTED)
    described = _described(session, quotes, shown, as_of)
    money = money_formatter(str(chosen["currency"].mode().iloc[0]))
    return ToolResult(
        intent="quote_lookup",
        summary=_list_summary(chosen, shown, what, label, money),
        columns=LIST_COLUMNS,
        rows=tuple(
            {"summary": row.summary, "kind": row.kind, "quote_number": row.number}
            for row in described.itertuples()
        ),
        notes=(scope.note,) if scope.note and not where.customer else (),
        follow_ups=tuple(f"show {n}" for n in described["number"].head(2)),
        data={
            "count": len(chosen),
            "shown": len(shown),
            "total": round(float(chosen["total"].sum()), 2),
            "quote_numbers": described["number"].tolist(),
        },
    )


def _visible(session, scope, quotes: pd.DataFrame, customer: str | None):
    """The quotes of the accounts in scope (of one customer if named), and a label."""
    if scope.rep_ids is not None:
        quotes = quotes[quotes["owner_rep_id"].isin(scope.rep_ids)]
    if not customer:
        return quotes, scope.label
    match = find_customer(session, customer)
    if scope.rep_ids is not None and match.owner_rep_id not in scope.rep_ids:
        raise AccessError(f"{match.name} is not one of your accounts.")
    return quotes[quotes["customer_id"] == match.id], match.name


def _chosen(quotes: pd.DataFrame, customer, period) -> tuple[pd.DataFrame, str]:
    """The quotes the question asks for, and how to name them."""
    if period is not None:
        days = quotes["created_at"].dt.date
        inside = (days >= period.start) & (days < period.end)
        return quotes[inside], f"quotes created {period.label}"
    if customer:
        return quotes, "quotes"
    return quotes[quotes["status"].isin(OPEN_STATUSES)], "open quotes"


def _list_summary(chosen, shown, what: str, label: str, money) -> str:
    counts = chosen["status"].value_counts()
    by_status = ", ".join(f"{n} {status}" for status, n in counts.items())
    listed = "" if len(shown) == len(chosen) else f"; the newest {len(shown)} are"
    return (
        f"{label[0].upper()}{label[1:]}: {len(chosen)} {what} worth "
        f"{money(chosen['total'].sum())} ({by_status}){listed or '; all are'} "
        "listed below."
    )


def _described(session, everything, quotes, as_of) -> pd.DataFrame:
    """``quotes`` with their sentence, age, intent and approach."""
    from analytics.text import (
        APPROACHES,
        LABELS,
        age_days,
        summarise_quote,
    )

    terms = quote_terms(session, quotes["quote_id"].tolist())
    merged = quotes.merge(terms, on="quote_id", how="left")
    intents, reasons = _intents(everything, merged)
    facts = [_facts(row) for row in merged.itertuples()]
    return pd.DataFrame(
        {
            "number": merged["quote_number"],
            "summary": [
                summarise_quote(f, as_of, money_formatter(c))
                for f, c in zip(facts, merged["currency"], strict=True)
            ],
            "age_days": [age_days(f, as_of) for f in facts],
            "intent": intents,
            "kind": [LABELS.get(i, "not judged") for i in intents],
            "reason": reasons,
            "approach": [APPROACHES.get(i, "") for i in intents],
            "notes": merged["notes"],
        }
    )


def _intents(everything: pd.DataFrame, quotes: pd.DataFrame):
    from analytics.text import QuoteIntentClassifier, TooFewQuotesError

    try:
        model = QuoteIntentClassifier().fit(everything)
    except TooFewQuotesError as error:
        return [None] * len(quotes), [str(error)] * len(quotes)
    intents = model.predict(quotes).tolist()
    money = money_formatter(str(everything["currency"].mode().iloc[0]))
    return intents, [model.reason(i, money) for i in intents]


def _facts(row):
    from analytics.text import QuoteFacts

    decided = None if pd.isna(row.decided_at) else row.decided_at.to_pydatetime()
    valid = None if pd.isna(row.valid_until) else row.valid_until
    return QuoteFacts(
        quote_number=row.quote_number,
        customer=row.customer,
        status=row.status,
        created_at=row.created_at.to_pydatetime(),
        lines=int(row.lines),
        units=int(row.units),
        subtotal=float(row.subtotal),
        discount_pct=float(row.discount_pct),
        total=float(row.total),
        rep=row.rep if isinstance(row.rep, str) else None,
        decided_at=decided,
        valid_until=valid,
    )


def _kind_sentence(row) -> str:
    if row["intent"] is None:
        return ""
    article = "an" if row["kind"][0] in "aeiou" else "a"
    return f" It looks like {article} {row['kind']}: {row['reason']}."


def _quote_notes(row) -> tuple[str, ...]:
    notes = []
    if row["approach"]:
        notes.append(f"Approach: {row['approach']}")
    elif row["reason"]:
        notes.append(row["reason"])
    if isinstance(row["notes"], str) and row["notes"].strip():
        notes.append(f"Notes on the quote: “{summarise_note(row['notes'])}”")
    return tuple(notes)


def _line_row(line, money) -> dict:
    return {
        "product": line.product,
        "quantity": f"{int(line.quantity):,}",
        "line_total": money(line.line_total),
    }
