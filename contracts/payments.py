"""QR payment orders: create, poll, cancel; settled by the payer (simulated in the sandbox)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from contracts.common import Contract


class PaymentPurpose(StrEnum):
    TEMP_ID = "temp_id"
    TRAFFIC_FINE = "traffic_fine"


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
