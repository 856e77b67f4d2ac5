"""The tables of the store, as SQLAlchemy 2 declarative models.

Money is ``Numeric`` (``Decimal`` in Python), never float. Times are stored as
naive UTC. The same models serve SQLite and PostgreSQL; the Alembic migrations
in ``storage/migrations`` create them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

MONEY = Numeric(14, 2)
UNIT_PRICE = Numeric(14, 4)
PERCENT = Numeric(5, 2)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """The current time as naive UTC, the way every timestamp is stored."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, Decimal: MONEY}


class Role(StrEnum):
    REP = "rep"
    MANAGER = "manager"
    ADMIN = "admin"


class QuoteStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


# --- core sales tables ------------------------------------------------------


class SalesRep(Base):
    """A person who sells; their email is their identity across Slack and files."""

    __tablename__ = "sales_reps"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    slack_user_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    role: Mapped[str] = mapped_column(String(16), default=Role.REP)
    team: Mapped[str] = mapped_column(String(100), default="sales")
    region: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    customers: Mapped[list[Customer]] = relationship(back_populates="owner")


class Customer(Base):
    """An account; ``owner_rep_id`` is the rep who sees it as one of theirs."""

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    country: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100))
    industry: Mapped[str | None] = mapped_column(String(100))
    owner_rep_id: Mapped[int | None] = mapped_column(
        ForeignKey("sales_reps.id"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    owner: Mapped[SalesRep | None] = relationship(back_populates="customers")


class Product(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    category: Mapped[str | None] = mapped_column(String(100))
    list_price: Mapped[Decimal] = mapped_column(UNIT_PRICE)
    unit_cost: Mapped[Decimal | None] = mapped_column(UNIT_PRICE)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Quote(Base):
    """A quote to a customer; accepted quotes are booked revenue."""

    __tablename__ = "quotes"
    __table_args__ = (
        Index("ix_quotes_customer_created", "customer_id", "created_at"),
        Index("ix_quotes_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_number: Mapped[str] = mapped_column(String(32), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    rep_id: Mapped[int | None] = mapped_column(ForeignKey("sales_reps.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=QuoteStatus.DRAFT)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    subtotal: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    discount_pct: Mapped[Decimal] = mapped_column(PERCENT, default=Decimal("0"))
    total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    notes: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(32), default="bot")
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)

    customer: Mapped[Customer] = relationship()
    rep: Mapped[SalesRep | None] = relationship()
    items: Mapped[list[QuoteItem]] = relationship(
        back_populates="quote", cascade="all, delete-orphan"
    )


class QuoteItem(Base):
    __tablename__ = "quote_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(
        ForeignKey("quotes.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(UNIT_PRICE)
    discount_pct: Mapped[Decimal] = mapped_column(PERCENT, default=Decimal("0"))
    line_total: Mapped[Decimal] = mapped_column(MONEY)

    quote: Mapped[Quote] = relationship(back_populates="items")
    product: Mapped[Product] = relationship()


class CustomerNote(Base):
    __tablename__ = "customer_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    rep_id: Mapped[int | None] = mapped_column(ForeignKey("sales_reps.id"))
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("quotes.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    body: Mapped[str] = mapped_column(Text)


class QuoteNumberCounter(Base):
    """The last quote number handed out in each year; see ``quote_numbers``."""

    __tablename__ = "quote_number_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


# --- model tables -----------------------------------------------------------


class MLModel(Base):
    """A fitted model version: its artifact, its training data and its metrics."""

    __tablename__ = "ml_models"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    model_type: Mapped[str] = mapped_column(String(100))
    data_fingerprint: Mapped[str] = mapped_column(String(64))
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    artifact_format: Mapped[str] = mapped_column(String(32))
    artifact: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class TrainingCache(Base):
    """Features that are expensive to rebuild, keyed by the data they came from."""

    __tablename__ = "training_cache"
    __table_args__ = (UniqueConstraint("key", "data_fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    data_fingerprint: Mapped[str] = mapped_column(String(64))
    payload_format: Mapped[str] = mapped_column(String(32))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Prediction(Base):
    """A value a model served or scored, with the actual filled in later."""

    __tablename__ = "predictions"
    __table_args__ = (
        Index("ix_predictions_model_entity", "model_name", "entity_type", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int | None] = mapped_column(ForeignKey("ml_models.id"))
    model_name: Mapped[str] = mapped_column(String(100))
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(100))
    target_date: Mapped[dt.date | None] = mapped_column(Date)
    predicted_value: Mapped[float] = mapped_column(Float)
    lower: Mapped[float | None] = mapped_column(Float)
    upper: Mapped[float | None] = mapped_column(Float)
    actual_value: Mapped[float | None] = mapped_column(Float)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ModelPerformance(Base):
    __tablename__ = "model_performance"

    id: Mapped[int] = mapped_column(primary_key=True)
    model_name: Mapped[str] = mapped_column(String(100), index=True)
    model_version: Mapped[int | None] = mapped_column(Integer)
    evaluated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    n_predictions: Mapped[int] = mapped_column(Integer)
    mae: Mapped[float | None] = mapped_column(Float)
    rmse: Mapped[float | None] = mapped_column(Float)
    mape: Mapped[float | None] = mapped_column(Float)


# --- bot tables -------------------------------------------------------------


class ProcessedSlackEvent(Base):
    """Slack event ids already acted on, so a retried delivery is ignored."""

    __tablename__ = "processed_slack_events"

    event_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ConversationState(Base):
    """Slots gathered so far in one user's conversation in a channel or thread."""

    __tablename__ = "conversation_states"
    __table_args__ = (UniqueConstraint("channel_id", "thread_ts", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32))
    thread_ts: Mapped[str] = mapped_column(String(32), default="")
    user_id: Mapped[str] = mapped_column(String(32))
    intent: Mapped[str | None] = mapped_column(String(64))
    slots: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ReportSubscription(Base):
    __tablename__ = "report_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    creator_rep_id: Mapped[int] = mapped_column(ForeignKey("sales_reps.id"))
    channel_id: Mapped[str] = mapped_column(String(32))
    team_id: Mapped[str | None] = mapped_column(String(32))
    """The Slack workspace whose bot posts the report; None with one workspace."""
    report: Mapped[str] = mapped_column(String(64))
    frequency: Mapped[str] = mapped_column(String(64))
    next_run_at: Mapped[dt.datetime] = mapped_column(DateTime)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Runs in a row that failed to post; the scheduler retries while it is low."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class PricingBanditArm(Base):
    """Beta posterior of acceptance for one discount level in one market cell."""

    __tablename__ = "pricing_bandit_state"
    __table_args__ = (UniqueConstraint("segment", "category", "discount_pct"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    segment: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(100))
    discount_pct: Mapped[Decimal] = mapped_column(PERCENT)
    alpha: Mapped[float] = mapped_column(Float, default=1.0)
    beta: Mapped[float] = mapped_column(Float, default=1.0)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AuditEntry(Base):
    """Who asked for what, through which surface, and how it ended."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    rep_id: Mapped[int | None] = mapped_column(ForeignKey("sales_reps.id"))
    slack_user_id: Mapped[str | None] = mapped_column(String(32))
    surface: Mapped[str] = mapped_column(String(32))
    intent: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(32))


class GroundTruth(Base):
    """Facts the demo-data generator planted, for tests that check models find them."""

    __tablename__ = "demo_ground_truth"
    __table_args__ = (Index("ix_demo_ground_truth_kind", "kind", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(100))
    value: Mapped[dict[str, Any]] = mapped_column(default=dict)
