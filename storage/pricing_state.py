"""The pricing bandit's state: acceptance counts per segment, category and discount.

Each row of ``pricing_bandit_state`` is one arm: a discount level in one
market cell (customer segment, product category), with ``alpha = 1 +
accepted`` and ``beta = 1 + lost`` quotes, the Beta(1, 1) posterior of its
acceptance. Pooling across cells is the model's business
(``analytics.pricing``); the table holds only what each cell saw.

A quote counts once, in the arm of:

- its customer's segment, the name the latest "segments.kmeans" batch scores
  store in their details (``ALL_SEGMENTS`` when the customer has none);
- its main category, the one with the largest list value among its lines
  (``UNCATEGORISED`` when no line has one);
- its effective discount, ``1 - total / list value`` with the list value
  ``sum(quantity * unit_price)``, snapped to the nearest of
  ``DISCOUNT_LEVELS``; a quote further than half a step outside the grid
  (a price far above list, or far below the deepest level) counts nowhere.

Accepted quotes are successes; rejected and expired ones failures.
``rebuild_pricing_state`` recounts everything from the history;
``record_quote_decision`` decides one quote and moves its arm in the same
transaction. Every function works inside the caller's transaction and never
commits.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.errors import StorageError, UnknownRecordError
from storage.models import (
    Prediction,
    PricingBanditArm,
    Product,
    Quote,
    QuoteItem,
    QuoteStatus,
    utcnow,
)

logger = logging.getLogger(__name__)

DISCOUNT_LEVELS: tuple[float, ...] = (0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0)
DECIDED_STATUSES = (QuoteStatus.ACCEPTED, QuoteStatus.REJECTED, QuoteStatus.EXPIRED)
SEGMENT_SCORES_MODEL = "segments.kmeans"
ALL_SEGMENTS = "all"
UNCATEGORISED = "Uncategorised"
ARM_COLUMNS = ["segment", "category", "discount_pct", "accepted", "decided"]
QUOTE_COLUMNS = [
    "quote_id",
    "customer_id",
    "status",
    "accepted",
    "segment",
    "category",
    "discount_pct",
    "list_value",
    "created_at",
]


@dataclass(frozen=True)
class ArmKey:
    """The arm a quote counts in."""

    segment: str
    category: str
    discount_pct: float


def decided_quotes(session: Session) -> pd.DataFrame:
    """Every decided quote on the discount grid, with the arm it counts in.

    Returns
    -------
    DataFrame, shape (n_quotes, 9)
        ``quote_id, customer_id, status, accepted, segment, category,
        discount_pct, list_value, created_at``; ``discount_pct`` is the
        snapped level.
    """
    lines = _quote_lines(session, Quote.status.in_([s.value for s in DECIDED_STATUSES]))
    return quote_arms(lines, customer_segments(session))


def quote_arms(lines: pd.DataFrame, segments: dict[int, str]) -> pd.DataFrame:
    """One row per quote of ``lines``: its status, segment, category and level.

    Parameters
    ----------
    lines : DataFrame
        ``quote_id, customer_id, status, created_at, total, category,
        list_value``, one row per quote line (quote columns repeated).
    segments : dict of int to str
        Customer id to segment name.
    """
    if lines.empty:
        return pd.DataFrame(columns=QUOTE_COLUMNS)
    lines = lines.assign(category=lines["category"].fillna(UNCATEGORISED))
    by_category = lines.groupby(["quote_id", "category"], as_index=False)["list_value"]
    main = by_category.sum().sort_values(["quote_id", "list_value", "category"])
    main = main.drop_duplicates("quote_id", keep="last").set_index("quote_id")

    quotes = lines.groupby("quote_id").agg(
        customer_id=("customer_id", "first"),
        status=("status", "first"),
        created_at=("created_at", "first"),
        total=("total", "first"),
        list_value=("list_value", "sum"),
    )
    quotes["category"] = main["category"]
    quotes["discount_pct"] = snap_discounts(
        100.0 * (1.0 - quotes["total"] / quotes["list_value"].where(lambda v: v > 0))
    )
    quotes["accepted"] = quotes["status"] == QuoteStatus.ACCEPTED
    quotes["segment"] = [
        segments.get(int(c), ALL_SEGMENTS) for c in quotes["customer_id"]
    ]
    return quotes.dropna(subset=["discount_pct"]).reset_index()[QUOTE_COLUMNS]


def snap_discounts(discounts: pd.Series) -> pd.Series:
    """The nearest grid level of each discount; NaN off the grid or unknown."""
    grid = np.asarray(DISCOUNT_LEVELS)
    values = discounts.to_numpy(dtype=float)
    nearest = grid[np.abs(np.nan_to_num(values)[:, None] - grid[None]).argmin(axis=1)]
    half_step = (grid[1] - grid[0]) / 2
    on_grid = (values >= grid[0] - half_step) & (values <= grid[-1] + half_step)
    return pd.Series(np.where(on_grid, nearest, np.nan), index=discounts.index)


def customer_segments(session: Session) -> dict[int, str]:
    """Each segmented customer's segment name, from the latest batch of scores."""
    latest = (
        select(Prediction.created_at)
        .where(*_segment_filter())
        .order_by(Prediction.created_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Prediction.entity_id, Prediction.details).where(
            *_segment_filter(), Prediction.created_at == latest
        )
    )
    return {int(entity): _segment_name(details) for entity, details in rows}


def segment_of(session: Session, customer_id: int) -> str:
    """The customer's segment in the latest batch of scores, or ``ALL_SEGMENTS``."""
    details = session.scalar(
        select(Prediction.details)
        .where(*_segment_filter(), Prediction.entity_id == str(customer_id))
        .order_by(Prediction.created_at.desc())
        .limit(1)
    )
    return _segment_name(details)


def customer_lines(session: Session, customer_id: int) -> pd.DataFrame:
    """Every quote line of one customer: ``quote_id, product_id, category,
    quantity, list_value`` (category ``UNCATEGORISED`` where the product has
    none)."""
    stmt = (
        select(
            Quote.id.label("quote_id"),
            QuoteItem.product_id,
            Product.category,
            QuoteItem.quantity,
            (QuoteItem.quantity * QuoteItem.unit_price).label("list_value"),
        )
        .join(QuoteItem, QuoteItem.quote_id == Quote.id)
        .join(Product, QuoteItem.product_id == Product.id)
        .where(Quote.customer_id == customer_id)
    )
    frame = pd.read_sql(stmt, session.connection())
    frame["category"] = frame["category"].fillna(UNCATEGORISED)
    frame["list_value"] = frame["list_value"].astype(float)
    return frame


def category_cost_ratios(session: Session) -> dict[str, float]:
    """Median unit cost over list price of each category's costed products."""
    rows = session.execute(
        select(Product.category, Product.unit_cost, Product.list_price).where(
            Product.unit_cost.is_not(None), Product.list_price > 0
        )
    ).all()
    frame = pd.DataFrame(rows, columns=["category", "unit_cost", "list_price"])
    if frame.empty:
        return {}
    frame["category"] = frame["category"].fillna(UNCATEGORISED)
    ratio = frame["unit_cost"].astype(float) / frame["list_price"].astype(float)
    return {
        str(k): float(v) for k, v in ratio.groupby(frame["category"]).median().items()
    }


def load_arms(session: Session) -> pd.DataFrame:
    """The stored arms as counts: ``segment, category, discount_pct, accepted,
    decided`` (floats), one row per arm."""
    rows = session.execute(
        select(
            PricingBanditArm.segment,
            PricingBanditArm.category,
            PricingBanditArm.discount_pct,
            PricingBanditArm.alpha,
            PricingBanditArm.beta,
        ).order_by(
            PricingBanditArm.segment,
            PricingBanditArm.category,
            PricingBanditArm.discount_pct,
        )
    ).all()
    return pd.DataFrame(
        [
            (segment, category, float(level), alpha - 1.0, alpha + beta - 2.0)
            for segment, category, level, alpha, beta in rows
        ],
        columns=ARM_COLUMNS,
    )


def replace_arms(session: Session, arms: pd.DataFrame) -> int:
    """Replace every stored arm with ``arms`` (as ``load_arms`` returns them)."""
    session.execute(delete(PricingBanditArm))
    now = utcnow()
    rows = [
        {
            "segment": str(row.segment),
            "category": str(row.category),
            "discount_pct": Decimal(str(row.discount_pct)),
            "alpha": 1.0 + float(row.accepted),
            "beta": 1.0 + float(row.decided) - float(row.accepted),
            "updated_at": now,
        }
        for row in arms.itertuples(index=False)
    ]
    if rows:
        session.execute(insert(PricingBanditArm), rows)
    logger.info("stored %s pricing arms", len(rows))
    return len(rows)


def rebuild_pricing_state(session: Session) -> int:
    """Recount every arm from the decided quotes; returns the quotes counted."""
    quotes = decided_quotes(session)
    grouped = quotes.groupby(["segment", "category", "discount_pct"])["accepted"]
    arms = grouped.agg(accepted="sum", decided="count").reset_index()
    replace_arms(session, arms)
    return len(quotes)


def record_quote_decision(
    session: Session, quote_id: int, status: str, decided_at: dt.datetime | None = None
) -> bool:
    """Decide a quote and count the outcome in its pricing arm, in one transaction.

    Sets the quote's ``status`` and ``decided_at`` (now by default). Deciding
    a quote again with the same outcome changes nothing; with another outcome
    the arm's count moves from the old outcome to the new one. Returns True
    when an arm's counts changed.
    """
    status = _check_status(status)
    quote = session.scalar(select(Quote).where(Quote.id == quote_id).with_for_update())
    if quote is None:
        raise UnknownRecordError(f"No quote has id {quote_id}; check the quote number.")
    previous = quote.status
    if previous == status:
        return False

    key = arm_of_quote(session, quote)
    quote.status, quote.decided_at = status, decided_at or utcnow()
    if key is None:
        logger.info("quote %s decided %s off the pricing grid", quote_id, status)
        return False
    arm = _arm_for_update(session, key)
    if previous in DECIDED_STATUSES:
        _count(arm, previous, -1.0)
    _count(arm, status, 1.0)
    logger.info("quote %s decided %s; pricing arm %s updated", quote_id, status, key)
    return True


def arm_of_quote(session: Session, quote: Quote) -> ArmKey | None:
    """The arm ``quote`` counts in, or None when it is off the discount grid."""
    lines = _quote_lines(session, Quote.id == quote.id)
    if lines.empty:
        return None
    segments = {quote.customer_id: segment_of(session, quote.customer_id)}
    row = quote_arms(lines, segments)
    if row.empty:
        return None
    first = row.iloc[0]
    return ArmKey(first["segment"], first["category"], float(first["discount_pct"]))


def _quote_lines(session: Session, condition) -> pd.DataFrame:
    stmt = (
        select(
            Quote.id.label("quote_id"),
            Quote.customer_id,
            Quote.status,
            Quote.created_at,
            Quote.total,
            Product.category,
            (QuoteItem.quantity * QuoteItem.unit_price).label("list_value"),
        )
        .join(QuoteItem, QuoteItem.quote_id == Quote.id)
        .join(Product, QuoteItem.product_id == Product.id)
        .where(condition)
    )
    frame = pd.read_sql(stmt, session.connection())
    frame["created_at"] = pd.to_datetime(frame["created_at"])
    for column in ("total", "list_value"):
        frame[column] = frame[column].astype(float)
    return frame


def _segment_filter():
    return (
        Prediction.model_name == SEGMENT_SCORES_MODEL,
        Prediction.entity_type == "customer",
        Prediction.target_date.is_(None),
    )


def _segment_name(details) -> str:
    name = (details or {}).get("segment")
    return str(name) if name else ALL_SEGMENTS


def _arm_for_update(session: Session, key: ArmKey) -> PricingBanditArm:
    """The arm's row, locked; created at the Beta(1, 1) prior when missing.

    Two transactions may both find the arm missing; the one that inserts
    second hits the unique constraint inside its savepoint and locks the row
    the first one wrote instead.
    """
    arm = _locked_arm(session, key)
    if arm is not None:
        return arm
    try:
        with session.begin_nested():
            arm = PricingBanditArm(
                segment=key.segment,
                category=key.category,
                discount_pct=Decimal(str(key.discount_pct)),
                alpha=1.0,
                beta=1.0,
            )
            session.add(arm)
        return arm
    except IntegrityError:
        return _locked_arm(session, key)


def _locked_arm(session: Session, key: ArmKey) -> PricingBanditArm | None:
    return session.scalar(
        select(PricingBanditArm)
        .where(
            PricingBanditArm.segment == key.segment,
            PricingBanditArm.category == key.category,
            PricingBanditArm.discount_pct == Decimal(str(key.discount_pct)),
        )
        .with_for_update()
    )


def _count(arm: PricingBanditArm, status: str, step: float) -> None:
    """Add (or with ``step`` -1 take back) one outcome; never below the prior."""
    if status == QuoteStatus.ACCEPTED:
        arm.alpha = max(1.0, (arm.alpha or 1.0) + step)
    else:
        arm.beta = max(1.0, (arm.beta or 1.0) + step)
    arm.updated_at = utcnow()


def _check_status(status: str) -> str:
    allowed = [s.value for s in DECIDED_STATUSES]
    if status not in allowed:
        raise StorageError(
            f"A quote is decided as {', '.join(allowed[:-1])} or {allowed[-1]}; got "
            f"{status!r}."
        )
    return str(status)
