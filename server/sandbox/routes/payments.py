"""QR payment orders of a kiosk: create (keyed), poll, cancel (keyed)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from contracts import IDEMPOTENCY_HEADER, ErrorCode, PaymentCreate, PaymentOrder
from server.sandbox import numbers
from server.sandbox.errors import ApiError
from server.sandbox.idempotency import run_idempotent
from server.sandbox.models import PaymentOrderRow
from server.sandbox.state import SandboxState, authenticated_kiosk, get_db, get_state

router = APIRouter(prefix="/payments", tags=["payments"])
KeyHeader = Header(default=None, alias=IDEMPOTENCY_HEADER, description="required; same key = same effect")


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=dt.UTC) if value is not None else None


def order_view(row: PaymentOrderRow, base_url: str) -> PaymentOrder:
    return PaymentOrder(
        order_id=row.order_id, qr_url=f"{base_url}api/v1/sandbox/payments/{row.order_id}", status=row.status,
        amount_cents=row.amount_cents, purpose=row.purpose, reference=row.reference,
        created_at=_utc(row.created_at), settled_at=_utc(row.settled_at),
    )  # fmt: skip


def order_of(session: Session, order_id: str, kiosk_id: str | None) -> PaymentOrderRow:
    row = session.get(PaymentOrderRow, order_id)
    if row is None or (kiosk_id is not None and row.kiosk_id != kiosk_id):
        raise ApiError(404, ErrorCode.NOT_FOUND, "no such payment order")
    return row


@router.post("", response_model=PaymentOrder, status_code=201)
def create_payment(
    body: PaymentCreate,
    request: Request,
    idempotency_key: str | None = KeyHeader,
    kiosk_id: str = Depends(authenticated_kiosk),
    state: SandboxState = Depends(get_state),
) -> JSONResponse:
    def create(session: Session) -> PaymentOrder:
        now = state.settings.clock.utc_naive()
        row = PaymentOrderRow(
            order_id=numbers.order_id(), kiosk_id=kiosk_id, amount_cents=body.amount_cents, purpose=body.purpose,
            reference=body.reference, status="pending", created_at=now,
        )  # fmt: skip
        session.add(row)
        session.flush()
        return order_view(row, str(request.base_url))

    return run_idempotent(state, request, kiosk_id, idempotency_key, body, create, status_code=201)


@router.get("/{order_id}", response_model=PaymentOrder)
def payment_status(
    order_id: str, request: Request, kiosk_id: str = Depends(authenticated_kiosk), session: Session = Depends(get_db)
) -> PaymentOrder:
    return order_view(order_of(session, order_id, kiosk_id), str(request.base_url))


@router.post("/{order_id}/cancel", response_model=PaymentOrder)
def cancel_payment(
    order_id: str,
    request: Request,
    idempotency_key: str | None = KeyHeader,
    kiosk_id: str = Depends(authenticated_kiosk),
    state: SandboxState = Depends(get_state),
) -> JSONResponse:
    """Only a pending order can be cancelled; a paid one must be refunded at the counter."""

    def cancel(session: Session) -> PaymentOrder:
        row = order_of(session, order_id, kiosk_id)
        if row.status != "pending":
            raise ApiError(409, ErrorCode.ORDER_NOT_PENDING, f"order is {row.status}")
        row.status, row.settled_at = "cancelled", state.settings.clock.utc_naive()
        return order_view(row, str(request.base_url))

    return run_idempotent(state, request, kiosk_id, idempotency_key, None, cancel)
