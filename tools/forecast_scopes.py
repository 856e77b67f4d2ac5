"""Whose revenue a forecast covers: the business, a rep's book, a region, a category.

Each scope names its models in the registry
(``revenue_forecast.<type>.<id>.<model>``) and selects its rows: quotes for the
business, a rep and a region, quote lines for a product category, since one
quote can sell several categories. Every scope's series covers the same settled
days as the whole book, so a quiet region reads as zeros, not as a shorter
history.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

MAX_OPEN_DAYS = 30
# A region or category is trained for when it books this share of revenue.
MIN_TRAINED_SHARE = 0.01


@dataclass(frozen=True)
class ForecastScope:
    """One slice of the revenue: ``value`` is the region or category it filters on."""

    entity_type: str
    entity_id: str
    label: str
    value: str | None = None

    @property
    def model_prefix(self) -> str:
        return f"revenue_forecast.{self.entity_type}.{self.entity_id}"

    def model_name(self, model: str) -> str:
        return f"{self.model_prefix}.{model}"

    @property
    def needs_lines(self) -> bool:
        return self.entity_type == "category"


BUSINESS = ForecastScope("business", "all", "the whole business")


def rep_scope(rep_id: int, name: str) -> ForecastScope:
    return ForecastScope("rep", str(rep_id), f"{name}'s book")


def region_scope(region: str) -> ForecastScope:
    return ForecastScope("region", slug(region), f"the {region} region", region)


def category_scope(category: str) -> ForecastScope:
    return ForecastScope("category", slug(category), f"{category} sales", category)


def slug(name: str) -> str:
    """A registry-safe id for a region or category name: 'EMEA' -> 'emea'."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "unnamed"


def scope_series(
    book: pd.DataFrame, scope: ForecastScope, lines: pd.DataFrame | None = None
) -> pd.Series:
    """Daily booked revenue of ``scope``, over the same settled days as the book.

    ``book`` is ``storage.queries.quote_history``; a category scope also needs
    ``lines`` from ``storage.queries.quote_lines``. The series stops at the
    last settled day (quotes still open after it would read as a slump), but
    never more than ``MAX_OPEN_DAYS`` before the last accepted quote, so one
    forgotten draft cannot hide months of revenue.
    """
    from analytics.forecasting import last_settled_day, revenue_series

    rows = _scope_rows(book, scope, lines)
    accepted = book[book["status"] == "accepted"]["created_at"]
    if accepted.empty:
        return revenue_series(rows)
    floor = accepted.max().normalize() - pd.Timedelta(days=MAX_OPEN_DAYS)
    end = max(last_settled_day(book), floor)
    return revenue_series(rows, start=accepted.min(), end=end)


def _scope_rows(book, scope: ForecastScope, lines) -> pd.DataFrame:
    if scope.entity_type == "rep":
        return book[book["owner_rep_id"] == int(scope.entity_id)]
    if scope.entity_type == "region":
        return book[book["region"] == scope.value]
    if scope.entity_type == "category":
        if lines is None:
            raise ValueError("A category forecast needs the quote lines; got None.")
        return lines[lines["category"] == scope.value]
    return book


def rep_scopes(book: pd.DataFrame) -> Iterator[ForecastScope]:
    """One scope per rep who owns accounts with quotes."""
    reps = book.dropna(subset=["owner_rep_id"]).drop_duplicates("owner_rep_id")
    for row in reps.itertuples(index=False):
        yield rep_scope(int(row.owner_rep_id), row.owner)


def region_scopes(book: pd.DataFrame) -> Iterator[ForecastScope]:
    """Regions booking at least ``MIN_TRAINED_SHARE`` of revenue, largest first."""
    for region in _large_groups(book, "region"):
        yield region_scope(region)


def category_scopes(lines: pd.DataFrame) -> Iterator[ForecastScope]:
    """Categories booking at least ``MIN_TRAINED_SHARE`` of revenue, largest first."""
    for category in _large_groups(lines, "category"):
        yield category_scope(category)


def _large_groups(rows: pd.DataFrame, column: str) -> list[str]:
    accepted = rows[rows["status"] == "accepted"]
    revenue = accepted.groupby(column)["total"].sum().sort_values(ascending=False)
    total = accepted["total"].sum()
    if total <= 0:
        return []
    return [
        str(name)
        for name, value in revenue.items()
        if value / total >= MIN_TRAINED_SHARE
    ]


def scope_by_prefix(
    book: pd.DataFrame, lines: pd.DataFrame
) -> dict[str, ForecastScope]:
    """Every scope the store's data has, keyed by its registry prefix."""
    scopes = [BUSINESS, *rep_scopes(book)]
    scopes += [region_scope(str(r)) for r in book["region"].dropna().unique()]
    scopes += [category_scope(str(c)) for c in lines["category"].dropna().unique()]
    return {scope.model_prefix: scope for scope in scopes}
