"""The journal's tables. No column may hold personal data: no names, ID numbers, addresses or photos.

The only link to a person is `person_hash`, an HMAC of the ID number under a per-kiosk secret, so repeat
requests can be counted without the number ever reaching the disk.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from contracts.sqltypes import UtcDateTime
from kiosk.journal.states import OrderState


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    # Stored as plain strings with a CHECK, so the schema is the same on SQLite and PostgreSQL.
    return Enum(cls, name=name, native_enum=False, create_constraint=True, length=24,
                values_callable=lambda members: [m.value for m in members])  # fmt: skip


class PrintJobState(enum.StrEnum):
    QUEUED = "queued"
    PRINTING = "printing"
    DONE = "done"
    FAILED = "failed"


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime()}


class Order(Base):
    __tablename__ = "orders"

    order_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    service: Mapped[str] = mapped_column(String(32))  # a registry name: no CHECK, so a new service needs no migration
    state: Mapped[OrderState] = mapped_column(_enum(OrderState, "order_state"), index=True)
    amount_cents: Mapped[int] = mapped_column(Integer, default=0)
    # One idempotency key per side effect, generated with the order and reused on every retry.
    payment_key: Mapped[str] = mapped_column(String(64), unique=True)
    issue_key: Mapped[str] = mapped_column(String(64), unique=True)
    print_key: Mapped[str] = mapped_column(String(64), unique=True)
    payment_order_id: Mapped[str | None] = mapped_column(String(64))
    document_number: Mapped[str | None] = mapped_column(String(64))
    document_kind: Mapped[str | None] = mapped_column(String(32))
    print_attempts: Mapped[int] = mapped_column(Integer, default=0)
    reprint: Mapped[bool] = mapped_column(default=False)
    person_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    last_error: Mapped[str | None] = mapped_column(String(64))
    refund_reference: Mapped[str | None] = mapped_column(String(64))  # the backend's refund id, once accepted
    # What let the visit go on: the face comparison's score, threshold and engine (never an image or embedding).
    face_score: Mapped[float | None] = mapped_column(Float)
    face_threshold: Mapped[float | None] = mapped_column(Float)
    face_engine: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime] = mapped_column(index=True)


class OrderEvent(Base):
    """One row per transition: the reconciliation trail and the technician's view of an order."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.order_id", ondelete="CASCADE"), index=True)
    from_state: Mapped[OrderState | None] = mapped_column(_enum(OrderState, "event_from_state"))
    to_state: Mapped[OrderState] = mapped_column(_enum(OrderState, "event_to_state"))
    error_code: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime]


class OrderItem(Base):
    """The non-personal items of an order (traffic: violation ids), committed before the payment that needs
    them, so a paid order can be settled after a crash."""

    __tablename__ = "order_items"

    order_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    item_id: Mapped[str] = mapped_column(String(32))


class PrintJobRecord(Base):
    """A print job tied to an order; the document itself never leaves memory."""

    __tablename__ = "print_jobs"
    __table_args__ = (Index("ix_print_jobs_order", "order_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.order_id", ondelete="CASCADE"))
    printer: Mapped[str] = mapped_column(String(64))
    document_number: Mapped[str | None] = mapped_column(String(64))
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[PrintJobState] = mapped_column(_enum(PrintJobState, "print_job_state"))
    is_reprint: Mapped[bool] = mapped_column(default=False)
    error_code: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
