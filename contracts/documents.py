"""Documents: the temporary resident ID card and the no-criminal-record certificate."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import Field

from contracts.common import Contract, IdNumber


class TempIdEligibilityRequest(Contract):
    id_number: IdNumber


class TempIdIneligibleReason(StrEnum):
    NO_PENDING_APPLICATION = "no_pending_application"  # a temp ID needs an ID card application in progress
    ACTIVE_TEMP_ID_EXISTS = "active_temp_id_exists"


class TempIdEligibility(Contract):
    eligible: bool
    reason: TempIdIneligibleReason | None = None
    fee_cents: int
    validity_months: int


class TempIdIssueRequest(Contract):
    id_number: IdNumber
    verification_token: str
    payment_order_id: str


class TempIdCard(Contract):
    """Everything the card printer needs; the kiosk keeps it in memory only."""

    card_number: str
    name: str
    sex: str
    ethnicity: str
    birth_date: dt.date
    address: str
    id_number: str
    valid_from: dt.date
    valid_until: dt.date
    issuing_authority: str
    photo_jpeg_b64: str  # black-and-white registry photo


class RecordCheckRequest(Contract):
    id_number: IdNumber
    verification_token: str


class RecordOutcome(StrEnum):
    CLEAN = "clean"
    REFER_TO_COUNTER = "refer_to_counter"  # a record exists: staff issue the notice; say nothing more
    PENDING = "pending"  # not decidable at once: acceptance receipt, settled within 3 working days


class RecordCheck(Contract):
    outcome: RecordOutcome
    requests_this_year: int
    yearly_cap: int  # 0 = no cap
    cap_reached: bool


class CertificateRequest(Contract):
    id_number: IdNumber
    verification_token: str
    purpose: str = Field(min_length=1, max_length=20)


class Certificate(Contract):
    certificate_number: str
    name: str
    sex: str
    id_number: str
    purpose: str
    checked_until: dt.date  # "截至 YYYY年MM月DD日"
    issue_date: dt.date
    expiry_date: dt.date
    issuing_unit: str
    verification_code: str
    verification_path: str  # GET path on the backend for the QR code


class CertificateOutcome(Contract):
    outcome: RecordOutcome
    certificate: Certificate | None = None  # when clean
    acceptance_number: str | None = None  # when pending
    settle_by: dt.date | None = None  # when pending: 3 working days


class CertificateVerification(Contract):
    status: Literal["valid", "expired", "revoked", "unknown"]
    name_masked: str | None = None
    purpose: str | None = None
    issue_date: dt.date | None = None
    expiry_date: dt.date | None = None
    verifications_left: int | None = None
