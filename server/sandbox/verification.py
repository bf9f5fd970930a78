"""Issuing a certificate's verification data, and answering the three ways a certificate is checked:
by its QR (the signed payload), by number + verification code typed by hand, and (offline, elsewhere)
with the published keys. Every check counts towards the certificate's verification limit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from contracts import CertificateVerification, CertificateVerificationData, ErrorCode, mask_id_number, mask_name
from contracts.certificate_payload import (
    CertificateClaims,
    KeyNotValid,
    PayloadError,
    UnknownKey,
    check_signature,
    parse_payload,
    sign_certificate,
    verify_url,
)
from contracts.documents import VerificationStatus
from server.sandbox import keys
from server.sandbox.errors import ApiError
from server.sandbox.models import CertificateRow, Citizen, IssuerKeyRow
from server.sandbox.settings import SandboxSettings

LOOKUP_PATH = "/verify"  # the public page where number + code are typed in
CODE_TYPING = str.maketrans({"O": "0", "I": "1"})  # codes hold neither; a reader may type them anyway


def public_base(settings: SandboxSettings, request_base_url: str) -> str:
    """The configured public site, else this server as its caller reaches it (development)."""
    return settings.public_base_url or request_base_url.rstrip("/")


@dataclass(frozen=True)
class IssuedVerification:
    data: CertificateVerificationData
    key_id: str


def issue(session: Session, base: str, claims: CertificateClaims, code: str, today: dt.date) -> IssuedVerification:
    """Sign the claims with today's key; the URL and the lookup address are on the public site."""
    key_id, private_key = keys.signing_key(session, today)
    payload = sign_certificate(private_key, key_id, claims)
    data = CertificateVerificationData(code=code, url=verify_url(base, payload), payload=payload, key_id=key_id,
                                       lookup_url=f"{base}{LOOKUP_PATH}")  # fmt: skip
    return IssuedVerification(data, key_id)


def normalise_code(typed: str) -> str:
    return "".join(typed.split()).replace("-", "").upper()


def _count(row: CertificateRow, settings: SandboxSettings) -> int:
    """One more verification of this certificate, or 429 when its limit is reached; returns what is left."""
    if row.verification_count >= settings.certificate_verify_limit:
        raise ApiError(429, ErrorCode.VERIFICATION_LIMIT_REACHED, "this certificate's verification limit is reached")
    row.verification_count += 1
    return settings.certificate_verify_limit - row.verification_count


def _status(row: CertificateRow, today: dt.date) -> VerificationStatus:
    return "revoked" if row.revoked else "expired" if row.expiry_date < today else "valid"


def by_code(session: Session, settings: SandboxSettings, number: str, code: str) -> CertificateVerification:
    """编号 + 验证码 typed by hand. A wrong code looks exactly like an unknown number."""
    row = session.get(CertificateRow, number.strip().upper())
    typed = normalise_code(code)
    if row is None or row.verification_code not in (typed, typed.translate(CODE_TYPING)):
        return CertificateVerification(status="unknown", reason="not_found")
    left = _count(row, settings)
    citizen = session.get(Citizen, row.id_number)
    return CertificateVerification(
        status=_status(row, settings.clock.today()), certificate_number=row.certificate_number,
        name_masked=mask_name(citizen.name if citizen else ""), purpose=row.purpose, issuing_unit=row.issuing_unit,
        checked_until=row.checked_until, issue_date=row.issue_date, expiry_date=row.expiry_date,
        verifications_left=left,
    )  # fmt: skip


@dataclass(frozen=True)
class PayloadAnswer:
    verification: CertificateVerification
    claims: CertificateClaims | None  # what the issuer signed, when the signature holds


def _checked_claims(session: Session, payload: str) -> CertificateClaims:
    signed = parse_payload(payload)
    key_row = session.get(IssuerKeyRow, signed.key_id)
    if key_row is None:
        raise UnknownKey(f"no key {signed.key_id!r}")
    key = keys.published(key_row)
    if not key.signs_on(signed.claims.issue_date):
        raise KeyNotValid(f"key {key.kid} does not sign certificates of that date")
    check_signature(signed, key.public_key())
    return signed.claims


def by_payload(session: Session, settings: SandboxSettings, payload: str) -> PayloadAnswer:
    """The QR's payload: signature first (no database row is touched for a forgery), then the row's status."""
    try:
        claims = _checked_claims(session, payload)
    except PayloadError as error:
        return PayloadAnswer(CertificateVerification(status="unknown", reason=error.reason), None)
    row = session.get(CertificateRow, claims.certificate_number)
    if row is None or row.purpose != claims.purpose or row.issue_date != claims.issue_date:
        return PayloadAnswer(CertificateVerification(status="unknown", reason="not_found"), None)
    left = _count(row, settings)
    answer = CertificateVerification(
        status=_status(row, settings.clock.today()), certificate_number=row.certificate_number,
        name_masked=mask_name(claims.name), purpose=claims.purpose, issuing_unit=claims.issuing_unit,
        checked_until=claims.checked_until, issue_date=claims.issue_date, expiry_date=row.expiry_date,
        verifications_left=left,
    )  # fmt: skip
    return PayloadAnswer(answer, claims)


def claims_for(row_number: str, citizen: Citizen, purpose: str, unit: str, today: dt.date,
               valid_until: dt.date) -> CertificateClaims:  # fmt: skip
    return CertificateClaims(
        certificate_number=row_number, name=citizen.name, masked_id_number=mask_id_number(citizen.id_number),
        sex=citizen.sex, purpose=purpose, issuing_unit=unit, checked_until=today, issue_date=today,
        valid_until=valid_until,
    )  # fmt: skip
