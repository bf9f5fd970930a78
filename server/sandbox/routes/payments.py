"""QR payment orders of a kiosk: create (keyed), poll, cancel (keyed)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from contracts import IDEMPOTENCY_HEADER, ErrorCode, PaymentCreate, PaymentOrder, Refund, RefundRequest, RefundState
from server.sandbox import numbers
from server.sandbox.errors import ApiError
from server.sandbox.idempotency import run_idempotent
from server.sandbox.models import PaymentOrderRow
from server.sandbox.state import SandboxState, authenticated_kiosk, get_db, get_state

router = APIRouter(prefix="/payments", tags=["payments"])
OrderPath = Annotated[str, Path(min_length=1, max_length=32)]
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
    order_id: OrderPath, request: Request, kiosk_id: str = Depends(authenticated_kiosk), session: Session = Depends(get_db)
) -> PaymentOrder:
    return order_view(order_of(session, order_id, kiosk_id), str(request.base_url))


@router.post("/{order_id}/cancel", response_model=PaymentOrder)
def cancel_payment(
    order_id: OrderPath,
    request: Request,
    idempotency_key: str | None = KeyHeader,
    kiosk_id: str = Depends(authenticated_kiosk),
    state: SandboxState = Depends(get_state),
) -> JSONResponse:
    """Only a pending order can be cancelled; a paid one is refunded (POST /payments/{id}/refund)."""

    def cancel(session: Session) -> PaymentOrder:
        row = order_of(session, order_id, kiosk_id)
        if row.status != "pending":
            raise ApiError(409, ErrorCode.ORDER_NOT_PENDING, f"order is {row.status}")
        row.status, row.settled_at = "cancelled", state.settings.clock.utc_naive()
        return order_view(row, str(request.base_url))

    return run_idempotent(state, request, kiosk_id, idempotency_key, None, cancel)


def refund_view(row: PaymentOrderRow) -> Refund:
    return Refund(
        payment_order_id=row.order_id, refund_id=row.refund_id or "", state=RefundState(row.refund_state),
        amount_cents=row.refund_cents, requested_at=_utc(row.refund_requested_at),
        settled_at=_utc(row.refund_settled_at),
    )  # fmt: skip


def _attempt_refund(row: PaymentOrderRow, state: SandboxState) -> None:
    """One attempt at the simulated payment platform: refused (fault), accepted for later, or refunded now."""
    now = state.settings.clock.utc_naive()
    refused, asynchronous = state.faults.take_refund_outcome()
    row.refund_requested_at = row.refund_requested_at or now
    if refused:
        row.refund_state, row.refund_settled_at = RefundState.FAILED, None
    elif asynchronous:
        row.refund_state, row.refund_settled_at = RefundState.REQUESTED, None
    else:
        row.refund_state, row.refund_settled_at = RefundState.REFUNDED, now


@router.post("/{order_id}/refund", response_model=Refund)
def request_refund(
    order_id: OrderPath,
    body: RefundRequest,
    idempotency_key: str | None = KeyHeader,
    kiosk_id: str = Depends(authenticated_kiosk),
    state: SandboxState = Depends(get_state),
) -> JSONResponse:
    """Give a paid order's money back (its whole amount at most, once). A refund the platform refused is attempted
    again by the next request, whatever its key; a refund accepted or done is answered as it stands."""

    def refund(session: Session) -> Refund:
        row = order_of(session, order_id, kiosk_id)
        if row.status != "paid":
            raise ApiError(409, ErrorCode.PAYMENT_NOT_PAID, f"order is {row.status}: nothing to refund")
        if body.amount_cents > row.amount_cents:
            raise ApiError(409, ErrorCode.PAYMENT_MISMATCH, "a refund cannot exceed the amount paid")
        if row.refund_state in (None, RefundState.FAILED):
            row.refund_id = row.refund_id or numbers.order_id()
            row.refund_cents = body.amount_cents
            _attempt_refund(row, state)
        return refund_view(row)

    # Not cached under the key: a refused attempt must be retryable, and the row itself makes it idempotent.
    if not idempotency_key:
        raise ApiError(400, ErrorCode.IDEMPOTENCY_KEY_MISSING, "Idempotency-Key header required")
    with state.write_lock, state.sessions() as session:
        answer = refund(session)
        session.commit()
    return JSONResponse(answer.model_dump(mode="json"))


@router.get("/{order_id}/refund", response_model=Refund)
def refund_status(
    order_id: OrderPath, kiosk_id: str = Depends(authenticated_kiosk), state: SandboxState = Depends(get_state)
) -> Refund:
    with state.write_lock, state.sessions() as session:
        row = order_of(session, order_id, kiosk_id)
        if row.refund_state is None:
            raise ApiError(404, ErrorCode.NOT_FOUND, "no refund for this payment order")
        if row.refund_state == RefundState.REQUESTED:  # the platform settles asynchronous refunds by now
            row.refund_state, row.refund_settled_at = RefundState.REFUNDED, state.settings.clock.utc_naive()
            session.commit()
        return refund_view(row)
