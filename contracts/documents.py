"""Documents: the temporary resident ID card and the no-criminal-record certificate."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import Field

from contracts.common import Contract, IdNumber, OrderId, Token


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
    verification_token: Token
    payment_order_id: OrderId


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
    verification_token: Token


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
    verification_token: Token
    purpose: str = Field(min_length=1, max_length=20)


class CertificateVerificationData(Contract):
    """How the paper proves itself, all issued by the backend; the kiosk prints it and invents none of it."""

    code: str = Field(min_length=4, max_length=16)  # 验证码, typed by hand with the number at lookup_url
    url: str = Field(max_length=1600)  # the QR: absolute URL of the public verify page, payload in its path
    payload: str = Field(max_length=1200)  # the NCR2 payload inside url (contracts.certificate_payload)
    key_id: str = Field(min_length=1, max_length=32)  # the issuer key that signed it (published with its id)
    algorithm: Literal["Ed25519"] = "Ed25519"
    lookup_url: str = Field(max_length=200)  # printed on the page: where number + code are typed in


class IssuerSeal(Contract):
    """The issuing unit's electronic seal, made by the backend: a PNG, red on transparent, drawn at its size."""

    png_b64: str = Field(max_length=400_000)
    diameter_mm: float = Field(default=40.0, ge=20, le=50)


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
    verification: CertificateVerificationData
    seal: IssuerSeal | None = None  # None: the paper shows where the unit's seal goes


class CertificateOutcome(Contract):
    outcome: RecordOutcome
    certificate: Certificate | None = None  # when clean
    acceptance_number: str | None = None  # when pending
    settle_by: dt.date | None = None  # when pending: 3 working days
    result_url: str | None = None  # when pending: absolute URL where the result is looked up (the slip's QR)


VerificationStatus = Literal["valid", "expired", "revoked", "unknown"]


class CertificateVerification(Contract):
    """The public verify answer (by number + code, or by the QR's signed payload)."""

    status: VerificationStatus
    reason: str | None = None  # why unknown: not_found, bad_signature, malformed, non_canonical, unknown_key...
    certificate_number: str | None = None
    name_masked: str | None = None
    purpose: str | None = None
    issuing_unit: str | None = None
    checked_until: dt.date | None = None
    issue_date: dt.date | None = None
    expiry_date: dt.date | None = None
    verifications_left: int | None = None


class AcceptanceStatus(Contract):
    """What the acceptance slip's URL shows: whether the application is settled, never its outcome."""

    acceptance_number: str
    status: Literal["pending", "settled", "unknown"]
    settle_by: dt.date | None = None
