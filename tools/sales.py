"""Sales summary: how a period went, against the same number of days before it.

Revenue is the total of accepted quotes created in the period; the win rate is
accepted quotes over decided ones (accepted, rejected or expired); the average
discount is over every quote but cancelled ones. Quotes count in the period
they were created in, so a quote still open at the period's end counts in its
quote count but not yet in its win rate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from storage.queries import (
    latest_activity_date,
    product_revenue,
    quote_span,
    quotes_between,
)
from tools.errors import NotEnoughDataError
from tools.money import book_currency, money_formatter
from tools.people import Requester, account_scope
from tools.periods import Period
from tools.results import Chart, Column, ToolResult

DECIDED = ("accepted", "rejected", "expired")
TOP_PRODUCTS = 5
FLAT_WITHIN = 0.005
COLUMNS = (
    Column("rank", "#"),
    Column("product", "Product"),
    Column("revenue", "Revenue"),
    Column("share", "Share"),
    Column("previous_revenue", "Before"),
)


@dataclass(frozen=True)
class PeriodFigures:
    """What one period's quotes add up to; rates None when nothing to divide."""

    revenue: float
    quotes: int
    decided: int
    win_rate: float | None
    average_discount: float | None


def sales_summary(
    session: Session,
    requester: Requester,
    period: Period | None = None,
    scope: str | None = None,
) -> ToolResult:
    """Revenue, quotes, win rate, average discount and top products for a period.

    Use for "how did we do last month?", "sales recap for Q3" or "win rate
    this quarter". Each figure is compared with the same number of days just
    before the period. ``period`` defaults to the last full month of the
    store's history. Reps see their own accounts; managers their team's
    (``scope`` "mine" or "team").
    """
    latest = latest_activity_date(session)
    if latest is None:
        raise NotEnoughDataError(
            "There are no quotes in the store yet; import some with "
            "`quotebot import quotes FILE.csv` to get a sales summary."
        )
    period = period or last_full_month(latest)
    accounts = account_scope(session, requester, scope)
    before = period.previous()

    quotes = quotes_between(session, before.start, period.end, accounts.rep_ids)
    now = quotes[quotes["created_at"] >= pd.Timestamp(period.start)]
    if now.empty:
        raise NotEnoughDataError(_empty_period(session, accounts, period))
    products = product_revenue(
        session, before.start, period.start, period.end, accounts.rep_ids
    )
    return _summary(
        period,
        accounts,
        figures(now),
        figures(quotes[quotes["created_at"] < pd.Timestamp(period.start)]),
        _top_products(products),
        money_formatter(book_currency(quotes)),
    )


def last_full_month(latest: dt.date) -> Period:
    """The last calendar month that ended by the end of ``latest``."""
    end = (latest + dt.timedelta(days=1)).replace(day=1)
    start = (end - dt.timedelta(days=1)).replace(day=1)
    return Period(start, end, f"in {start:%B %Y}")


def figures(quotes: pd.DataFrame) -> PeriodFigures:
    """Revenue, quote count, win rate and average discount of ``quotes``."""
    accepted = quotes["status"] == "accepted"
    decided = int(quotes["status"].isin(DECIDED).sum())
    return PeriodFigures(
        revenue=float(quotes.loc[accepted, "total"].sum()),
        quotes=len(quotes),
        decided=decided,
        win_rate=float(accepted.sum() / decided) if decided else None,
        average_discount=(
            float(quotes["discount_pct"].mean()) if len(quotes) else None
        ),
    )


def _summary(period, accounts, now, before, top, money) -> ToolResult:
    days = f"the {period.days} days before"
    summary = (
        f"{_headline(period, accounts.label)}: revenue {money(now.revenue)}, "
        f"{change_in_words(now.revenue, before.revenue, days)}; "
        f"{now.quotes:,} quotes, {_win_rate(now, before)}; "
        f"{_discount(now, before)}."
    )
    return ToolResult(
        intent="sales_summary",
        summary=summary,
        columns=COLUMNS,
        rows=tuple(_row(rank, row, money) for rank, row in enumerate(top, 1)),
        notes=tuple(note for note in (accounts.note, _basis_note(period)) if note),
        follow_ups=(
            "forecast revenue for the next 90 days",
            "any unusual quotes last month?",
        ),
        chart=_product_bars(top, period) if top else None,
        data=_data(period, now, before, top),
    )


def change_in_words(now: float, before: float, what_before: str) -> str:
    """'up 8% on the 30 days before', 'down 3% ...', 'flat on ...'."""
    if before <= 0:
        return "with nothing booked in " + what_before if now else "as before"
    change = now / before - 1
    if abs(change) < FLAT_WITHIN:
        return f"flat on {what_before}"
    direction = "up" if change > 0 else "down"
    return f"{direction} {abs(change):.0%} on {what_before}"


def _headline(period: Period, label: str) -> str:
    return f"{label[0].upper()}{label[1:]} {period.label}"


def _win_rate(now: PeriodFigures, before: PeriodFigures) -> str:
    if now.win_rate is None:
        return "none decided yet"
    was = f"was {before.win_rate:.0%}" if before.win_rate is not None else "none before"
    return f"win rate {now.win_rate:.0%} of {now.decided:,} decided ({was})"


def _discount(now: PeriodFigures, before: PeriodFigures) -> str:
    was = (
        f" (was {before.average_discount:.1f}%)"
        if before.average_discount is not None
        else ""
    )
    return f"average discount {now.average_discount:.1f}%{was}"


def _top_products(products: pd.DataFrame) -> list[dict]:
    """The best-selling products of the period, with their revenue before it."""
    if products.empty:
        return []
    table = products.pivot_table(
        index="product", columns="later", values="revenue", aggfunc="sum"
    )
    table = table.reindex(columns=[False, True], fill_value=0.0).fillna(0.0)
    table = table[table[True] > 0].sort_values(True, ascending=False)
    total = table[True].sum()
    return [
        {
            "product": product,
            "revenue": float(row[True]),
            "share": float(row[True] / total),
            "previous_revenue": float(row[False]),
        }
        for product, row in table.head(TOP_PRODUCTS).iterrows()
    ]


def _row(rank: int, product: dict, money) -> dict:
    return {
        "rank": rank,
        "product": product["product"],
        "revenue": money(product["revenue"]),
        "share": f"{product['share']:.0%}",
        "previous_revenue": money(product["previous_revenue"]),
    }


def _product_bars(top: list[dict], period: Period) -> Chart:
    return Chart(
        kind="bars",
        title=f"Top products by revenue {period.label}",
        alt_text=(
            f"Bar chart of the {len(top)} products with the most accepted revenue "
            f"{period.label}, led by {top[0]['product']}."
        ),
        data={
            "labels": [product["product"] for product in top],
            "values": [round(product["revenue"], 2) for product in top],
            "format": "money",
            "colour": "#2bac76",
        },
    )


def _basis_note(period: Period) -> str:
    last_day = period.end - dt.timedelta(days=1)
    return (
        f"Quotes created {period.start:%d %b %Y} to {last_day:%d %b %Y}, "
        f"against the {period.days} days before; revenue is accepted quotes "
        "after discounts, win rate is accepted over decided quotes."
    )


def _data(period, now: PeriodFigures, before: PeriodFigures, top) -> dict:
    return {
        "period": period.to_dict(),
        "previous_period": period.previous().to_dict(),
        "current": _plain(now),
        "previous": _plain(before),
        "top_products": [
            {key: value for key, value in product.items()} for product in top
        ],
    }


def _plain(figures: PeriodFigures) -> dict:
    return {
        "revenue": round(figures.revenue, 2),
        "quotes": figures.quotes,
        "decided": figures.decided,
        "win_rate": figures.win_rate,
        "average_discount": figures.average_discount,
    }


def _empty_period(session: Session, accounts, period: Period) -> str:
    span = quote_span(session, accounts.rep_ids)
    if span is None:
        return f"There are no quotes of {accounts.label} yet."
    first, last = span
    return (
        f"There are no quotes of {accounts.label} {period.label}; their quotes "
        f"run from {first:%d %b %Y} to {last:%d %b %Y}. Ask about a period "
        "within those dates."
    )
