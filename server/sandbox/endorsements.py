"""The exit-entry side of the sandbox: permits, the endorsement rules, and the issuer's signature.

Rules for a kiosk re-endorsement (往来港澳通行证 再次签注), configurable where cities differ [U]: the holder is
the applicant; state employees (国家工作人员) go to the counter; no repeat application for the same place within
`endorsement_wait_days`; an expired permit needs a new permit (counter). Offered: G (个人旅游) or L (团队旅游),
one or two entries, 3 months or 1 year; single ¥15, double ¥30 (发改价格〔2017〕1186号).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts import Destination, EndorsementOption, EndorsementRefusal, EndorsementType, PermitAccess
from contracts.endorsement_record import record, signed_payload
from server.sandbox.models import EndorsementRow, PermitRow
from server.sandbox.settings import SandboxSettings

FEES_CENTS = {1: 1500, 2: 3000}
VALIDITY_MONTHS = (3, 12)
KEY_ID = "SBX-E1"


def issuer_key(settings: SandboxSettings) -> Ed25519PrivateKey:
    """The sandbox's demo issuer key, derived from its settings (a real backend signs in an HSM)."""
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(settings.endorsement_key_seed.encode()).digest())


def access_of(permit: PermitRow) -> PermitAccess:
    return PermitAccess(document_number=permit.permit_number, birth_date=permit.birth_date,
                        expiry_date=permit.expiry_date)  # fmt: skip


def permit_expiry(permit: PermitRow) -> dt.date:
    return dt.datetime.strptime(permit.expiry_date, "%y%m%d").date()


def refusal(session: Session, settings: SandboxSettings, permit: PermitRow | None,
            id_number: str) -> tuple[EndorsementRefusal | None, dt.date | None]:  # fmt: skip
    """Why this holder may not re-endorse now (and from when they may), or (None, None)."""
    today = settings.clock.today()
    if permit is None:
        return EndorsementRefusal.UNKNOWN_PERMIT, None
    if permit.id_number != id_number:
        return EndorsementRefusal.NOT_HOLDER, None
    if permit.state_employee:
        return EndorsementRefusal.STATE_EMPLOYEE, None
    if permit_expiry(permit) < today:
        return EndorsementRefusal.PERMIT_EXPIRED, None
    last = session.scalars(select(EndorsementRow).where(EndorsementRow.permit_number == permit.permit_number)
                           .order_by(EndorsementRow.applied_on.desc())).first()  # fmt: skip
    if last is not None and last.written_at is not None:
        allowed = last.applied_on + dt.timedelta(days=settings.endorsement_wait_days)
        if allowed > today:
            return EndorsementRefusal.APPLIED_RECENTLY, allowed
    return None, None


def options() -> list[EndorsementOption]:
    return [EndorsementOption(destination=place, type=kind, entries=entries, validity_months=months,
                              fee_cents=FEES_CENTS[entries])
            for place in Destination for kind in EndorsementType for entries in (1, 2)
            for months in VALIDITY_MONTHS]  # fmt: skip


def signed_record(settings: SandboxSettings, kind: str, destination: str, entries: int, valid_from: dt.date,
                  valid_until: dt.date, number: str) -> bytes:  # fmt: skip
    payload = signed_payload(kind, destination, entries, valid_from, valid_until, number,
                             settings.endorsement_authority)  # fmt: skip
    return record(payload, KEY_ID, issuer_key(settings).sign(payload))
