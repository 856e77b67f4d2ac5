"""Drafting a quote by name, checked against what is usual before it is sent.

``draft_quote`` finds the customer and each product by the names a person
typed (close names are suggested when unsure), checks the asker may quote
that account, writes the draft atomically (``storage.drafts``) and scores
it with the trained anomaly model (``tools.anomalies.check_quote``). An
unusual draft comes back with the warning in words and numbers ("8.0 times
Acme Corp's usual quote"); an ordinary one says it was checked; before any
training it says plainly that it could not be checked.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy.orm import Session

from storage.drafts import DraftError, create_draft_quote
from storage.models import Quote
from tools.anomalies import QuoteCheck, check_quote
from tools.customers import find_customer
from tools.errors import AccessError, ToolError
from tools.money import money_formatter
from tools.people import Requester, account_scope
from tools.products import find_product
from tools.results import Action, Column, ToolResult

logger = logging.getLogger(__name__)

COLUMNS = (
    Column("product", "Product"),
    Column("quantity", "Qty"),
    Column("unit_price", "Unit price"),
    Column("line_total", "Line total"),
)
NOT_CHECKED = (
    "Not checked against your usual quotes: no anomaly model is trained yet "
    "(run `quotebot train`)."
)

Item = Sequence[object]
"""A line as typed: ``(product name or SKU, quantity[, unit price])``."""


def draft_quote(
    session: Session,
    requester: Requester,
    customer: str,
    items: Sequence[Item],
    discount_pct: float | None = None,
    idempotency_key: str | None = None,
) -> ToolResult:
    """Create a draft quote for a customer and warn when it looks unusual.

    Use for "draft a quote for Acme with 10 Gateway Hubs at 5% off".
    ``customer`` and each product are names (or SKUs) as typed; ``items`` are
    ``(product, quantity)`` or ``(product, quantity, unit price)``, at list
    price when none is given. The draft is checked against the account's and
    the rep's usual quotes and list prices; an unusual one carries the
    warning with its reasons. A retry with the same ``idempotency_key``
    returns the draft already made.
    """
    match = find_customer(session, customer)
    scope = account_scope(session, requester, "team")
    if scope.rep_ids is not None and match.owner_rep_id not in scope.rep_ids:
        raise AccessError(
            f"{match.name} is not one of your accounts, so you cannot quote it."
        )
    lines = [draft_line(session, item) for item in items]
    if not lines:
        raise ToolError(
            f"What should the quote to {match.name} include? Name a product and "
            "a quantity."
        )

    try:
        quote = create_draft_quote(
            session,
            customer_id=match.id,
            rep_id=requester.rep_id,
            items=lines,
            discount_pct=discount_pct,
            idempotency_key=idempotency_key,
        )
    except DraftError as error:
        raise ToolError(str(error)) from error
    check = check_quote(session, quote.id)
    return _result(quote, match.name, check)


def draft_line(session: Session, item: Item) -> tuple[int, int, Decimal | None]:
    """A line as typed, as ``(product id, quantity, unit price or None)``."""
    if isinstance(item, str) or len(item) not in (2, 3):
        raise ToolError(
            f"Each quote line needs a product and a quantity; got {item!r}."
        )
    product = find_product(session, str(item[0]))
    price = Decimal(str(item[2])) if len(item) == 3 and item[2] is not None else None
    return product.id, item[1], price


def _result(quote: Quote, customer: str, check: QuoteCheck | None) -> ToolResult:
    money = money_formatter(quote.currency)
    summary = (
        f"Draft {quote.quote_number} for {customer}: {len(quote.items)} "
        f"line{'s' if len(quote.items) != 1 else ''}, total {money(float(quote.total))}"
        + (
            f" after a {float(quote.discount_pct):g}% discount."
            if quote.discount_pct
            else "."
        )
    )
    warning = check is not None and check.stands_out
    if warning:
        summary += f" Check it before sending: {check.sentence}"
    return ToolResult(
        intent="draft_quote",
        summary=summary,
        columns=COLUMNS,
        rows=tuple(_row(item, money) for item in quote.items),
        notes=(NOT_CHECKED if check is None else check.sentence,),
        actions=(Action("Open the draft", "open_quote", quote.quote_number),),
        data={
            "quote_number": quote.quote_number,
            "quote_id": quote.id,
            "customer": customer,
            "status": str(quote.status),
            "currency": quote.currency,
            "total": float(quote.total),
            "checked": check is not None,
            "unusual": warning,
            "unusual_than": None if check is None else round(check.unusual_than, 4),
            "reasons": [] if check is None else list(check.reasons),
        },
    )


def _row(item, money) -> dict:
    return {
        "product": item.product.name,
        "quantity": item.quantity,
        "unit_price": money(float(item.unit_price)),
        "line_total": money(float(item.line_total)),
    }
