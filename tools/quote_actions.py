"""Acting on one quote: reading it as a card, sending, deciding, revising, discarding.

Every function finds the quote by its number and lets only the rep who owns
it (the quote's rep, else the account owner), a manager of that rep's team
or an admin see it or act on it; anyone else gets an ``AccessError``.

Actions are safe to repeat. Each locks the quote's row (``SELECT ... FOR
UPDATE``; on SQLite, which has no row locks, a no-op write takes the
database's write lock first) before it reads the status, so of two clicks
at once the second waits for the first and then finds the work done. A
repeat changes nothing and says who did it and when: the actions are written
to the audit log (intent ``quote_sent``, ``quote_won``, ``quote_lost``,
``quote_discard`` or ``quote_edit``, the quote number as text), which is
where "already marked sent by Alex Rivera" comes from.

Discarding keeps the row: the draft becomes ``cancelled`` with its lines and
number, so the number sequence has no holes and the audit log still points
at something; cancelled quotes count in no answer, model or pricing arm.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.drafts import DraftError, revise_draft_quote
from storage.models import AuditEntry, Product, Quote, QuoteStatus, SalesRep
from storage.pricing_state import record_quote_decision
from tools.anomalies import QuoteCheck, check_quote
from tools.drafts import Item, draft_line
from tools.errors import AccessError, ToolError
from tools.money import exact_money
from tools.people import Requester, account_scope
from tools.quotes import UnknownQuoteError

logger = logging.getLogger(__name__)

OPEN_STATUSES = (QuoteStatus.DRAFT, QuoteStatus.SENT)
STATUS_PHRASES = {
    QuoteStatus.DRAFT: "still a draft",
    QuoteStatus.SENT: "marked sent",
    QuoteStatus.ACCEPTED: "marked won",
    QuoteStatus.REJECTED: "marked lost",
    QuoteStatus.EXPIRED: "expired",
    QuoteStatus.CANCELLED: "discarded",
}
ACTION_OF_STATUS = {
    QuoteStatus.SENT: "quote_sent",
    QuoteStatus.ACCEPTED: "quote_won",
    QuoteStatus.REJECTED: "quote_lost",
    QuoteStatus.CANCELLED: "quote_discard",
}
DONE = "changed"


@dataclass(frozen=True)
class QuoteLine:
    product: str
    sku: str
    quantity: int
    unit_price: Decimal
    line_total: Decimal


@dataclass(frozen=True)
class QuoteCard:
    """What a quote card shows; ``status`` is a ``QuoteStatus`` value."""

    quote_number: str
    customer: str
    rep: str | None
    status: str
    currency: str
    created_at: dt.datetime
    valid_until: dt.date | None
    lines: tuple[QuoteLine, ...]
    subtotal: Decimal
    discount_pct: Decimal
    total: Decimal
    suggestion: str | None  # the suggested discount with its reason, one sentence
    warning: str | None  # why the quote stands out, when it does
    checked: bool  # False when no anomaly model is trained
    status_note: str | None = None  # who moved it to its status, and when


@dataclass(frozen=True)
class QuoteChange:
    """What an action did: ``changed`` False when there was nothing to do."""

    quote_number: str
    changed: bool
    message: str


def quote_card(
    session: Session, requester: Requester, quote_number: str, *, assess: bool = True
) -> QuoteCard:
    """The quote as a card shows it: lines, totals, suggestion and warning.

    Open quotes (drafts and sent ones) are checked against the trained anomaly
    model; drafts also get the discount pricing would suggest for their main
    line, for the quote's own rep, so the card reads the same to everyone.
    ``assess`` False skips both (``checked`` is then False), for a quick read
    of the lines, as an edit form or a PDF needs.
    """
    quote = _find(session, quote_number)
    _check_access(session, requester, quote, "see it")

    assessed = assess and quote.status in OPEN_STATUSES
    check = check_quote(session, quote.id) if assessed else None
    warning = check.sentence if check is not None and check.stands_out else None
    return QuoteCard(
        quote_number=quote.quote_number,
        customer=quote.customer.name,
        rep=_rep(quote).name if _rep(quote) else None,
        status=quote.status,
        currency=quote.currency,
        created_at=quote.created_at,
        valid_until=quote.valid_until,
        lines=tuple(_card_line(item) for item in quote.items),
        subtotal=quote.subtotal,
        discount_pct=quote.discount_pct,
        total=quote.total,
        suggestion=_suggestion(session, quote) if assess else None,
        warning=warning,
        checked=check is not None,
        status_note=_status_note(session, quote),
    )


def mark_sent(
    session: Session, requester: Requester, quote_number: str, *, surface: str = "tool"
) -> QuoteChange:
    """Mark a draft as sent to the customer; a sent quote is left as it is."""
    quote = _locked(session, requester, quote_number, "mark it sent")
    if quote.status != QuoteStatus.DRAFT:
        return _unchanged(session, quote, "marked sent")

    quote.status = QuoteStatus.SENT
    _audit(session, requester, quote, "quote_sent", surface)
    return QuoteChange(
        quote.quote_number, True, f"{quote.quote_number} is marked sent."
    )


def discard_draft(
    session: Session, requester: Requester, quote_number: str, *, surface: str = "tool"
) -> QuoteChange:
    """Discard a draft: it becomes ``cancelled``, its lines kept, counted nowhere.

    Only drafts can be discarded; a sent quote is won or lost instead.
    """
    quote = _locked(session, requester, quote_number, "discard it")
    if quote.status != QuoteStatus.DRAFT:
        return _unchanged(session, quote, "discarded")

    quote.status = QuoteStatus.CANCELLED
    _audit(session, requester, quote, "quote_discard", surface)
    return QuoteChange(quote.quote_number, True, f"{quote.quote_number} is discarded.")


def record_outcome(
    session: Session,
    requester: Requester,
    quote_number: str,
    won: bool,
    *,
    surface: str = "tool",
) -> QuoteChange:
    """Record that the customer accepted (won) or rejected (lost) a sent quote.

    The decision moves the pricing bandit's counts in the same transaction
    (``storage.pricing_state.record_quote_decision``). A decided quote stays
    decided: a second click, even on the other button, changes nothing.
    """
    quote = _locked(session, requester, quote_number, "mark it won or lost")
    outcome = "won" if won else "lost"
    if quote.status != QuoteStatus.SENT:
        return _unchanged(session, quote, f"marked {outcome}")

    status = QuoteStatus.ACCEPTED if won else QuoteStatus.REJECTED
    record_quote_decision(session, quote.id, status)
    _audit(session, requester, quote, ACTION_OF_STATUS[status], surface)
    return QuoteChange(
        quote.quote_number, True, f"{quote.quote_number} is marked {outcome}."
    )


def revise_draft(
    session: Session,
    requester: Requester,
    quote_number: str,
    items: Sequence[Item],
    discount_pct: float | None = None,
    *,
    surface: str = "tool",
) -> QuoteChange:
    """Replace a draft's lines and discount, then check it again for anything odd.

    ``items`` are as for ``tools.drafts.draft_quote``: ``(product name or SKU,
    quantity[, unit price])``; ``discount_pct`` None keeps the discount. A
    product already on the draft keeps the unit price it was quoted at unless
    the item gives one, so changing a quantity never reprices a line; a new
    product comes at list price. The lines and totals change in one
    transaction or not at all. The same lines again change nothing.
    """
    quote = _locked(session, requester, quote_number, "change it")
    if quote.status != QuoteStatus.DRAFT:
        return _unchanged(session, quote, "changed")
    lines = _keeping_prices(quote, [draft_line(session, item) for item in items])
    if not lines:
        raise ToolError(
            f"What should {quote.quote_number} include? Name a product and a quantity."
        )
    if _same(session, quote, lines, discount_pct):
        return QuoteChange(
            quote.quote_number, False, f"{quote.quote_number} already has these lines."
        )

    try:
        revise_draft_quote(session, quote, lines, discount_pct)
    except DraftError as error:
        raise ToolError(str(error)) from error
    _audit(session, requester, quote, "quote_edit", surface)
    check = check_quote(session, quote.id)
    return QuoteChange(quote.quote_number, True, _revised(quote, check))


def _find(session: Session, quote_number: str, lock: bool = False) -> Quote:
    stmt = select(Quote).where(Quote.quote_number.in_(_spellings(quote_number)))
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    quote = session.scalar(stmt)
    if quote is None:
        raise UnknownQuoteError(
            f"No quote is numbered {quote_number.strip()}. Quote numbers look like "
            'Q-2026-0042; ask for "my open quotes" to see yours.'
        )
    return quote


def _locked(session: Session, requester: Requester, number: str, what: str) -> Quote:
    """The quote, its row locked to the end of the transaction, if one may act."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            update(Quote)
            .where(Quote.quote_number.in_(_spellings(number)))
            .values(status=Quote.status)
            .execution_options(synchronize_session=False)
        )
    quote = _find(session, number, lock=True)
    _check_access(session, requester, quote, what)
    return quote


def _spellings(quote_number: str) -> list[str]:
    """The number as typed and in capitals, so the unique index finds it."""
    typed = quote_number.strip()
    return [typed, typed.upper()]


def _check_access(session, requester: Requester, quote: Quote, what: str) -> None:
    owner = _rep(quote)
    scope = account_scope(session, requester, "team")
    if scope.rep_ids is None or (owner is not None and owner.id in scope.rep_ids):
        return
    whose = f"{owner.name}'s quote" if owner else "an unassigned quote"
    who = f"{owner.name} or their manager" if owner else "a manager"
    raise AccessError(f"{quote.quote_number} is {whose}, so only {who} can {what}.")


def _rep(quote: Quote) -> SalesRep | None:
    return quote.rep or quote.customer.owner


def _unchanged(session: Session, quote: Quote, tried: str) -> QuoteChange:
    """Nothing to do: say what the quote already is, by whom and when."""
    number, status = quote.quote_number, quote.status
    note = _status_note(session, quote)
    by = f" {note}" if note else ""
    if status == QuoteStatus.DRAFT:
        message = (
            f"{number} is still a draft, so it cannot be {tried}; mark it sent first."
        )
    elif STATUS_PHRASES[status] == tried:
        message = f"{number} was already {tried}{by}."
    else:
        message = f"{number} was {STATUS_PHRASES[status]}{by}, so it cannot be {tried}."
    return QuoteChange(number, False, message)


def _status_note(session: Session, quote: Quote) -> str | None:
    """'by Alex Rivera on 4 Dec 2026 at 09:30 UTC', from the audit log."""
    action = ACTION_OF_STATUS.get(quote.status)
    if action is None:
        return None
    row = session.execute(
        select(SalesRep.name, AuditEntry.at)
        .join(SalesRep, AuditEntry.rep_id == SalesRep.id, isouter=True)
        .where(
            AuditEntry.intent == action,
            AuditEntry.text == quote.quote_number,
            AuditEntry.outcome == DONE,
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return _on(quote.decided_at) if quote.decided_at else None
    name, at = row
    return f"by {name} {_on(at)}" if name else _on(at)


def _on(at: dt.datetime) -> str:
    return f"on {at:%-d %b %Y} at {at:%H:%M} UTC"


def _audit(session, requester: Requester, quote: Quote, action: str, surface: str):
    session.add(
        AuditEntry(
            rep_id=requester.rep_id,
            surface=surface,
            intent=action,
            text=quote.quote_number,
            outcome=DONE,
        )
    )
    session.flush()
    logger.info("%s: %s by rep %s", action, quote.quote_number, requester.rep_id)


def _keeping_prices(quote: Quote, lines: list[tuple]) -> list[tuple]:
    """``draft_line`` lines, those without a price at the price the quote has."""
    quoted = {item.product_id: item.unit_price for item in quote.items}
    return [
        (product_id, quantity, quoted.get(product_id) if price is None else price)
        for product_id, quantity, price in lines
    ]


def _same(session, quote: Quote, lines, discount_pct) -> bool:
    """Whether the lines (as ``draft_line`` reads them) and discount are the quote's."""
    if discount_pct is not None and Decimal(str(discount_pct)) != quote.discount_pct:
        return False
    current = [(i.product_id, i.quantity, i.unit_price) for i in quote.items]
    wanted = [
        (product_id, quantity, session.get(Product, product_id).list_price)
        if price is None
        else (product_id, quantity, price)
        for product_id, quantity, price in lines
    ]
    return current == wanted


def _revised(quote: Quote, check: QuoteCheck | None) -> str:
    count = len(quote.items)
    message = (
        f"{quote.quote_number} now has {count} line{'s' if count != 1 else ''}, "
        f"total {exact_money(quote.total, quote.currency)}."
    )
    if check is not None and check.stands_out:
        message += f" Check it before sending: {check.sentence}"
    return message


def _card_line(item) -> QuoteLine:
    return QuoteLine(
        product=item.product.name,
        sku=item.product.sku,
        quantity=item.quantity,
        unit_price=item.unit_price,
        line_total=item.line_total,
    )


def _suggestion(session: Session, quote: Quote) -> str | None:
    """The discount pricing suggests on a draft's main line, with its reason.

    The main line is the one of the largest list value; the suggestion is
    the one the quote's rep would get (their role sets the discount limit).
    None before pricing has learned anything, or for an unassigned quote.
    """
    owner = _rep(quote)
    if quote.status != QuoteStatus.DRAFT or not quote.items or owner is None:
        return None
    from tools.pricing import ROLE_NAMES, price_suggestion

    main = max(quote.items, key=lambda item: item.quantity * item.product.list_price)
    rep = Requester(owner.id, owner.name, owner.email, owner.role, owner.team)
    try:
        result = price_suggestion(
            session, rep, quote.customer.name, main.product.sku, main.quantity
        )
    except ToolError as error:
        logger.info("no price suggestion for %s: %s", quote.quote_number, error)
        return None
    limit = f" {ROLE_NAMES.get(owner.role, 'Reps')} may give at most"
    return result.summary.partition(limit)[0]
