"""Tools whose arguments differ from the entities' shape, adapted to take them.

``bot.answer.run_intent`` calls a tool with the entities named like its
parameters; a quote's lines arrive as ``items`` of ``{"product", "quantity"}``
(or as one ``product`` with its ``quantity``) while ``tools.drafts`` takes
``(product, quantity)`` pairs.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from tools.drafts import draft_quote
from tools.errors import ToolError
from tools.people import Requester
from tools.results import ToolResult


def draft_from_entities(
    session: Session,
    requester: Requester,
    customer: str | None = None,
    items: list[dict] | None = None,
    product: str | None = None,
    quantity: int | None = None,
    discount_pct: float | None = None,
) -> ToolResult:
    """Draft a quote from the entities of one message; say what is missing."""
    if not customer:
        raise ToolError(
            "Which customer is the quote for? Ask for example 'draft a quote for "
            "Acme Corp with 10 Gateway Hubs'."
        )
    lines = [(item["product"], int(item["quantity"])) for item in items or []]
    if not lines and product:
        lines = [(product, quantity or 1)]
    return draft_quote(
        session, requester, customer, lines, discount_pct=discount_pct or None
    )
