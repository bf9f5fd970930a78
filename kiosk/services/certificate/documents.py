"""What the certificate service prints, built from the backend's answers only (also after a crash).

The verification data (QR URL with the signed payload, code, lookup address) and the e-seal are printed
exactly as the backend issued them; a certificate whose signed payload disagrees with its printed fields is
refused (printing.certificate.CertificateMismatchError), because such a paper could never verify.
"""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime

from contracts import Certificate
from devices.receipt.job import ReceiptJob
from printing.certificate import CertificateData, CertificateMismatchError, build_certificate_pdf
from printing.receipts import AcceptanceReceiptData, certificate_acceptance_receipt

SERVICE_NAME = "无犯罪记录证明"
ID_TYPE_NAMES = {"resident": "居民身份证", "permit_j": "港澳台居民居住证", "foreign_i": "外国人永久居留身份证",
                 "foreign_y": "外国人永久居留身份证"}  # fmt: skip


def _seal_png(certificate: Certificate) -> bytes | None:
    if certificate.seal is None:
        return None
    try:
        return base64.b64decode(certificate.seal.png_b64, validate=True)
    except (binascii.Error, ValueError) as error:
        raise CertificateMismatchError("the backend's e-seal is not base64") from error


def certificate_data(certificate: Certificate, card_type: str = "resident") -> CertificateData:
    """The printable certificate from the backend's answer."""
    verification = certificate.verification
    return CertificateData(
        certificate_number=certificate.certificate_number, name=certificate.name, sex=certificate.sex,
        id_type=ID_TYPE_NAMES.get(card_type, "居民身份证"), id_number=certificate.id_number,
        checked_until=certificate.checked_until, purpose=certificate.purpose, issuing_unit=certificate.issuing_unit,
        issue_date=certificate.issue_date, valid_until=certificate.expiry_date,
        verification_url=verification.url, verification_code=verification.code, lookup_url=verification.lookup_url,
        seal_png=_seal_png(certificate),
        seal_diameter_mm=certificate.seal.diameter_mm if certificate.seal else CertificateData.seal_diameter_mm,
    )  # fmt: skip


def certificate_pdf(certificate: Certificate, card_type: str = "resident") -> bytes:
    return build_certificate_pdf(certificate_data(certificate, card_type))


def acceptance_slip(reference_number: str, accepted_at: datetime, kiosk_id: str, *, result_url: str | None = None,
                    settle_by: date | None = None) -> ReceiptJob:  # fmt: skip
    """The slip for a pending request: where and how to look the result up, as the backend said
    (CertificateOutcome.result_url and .settle_by; without a URL the slip sends the citizen to a counter)."""
    return certificate_acceptance_receipt(AcceptanceReceiptData(
        reference_number=reference_number, service_name=SERVICE_NAME, accepted_at=accepted_at, kiosk_id=kiosk_id,
        result_url=result_url, settle_by=settle_by,
    ))  # fmt: skip
