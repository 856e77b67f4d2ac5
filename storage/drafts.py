"""Draft quotes, written whole or not at all, and once per idempotency key.

``create_draft_quote`` checks every line before it writes anything, then
inserts the quote (status ``draft``, the next number of the year from
``storage.quote_numbers``, totals from ``storage.quote_math``) and its lines
inside a SAVEPOINT: if any step fails, the quote, its lines and the number
counter go back to where they were, and the caller's own work in the same
transaction is kept. A retry with the same ``idempotency_key`` (Slack resends
a slash command it saw no answer to) gets the quote the first call created,
even when both calls raced.

SQLite's Python driver opens its transaction lazily, at the first write; a
SAVEPOINT issued before that would start the transaction itself and commit
it on release, so on SQLite a no-op write opens the transaction first.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import false, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.errors import StorageError
from storage.models import (
    Customer,
    Product,
    Quote,
    QuoteItem,
    QuoteNumberCounter,
    QuoteStatus,
    SalesRep,
    utcnow,
)
from storage.quote_math import line_total, quote_totals
from storage.quote_numbers import next_quote_number

logger = logging.getLogger(__name__)

VALID_DAYS = 30
SOURCE = "bot"


class DraftError(StorageError):
    """A draft's input cannot make a quote; the message says which part and why."""


@dataclass(frozen=True)
class DraftLine:
    """One line to quote: ``unit_price`` None takes the product's list price."""

    product_id: int
    quantity: int
    unit_price: Decimal | None = None


LineInput = DraftLine | tuple[int, int] | tuple[int, int, Decimal | None]


def create_draft_quote(
    session: Session,
    *,
    customer_id: int,
    rep_id: int | None,
    items: Iterable[LineInput],
    discount_pct: Decimal | float | int | None = None,
    notes: str | None = None,
    idempotency_key: str | None = None,
) -> Quote:
    """Insert a draft quote and its lines atomically; return it (flushed).

    ``items`` are ``(product_id, quantity, unit_price or None)`` tuples or
    ``DraftLine``. With an ``idempotency_key`` already used, the quote created
    under it is returned and nothing is written. Raises ``DraftError`` for
    an unknown customer, rep or product, a quantity below 1, a negative
    price, a discount outside 0 to 100, or no lines at all.
    """
    if idempotency_key and (existing := quote_by_key(session, idempotency_key)):
        logger.info("draft %s already exists for this request", existing.quote_number)
        return existing

    lines = [_line(item) for item in items]
    priced = _priced(session, lines)
    discount = _discount(discount_pct)
    _check_parties(session, customer_id, rep_id)
    try:
        with _savepoint(session):
            quote = _write(
                session, customer_id, rep_id, priced, discount, notes, idempotency_key
            )
    except IntegrityError:
        if idempotency_key and (existing := quote_by_key(session, idempotency_key)):
            return existing
        raise
    logger.info("drafted quote %s with %s lines", quote.quote_number, len(priced))
    return quote


def revise_draft_quote(
    session: Session,
    quote: Quote,
    items: Iterable[LineInput],
    discount_pct: Decimal | float | int | None = None,
) -> Quote:
    """Replace a draft's lines and totals atomically; return it (flushed).

    Lines are checked exactly as for a new draft before anything is written;
    ``discount_pct`` None keeps the draft's discount. The old lines are
    deleted and the new ones inserted inside a SAVEPOINT, so a failure leaves
    the draft as it was. Raises ``DraftError`` for a quote that is no longer
    a draft, or for lines ``create_draft_quote`` would refuse.
    """
    if quote.status != QuoteStatus.DRAFT:
        raise DraftError(
            f"{quote.quote_number} is {quote.status}, not a draft; only drafts "
            "can be changed."
        )
    priced = _priced(session, [_line(item) for item in items])
    discount = quote.discount_pct if discount_pct is None else _discount(discount_pct)
    totals = [line_total(quantity, price, Decimal(0)) for _, quantity, price in priced]

    with _savepoint(session):
        quote.items = [
            QuoteItem(
                product_id=product.id,
                quantity=quantity,
                unit_price=price,
                line_total=amount,
            )
            for (product, quantity, price), amount in zip(priced, totals, strict=True)
        ]
        quote.discount_pct = discount
        quote.subtotal, quote.total = quote_totals(totals, discount)
        session.flush()
    logger.info("revised draft %s to %s lines", quote.quote_number, len(priced))
    return quote


def _write(session, customer_id, rep_id, priced, discount, notes, key) -> Quote:
    created_at = utcnow()
    totals = [line_total(quantity, price, Decimal(0)) for _, quantity, price in priced]
    subtotal, total = quote_totals(totals, discount)
    quote = Quote(
        quote_number=next_quote_number(session, created_at.year),
        customer_id=customer_id,
        rep_id=rep_id,
        status=QuoteStatus.DRAFT,
        created_at=created_at,
        valid_until=created_at.date() + dt.timedelta(days=VALID_DAYS),
        subtotal=subtotal,
        discount_pct=discount,
        total=total,
        notes=notes,
        source=SOURCE,
        idempotency_key=key,
    )
    session.add(quote)
    session.flush()
    _add_items(session, quote, priced, totals)
    return quote


def _add_items(session, quote: Quote, priced, totals) -> None:
    for (product, quantity, price), amount in zip(priced, totals, strict=True):
        session.add(
            QuoteItem(
                quote_id=quote.id,
                product_id=product.id,
                quantity=quantity,
                unit_price=price,
                line_total=amount,
            )
        )
    session.flush()


def _line(item: LineInput) -> DraftLine:
    if isinstance(item, DraftLine):
        return item
    if not isinstance(item, Sequence) or len(item) not in (2, 3):
        raise DraftError(
            f"A quote line must be (product_id, quantity[, unit_price]); got {item!r}."
        )
    return DraftLine(*item)


def _priced(session, lines: list[DraftLine]) -> list[tuple[Product, int, Decimal]]:
    """Each line with its product, checked quantity and unit price."""
    if not lines:
        raise DraftError("A quote needs at least one line; add a product and quantity.")
    ids = {line.product_id for line in lines}
    products = {
        p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids)))
    }
    priced = []
    for number, line in enumerate(lines, 1):
        product = products.get(line.product_id)
        if product is None:
            raise DraftError(f"Line {number}: no product has id {line.product_id}.")
        priced.append((product, _quantity(number, line), _price(number, line, product)))
    return priced


def _quantity(number: int, line: DraftLine) -> int:
    quantity = line.quantity
    if isinstance(quantity, bool) or int(quantity) != quantity or quantity < 1:
        raise DraftError(
            f"Line {number}: the quantity must be a whole number of at least 1; "
            f"got {quantity!r}."
        )
    return int(quantity)


def _price(number: int, line: DraftLine, product: Product) -> Decimal:
    if line.unit_price is None:
        return Decimal(product.list_price)
    price = _decimal(line.unit_price, f"Line {number}: the unit price")
    if price < 0:
        raise DraftError(
            f"Line {number}: the unit price cannot be negative; got {price}."
        )
    return price


def _discount(discount_pct) -> Decimal:
    if discount_pct is None:
        return Decimal(0)
    discount = _decimal(discount_pct, "The discount")
    if not 0 <= discount <= 100:
        raise DraftError(f"The discount must be between 0 and 100 %; got {discount}.")
    return discount.quantize(Decimal("0.01"))


def _decimal(value, what: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation as error:
        raise DraftError(f"{what} must be a number; got {value!r}.") from error
    if not number.is_finite():
        raise DraftError(f"{what} must be a finite number; got {value!r}.")
    return number


def _check_parties(session, customer_id: int, rep_id: int | None) -> None:
    if session.get(Customer, customer_id) is None:
        raise DraftError(f"No customer has id {customer_id}.")
    if rep_id is not None and session.get(SalesRep, rep_id) is None:
        raise DraftError(f"No sales rep has id {rep_id}.")


def quote_by_key(session: Session, key: str) -> Quote | None:
    """The quote an earlier request with idempotency ``key`` created, if any."""
    return session.scalar(select(Quote).where(Quote.idempotency_key == key))


def _savepoint(session: Session):
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            update(QuoteNumberCounter)
            .where(false())
            .values(last_value=QuoteNumberCounter.last_value)
            .execution_options(synchronize_session=False)
        )
    return session.begin_nested()
