"""Every tool as a LangChain ``StructuredTool``, bound to one request.

A language model that routes a message sees each tool's name, its docstring
(written for whoever chooses a tool) and a typed argument schema. It never
sees, and cannot choose, the session or the person asking: ``tools_for``
binds both when the tools are built for one request, so the permission checks
inside each tool apply exactly as they do on the classifier's path.

Each tool answers with ``content_and_artifact``: the content is the answer's
text, which the model may read; the artifact is the ``ToolResult`` the bot
renders. A refusal (``ToolError``) is an answer too: its sentence is the
content and an ``error`` result the artifact.
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
from collections.abc import Callable
from typing import Any, Literal

from langchain_core.tools import StructuredTool
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from tools.anomalies import quote_anomalies
from tools.churn import churn_explain, churn_risk_list
from tools.drafts import draft_quote
from tools.errors import ToolError
from tools.forecast import revenue_forecast
from tools.health import model_health
from tools.people import Requester
from tools.periods import Period
from tools.pricing import price_suggestion
from tools.quotes import quote_lookup
from tools.recommend import bought_together, product_recommendations
from tools.results import ToolResult
from tools.sales import sales_summary
from tools.segments import customer_segments
from tools.sentiment import customer_sentiment
from tools.subscriptions import subscribe_snapshot
from tools.value import customer_value

logger = logging.getLogger(__name__)

PeriodReader = Callable[[str], Period | None]
"""Reads a phrase such as "last month" into a ``Period``; None if it cannot."""

Scope = Literal["mine", "team"]
CUSTOMER = "The customer's name as the person typed it; close names are matched."
SCOPE = "'mine' for the asker's own accounts, 'team' for a manager's team."


class PeriodArgs(BaseModel):
    """A stretch of days: ``start`` and ``end`` dates, or a phrase to read."""

    start: dt.date | None = Field(None, description="First day, inclusive.")
    end: dt.date | None = Field(None, description="Day after the last, exclusive.")
    phrase: str | None = Field(
        None, description="The period as typed, e.g. 'last month' or 'Q3 2026'."
    )


class ItemArgs(BaseModel):
    product: str = Field(description="Product name or SKU as typed.")
    quantity: int = Field(ge=1, description="How many units.")


class TopNArgs(BaseModel):
    top_n: int | None = Field(None, ge=1, le=50, description="How many to list.")
    scope: Scope | None = Field(None, description=SCOPE)


class CustomerArgs(BaseModel):
    customer: str = Field(description=CUSTOMER)


class OptionalCustomerArgs(BaseModel):
    customer: str | None = Field(None, description=CUSTOMER + " Omit for all.")


class ValueArgs(TopNArgs, OptionalCustomerArgs):
    pass


class RecommendArgs(OptionalCustomerArgs):
    top_n: int | None = Field(None, ge=1, le=20, description="How many to suggest.")


class ForecastArgs(BaseModel):
    horizon_days: int | None = Field(
        None, ge=1, le=365, description="Days ahead to forecast (default 90)."
    )
    model: str | None = Field(
        None,
        description="'auto', 'all', or one of seasonal_naive, linear, prophet, "
        "lstm, ensemble.",
    )
    scope: Scope | None = Field(None, description=SCOPE)
    region: str | None = Field(None, description="A region or country.")
    category: str | None = Field(None, description="A product category.")


class PeriodScopeArgs(BaseModel):
    period: PeriodArgs | None = Field(None, description="Which days to cover.")
    scope: Scope | None = Field(None, description=SCOPE)


class AnomalyArgs(PeriodScopeArgs):
    top_n: int | None = Field(None, ge=1, le=50, description="How many to list.")


class QuoteLookupArgs(PeriodScopeArgs, OptionalCustomerArgs):
    quote_number: str | None = Field(None, description="e.g. Q-2026-0042.")


class PriceArgs(OptionalCustomerArgs):
    product: str | None = Field(None, description="Product name or SKU as typed.")
    quantity: int | None = Field(None, ge=1, description="Units to be quoted.")


class ProductArgs(BaseModel):
    product: str | None = Field(None, description="Product name as typed.")
    top_n: int | None = Field(None, ge=1, le=50, description="How many to list.")


class HealthArgs(BaseModel):
    model: str | None = Field(
        None, description="A family (churn, clv, forecast, segments) or a forecaster."
    )


class DraftArgs(CustomerArgs):
    items: list[ItemArgs] = Field(min_length=1, description="The quote's lines.")
    discount_pct: float | None = Field(
        None, ge=0, lt=100, description="Discount in percent, e.g. 10 for 10% off."
    )


class SubscriptionArgs(BaseModel):
    action: Literal["subscribe", "list", "stop"] | None = Field(
        None, description="Start a report (default), list them, or stop one."
    )
    report: str | None = Field(
        None, description="The report in words, e.g. 'forecast'."
    )
    frequency: str | None = Field(
        None, description="'daily', 'weekly', 'weekly:monday' or 'monthly'."
    )
    channel: str | None = Field(None, description="A Slack channel id or '#name'.")


TOOL_SCHEMAS: dict[str, tuple[Callable[..., ToolResult], type[BaseModel]]] = {
    "churn_risk_list": (churn_risk_list, TopNArgs),
    "churn_explain": (churn_explain, CustomerArgs),
    "revenue_forecast": (revenue_forecast, ForecastArgs),
    "customer_segments": (customer_segments, OptionalCustomerArgs),
    "customer_value": (customer_value, ValueArgs),
    "price_suggestion": (price_suggestion, PriceArgs),
    "quote_anomalies": (quote_anomalies, AnomalyArgs),
    "quote_lookup": (quote_lookup, QuoteLookupArgs),
    "customer_sentiment": (customer_sentiment, CustomerArgs),
    "product_recommendations": (product_recommendations, RecommendArgs),
    "bought_together": (bought_together, ProductArgs),
    "sales_summary": (sales_summary, PeriodScopeArgs),
    "model_health": (model_health, HealthArgs),
    "draft_quote": (draft_quote, DraftArgs),
    "subscribe_snapshot": (subscribe_snapshot, SubscriptionArgs),
}


def tools_for(
    session: Session, requester: Requester, read_period: PeriodReader | None = None
) -> list[StructuredTool]:
    """Every tool, answering for ``requester`` from ``session``.

    ``read_period`` turns a period phrase into dates; without it, only periods
    given as dates are understood.
    """
    return [
        _structured(name, function, schema, session, requester, read_period)
        for name, (function, schema) in TOOL_SCHEMAS.items()
    ]


def result_of(tool: StructuredTool, arguments: dict[str, Any]) -> ToolResult:
    """Run one tool on the arguments a model chose, and return its ``ToolResult``."""
    call = {"type": "tool_call", "id": "call", "name": tool.name, "args": arguments}
    return tool.invoke(call).artifact


def _structured(name, function, schema, session, requester, read_period):
    def run(**arguments: Any) -> tuple[str, ToolResult]:
        try:
            typed = _tool_arguments(arguments, read_period)
            result = function(session, requester, **typed)
        except ToolError as error:
            logger.info("tool %s refused: %s", name, error)
            result = ToolResult(intent="error", summary=str(error))
        return _content(result), result

    return StructuredTool.from_function(
        run,
        name=name,
        description=inspect.getdoc(function),
        args_schema=schema,
        response_format="content_and_artifact",
    )


def _tool_arguments(arguments: dict[str, Any], read_period) -> dict[str, Any]:
    """Schema values as the tool takes them; absent ones keep the tool's default."""
    typed = {key: value for key, value in arguments.items() if value is not None}
    if "period" in typed:
        typed["period"] = _period(typed["period"], read_period)
    if "items" in typed:
        typed["items"] = [(item.product, item.quantity) for item in typed["items"]]
    return typed


def _period(given: PeriodArgs, read_period: PeriodReader | None) -> Period:
    if given.start and given.end:
        if given.end <= given.start:
            raise ToolError(
                f"A period must end after it starts; got {given.start} to {given.end}."
            )
        label = given.phrase or f"{given.start:%d %b %Y} to {given.end:%d %b %Y}"
        return Period(given.start, given.end, label)
    period = read_period(given.phrase) if read_period and given.phrase else None
    if period is None:
        raise ToolError(
            f"I could not tell which days '{given.phrase or ''}' means. Give a "
            "start and end date, or say e.g. 'last month' or 'Q3 2026'."
        )
    return period


def _content(result: ToolResult) -> str:
    """The answer as text for the model: the summary, then its notes."""
    return "\n".join((result.summary, *result.notes))
