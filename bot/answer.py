"""From a message to a ``ToolResult``: classify, extract, call the tool.

Every surface (Slack, the CLI, the playground) goes through ``answer`` so they
all say the same thing.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable

from sqlalchemy.orm import Session

from bot.entity_tools import draft_from_entities
from bot.llm_router import route as route_with_llm
from bot.nlu import Classification, classify
from bot.nlu.entities import extract_entities
from storage.models import AuditEntry
from tools.anomalies import quote_anomalies
from tools.churn import churn_explain, churn_risk_list
from tools.errors import ToolError
from tools.forecast import revenue_forecast
from tools.health import model_health
from tools.names import store_vocabulary
from tools.people import Requester
from tools.pricing import price_suggestion
from tools.quotes import quote_lookup
from tools.recommend import bought_together, product_recommendations
from tools.results import Action, ToolResult
from tools.sales import sales_summary
from tools.segments import customer_segments
from tools.sentiment import customer_sentiment
from tools.value import customer_value

logger = logging.getLogger(__name__)

CAPABILITIES = (
    (
        "churn_risk_list",
        "which of your accounts are at risk of churning, and why",
        "what's my churn risk list",
    ),
    (
        "revenue_forecast",
        "what you will book in the coming weeks, with a chart and how sure it is",
        "forecast revenue for the next 90 days",
    ),
    (
        "churn_explain",
        "why one account is at risk, in its own numbers",
        "why is Northwind flagged?",
    ),
    (
        "customer_value",
        "what an account, or your top accounts, will be worth going forward",
        "who are my most valuable customers going forward?",
    ),
    (
        "customer_segments",
        "the kinds of customer you sell to, and which kind an account is",
        "show our customer segments",
    ),
    (
        "quote_anomalies",
        "which quotes are unusual for their account or rep, and why",
        "any unusual quotes last month?",
    ),
    (
        "price_suggestion",
        "the discount to offer an account on a product, and why",
        "what discount should I give Acme Corp on the Analytics Suite?",
    ),
    (
        "quote_lookup",
        "where a quote stands, or your open quotes, each in one sentence",
        "my open quotes",
    ),
    (
        "customer_sentiment",
        "how an account feels about us, from the notes reps wrote",
        "how does Acme Corp feel about us?",
    ),
    (
        "product_recommendations",
        "what else to offer an account, each suggestion with its reason",
        "what else can I sell to Acme Corp?",
    ),
    (
        "bought_together",
        "which products are bought together, overall or with one product",
        "what goes with the Gateway Hub?",
    ),
    (
        "sales_summary",
        "how a period went: revenue, win rate, discounts and top products",
        "how did we do last month?",
    ),
    (
        "model_health",
        "how accurate the models are and when they were trained",
        "how accurate are the models?",
    ),
)
INTENT_LABELS = {
    "churn_risk_list": "Show at-risk accounts",
    "revenue_forecast": "Forecast revenue",
    "customer_segments": "Show customer segments",
    "customer_value": "Show top customers by value",
    "price_suggestion": "Suggest a discount",
    "quote_anomalies": "Show unusual quotes",
    "quote_lookup": "Show my open quotes",
    "customer_sentiment": "Read an account's mood",
    "product_recommendations": "Suggest products for an account",
    "bought_together": "Show products bought together",
    "sales_summary": "Summarise sales",
    "model_health": "Check model accuracy",
    "help": "See what I can do",
}

TOOLS: dict[str, Callable[..., ToolResult]] = {
    "churn_risk_list": churn_risk_list,
    "churn_explain": churn_explain,
    "revenue_forecast": revenue_forecast,
    "customer_segments": customer_segments,
    "customer_value": customer_value,
    "price_suggestion": price_suggestion,
    "quote_anomalies": quote_anomalies,
    "quote_lookup": quote_lookup,
    "customer_sentiment": customer_sentiment,
    "product_recommendations": product_recommendations,
    "bought_together": bought_together,
    "sales_summary": sales_summary,
    "model_health": model_health,
    "draft_quote": draft_from_entities,
}


def answer(
    session: Session, requester: Requester, text: str, surface: str = "cli"
) -> ToolResult:
    """Answer a message as the bot would, and note who asked in the audit log."""
    result = route_with_llm(session, requester, text)
    if result is not None:
        audit(session, requester, surface, text, result)
        return result
    classification = classify(text)
    if classification.is_confident or classification.intent in ("help", "out_of_scope"):
        entities = extract_entities(text, store_vocabulary(session))
        result = run_intent(session, requester, classification.intent, entities)
    else:
        result = clarification_result(classification)
    audit(session, requester, surface, text, result)
    return result


def run_intent(
    session: Session, requester: Requester, intent: str, entities: dict
) -> ToolResult:
    """Call the tool behind ``intent``; a refusal becomes an answer, not a crash."""
    if intent == "help":
        return help_result()
    if intent not in TOOLS:
        return refusal_result()
    tool = TOOLS[intent]
    accepted = inspect.signature(tool).parameters
    try:
        return tool(
            session, requester, **{k: v for k, v in entities.items() if k in accepted}
        )
    except ToolError as error:
        logger.info("tool %s refused: %s", intent, error)
        return ToolResult(intent="error", summary=str(error))


def audit(session, requester: Requester, surface: str, text: str, result: ToolResult):
    outcome = "error" if result.intent == "error" else "ok"
    session.add(
        AuditEntry(
            rep_id=requester.rep_id,
            surface=surface,
            intent=result.intent,
            text=text[:2000],
            outcome=outcome,
        )
    )


def help_result() -> ToolResult:
    lines = [f"• {what}, e.g. _{example}_" for _, what, example in CAPABILITIES]
    return ToolResult(
        intent="help",
        summary="I answer sales questions from your team's quotes. I can tell you:",
        notes=tuple(lines),
        follow_ups=tuple(example for *_, example in CAPABILITIES),
    )


def refusal_result() -> ToolResult:
    whats = ", ".join(what for _, what, _ in CAPABILITIES)
    return ToolResult(
        intent="out_of_scope",
        summary=f"Sorry, that's outside what I can help with. I can tell you {whats}.",
        follow_ups=("help",),
    )


def clarification_result(classification: Classification) -> ToolResult:
    candidates = [(classification.intent, classification.confidence)]
    candidates += list(classification.alternatives)
    actions = tuple(
        Action(INTENT_LABELS[name], f"clarify_{name}", name)
        for name, _ in candidates[:3]
        if name in INTENT_LABELS
    )
    return ToolResult(
        intent="clarify",
        summary="I'm not sure what you need. Did you mean one of these?",
        actions=actions,
        data={"candidates": candidates[:3]},
    )
