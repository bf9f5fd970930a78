"""Operator and sandbox-only calls: kiosk credentials, registry photos, fault injection, the clock."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from contracts.common import MAX_IMAGE_B64_CHARS, Contract, IdNumber


class KioskCreate(Contract):
    kiosk_id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{2,62}$")


class KioskCredential(Contract):
    kiosk_id: str
    kiosk_key: str  # shown once; the server keeps only its hash


class PhotoRegistration(Contract):
    id_number: IdNumber
    image_jpeg_b64: str = Field(min_length=4, max_length=MAX_IMAGE_B64_CHARS)


class FaultSettings(Contract):
    """Sandbox fault injection; each counter applies to the next N requests outside /sandbox/."""

    delay_s: float = Field(default=0.0, ge=0, le=60)
    delay_requests: int = Field(default=0, ge=0, le=1_000_000_000)
    fail_requests: int = Field(default=0, ge=0, le=1_000_000_000)
    fail_status: int = Field(default=503, ge=500, le=599)
    reset_requests: int = Field(default=0, ge=0, le=1_000_000_000)
    after_handler: bool = False  # fail/reset after the request took effect (a lost answer)
    refund_failures: int = Field(default=0, ge=0, le=1000)  # the next N refund attempts are refused
    refund_async: bool = False  # refunds are "requested" first and confirmed at the next status query


class FaultState(Contract):
    settings: FaultSettings
    requests_seen: int  # non-sandbox requests since the last reset


class ClockSetting(Contract):
    now: dt.datetime | None = None  # None: real time
