"""Hong Kong/Macao re-endorsement (往来港澳通行证 再次签注): the kiosk's calls to the exit-entry backend.

The backend holds the permits: it gives the kiosk what Basic Access Control needs to open a permit's chip
(from the permit number the citizen types and their ID number), decides which endorsements the holder may
get now, issues one (signed: the kiosk cannot forge one) and is told when the chip was written.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from contracts.common import Contract, IdNumber

PermitNumber = str  # C + 8 digits on today's permits [U]; validated by pattern below
PERMIT_NUMBER_PATTERN = r"^[A-Z][0-9]{8}$"


class EndorsementType(StrEnum):
    G = "G"  # 个人旅游
    L = "L"  # 团队旅游


class Destination(StrEnum):
    HK = "HK"
    MO = "MO"


class EndorsementRefusal(StrEnum):
    STATE_EMPLOYEE = "state_employee"  # 国家工作人员: the counter handles it
    APPLIED_RECENTLY = "applied_recently"  # an application within the waiting period [U: per city]
    PERMIT_EXPIRED = "permit_expired"  # a new permit is needed (counter)
    NOT_HOLDER = "not_holder"  # the permit is not this person's
    UNKNOWN_PERMIT = "unknown_permit"


class PermitAccessRequest(Contract):
    id_number: IdNumber
    permit_number: str = Field(pattern=PERMIT_NUMBER_PATTERN)


class PermitAccess(Contract):
    """The MRZ data BAC needs (YYMMDD dates), for the permit of this holder only."""

    document_number: str = Field(pattern=PERMIT_NUMBER_PATTERN)
    birth_date: str = Field(pattern=r"^[0-9]{6}$")
    expiry_date: str = Field(pattern=r"^[0-9]{6}$")


class EndorsementOption(Contract):
    destination: Destination
    type: EndorsementType
    entries: int = Field(ge=1, le=2)
    validity_months: int = Field(ge=1, le=12)
    fee_cents: int = Field(ge=0, le=100_000)


class IssuedEndorsement(Contract):
    number: str = Field(min_length=1, max_length=32, pattern=r"^[A-Z0-9]+$")
    type: EndorsementType
    destination: Destination
    entries: int = Field(ge=1, le=2)
    valid_from: dt.date
    valid_until: dt.date
    authority: str = Field(max_length=64)
    key_id: str = Field(max_length=32)
    record_b64: str = Field(max_length=2048, description="the signed record, written to the chip unchanged")
    written: bool = False


class EndorsementEligibilityRequest(Contract):
    id_number: IdNumber
    permit_number: str = Field(pattern=PERMIT_NUMBER_PATTERN)


class EndorsementEligibility(Contract):
    eligible: bool
    reason: EndorsementRefusal | None = None
    next_allowed_on: dt.date | None = None  # when refused for a recent application
    options: list[EndorsementOption] = Field(default_factory=list, max_length=16)
    unwritten: IssuedEndorsement | None = None  # issued and paid before, never confirmed written: finish it


class FaceEvidence(Contract):
    """The kiosk's own 1:1 comparison of the live face with the permit's chip photo (never the images)."""

    engine: str = Field(max_length=64)
    score: float = Field(ge=0, le=1, allow_inf_nan=False)
    threshold: float = Field(ge=0, le=1, allow_inf_nan=False)
    live: bool


class EndorsementIssueRequest(Contract):
    id_number: IdNumber
    permit_number: str = Field(pattern=PERMIT_NUMBER_PATTERN)
    destination: Destination
    type: EndorsementType
    entries: int = Field(ge=1, le=2)
    validity_months: int = Field(ge=1, le=12)
    payment_order_id: str = Field(min_length=1, max_length=64)
    face: FaceEvidence


class EndorsementWritten(Contract):
    number: str = Field(min_length=1, max_length=32)
