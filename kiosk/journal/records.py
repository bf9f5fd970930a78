"""Immutable snapshots handed out by the journal, so callers never hold a live ORM object."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from contracts.services import Service
from kiosk.journal.models import Order, OrderEvent, PrintJobRecord, PrintJobState
from kiosk.journal.states import OrderState


class UnknownOrder(KeyError):
    """No order with this id in the journal."""


@dataclass(frozen=True)
class OrderRecord:
    order_id: str
    kiosk_id: str
    service: Service
    state: OrderState
    amount_cents: int
    payment_key: str
    issue_key: str
    print_key: str
    payment_order_id: str | None
    document_number: str | None
    document_kind: str | None
    print_attempts: int
    reprint: bool
    person_hash: str | None
    last_error: str | None
    refund_reference: str | None
    face_score: float | None
    face_threshold: float | None
    face_engine: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def paid_service(self) -> bool:
        """The order carries a fee, so it goes through the payment states."""
        return self.amount_cents > 0

    @property
    def terminal(self) -> bool:
        return self.state.terminal

    @classmethod
    def from_row(cls, row: Order) -> OrderRecord:
        values = {name: getattr(row, name) for name in cls.__dataclass_fields__}
        return cls(**{**values, "service": Service(row.service)})


@dataclass(frozen=True)
class OrderEventRecord:
    order_id: str
    from_state: OrderState | None
    to_state: OrderState
    error_code: str | None
    at: datetime

    @classmethod
    def from_row(cls, row: OrderEvent) -> OrderEventRecord:
        return cls(row.order_id, row.from_state, row.to_state, row.error_code, row.at)


@dataclass(frozen=True)
class PrintJobView:
    job_id: int
    order_id: str
    printer: str
    document_number: str | None
    attempt: int
    state: PrintJobState
    is_reprint: bool
    error_code: str | None
    updated_at: datetime

    @classmethod
    def from_row(cls, row: PrintJobRecord) -> PrintJobView:
        return cls(row.id, row.order_id, row.printer, row.document_number, row.attempt, row.state,
                   row.is_reprint, row.error_code, row.updated_at)  # fmt: skip
