"""Guards shared by several routes: the person, the face verification, the payment order."""

from __future__ import annotations

from sqlalchemy.orm import Session

from contracts import ErrorCode
from server.sandbox.errors import ApiError
from server.sandbox.models import Citizen, FaceVerificationToken, PaymentOrderRow
from server.sandbox.settings import SandboxSettings


def citizen_or_404(session: Session, id_number: str) -> Citizen:
    citizen = session.get(Citizen, id_number)
    if citizen is None:
        raise ApiError(404, ErrorCode.PERSON_NOT_FOUND, "no such person in the registry")
    return citizen


def require_verified(session: Session, settings: SandboxSettings, kiosk_id: str, token: str, id_number: str) -> None:
    """The ID number must be the one whose face this kiosk verified, and recently (own record only)."""
    row = session.get(FaceVerificationToken, token)
    if row is None or row.kiosk_id != kiosk_id or row.expires_at < settings.clock.utc_naive():
        raise ApiError(403, ErrorCode.VERIFICATION_REQUIRED, "a current face verification is required")
    if row.id_number != id_number:
        raise ApiError(403, ErrorCode.NOT_OWN_RECORD, "the ID number is not the verified person's")


def consume_payment(
    session: Session,
    kiosk_id: str,
    order_id: str,
    purpose: str,
    amount_cents: int,
    consumer: str,
    *,
    split: bool = False,
) -> PaymentOrderRow:
    """A paid order of this kiosk, for this purpose and amount, not yet used for anything else.

    With `split` (traffic fines paid together) the order may cover several consumers whose amounts add up
    to no more than the order; each allocation is final, so no amount is ever paid for twice."""
    order = session.get(PaymentOrderRow, order_id)
    if order is None or order.kiosk_id != kiosk_id:
        raise ApiError(404, ErrorCode.NOT_FOUND, "no such payment order")
    if order.status != "paid":
        raise ApiError(409, ErrorCode.PAYMENT_NOT_PAID, f"payment order is {order.status}")
    if split:
        if order.purpose != purpose or (order.allocated_cents or 0) + amount_cents > order.amount_cents:
            raise ApiError(
                409,
                ErrorCode.PAYMENT_MISMATCH,
                f"order has {order.amount_cents - (order.allocated_cents or 0)} cents left",
            )
        order.allocated_cents = (order.allocated_cents or 0) + amount_cents
        order.consumed_by = order.consumed_by or consumer
        return order
    if order.purpose != purpose or order.amount_cents != amount_cents:
        raise ApiError(409, ErrorCode.PAYMENT_MISMATCH, f"order is for {order.purpose} {order.amount_cents} cents")
    if order.consumed_by is not None and order.consumed_by != consumer:
        raise ApiError(409, ErrorCode.PAYMENT_ALREADY_USED, "payment order already used")
    order.consumed_by = consumer
    order.allocated_cents = amount_cents
    return order
