"""QR payment orders: create, poll, cancel; settled by the payer (simulated in the sandbox)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from contracts.common import Contract


class PaymentPurpose(StrEnum):
    TEMP_ID = "temp_id"
    TRAFFIC_FINE = "traffic_fine"
    ENDORSEMENT = "endorsement"


class PaymentStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    FAILED = "failed"
    CANCELLED = "cancelled"


class PaymentCreate(Contract):
    amount_cents: int = Field(gt=0, le=10_000_000)
    purpose: PaymentPurpose
    reference: str = Field(min_length=1, max_length=64, description="the kiosk's order reference")


class PaymentOrder(Contract):
    order_id: str
    qr_url: str
    status: PaymentStatus
    amount_cents: int
    purpose: PaymentPurpose
    reference: str
    created_at: dt.datetime
    settled_at: dt.datetime | None = None


class RefundState(StrEnum):
    REQUESTED = "requested"  # accepted by the payment platform, money not back yet
    REFUNDED = "refunded"  # confirmed: the money is on its way back to the payer (1-3 working days)
    FAILED = "failed"  # the platform refused this attempt; the kiosk asks again later


class RefundRequest(Contract):
    amount_cents: int = Field(gt=0, le=10_000_000)
    reason: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9_.]+$", description="why (an error code)")


class Refund(Contract):
    payment_order_id: str
    refund_id: str
    state: RefundState
    amount_cents: int
    requested_at: dt.datetime
    settled_at: dt.datetime | None = None
