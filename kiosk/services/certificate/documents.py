"""What the certificate service prints, built from the backend's answers only (also after a crash)."""

from __future__ import annotations

from datetime import datetime

from contracts import Certificate
from devices.receipt.job import ReceiptJob
from printing.certificate import CertificateData, build_certificate_pdf
from printing.receipts import AcceptanceReceiptData, certificate_acceptance_receipt

SERVICE_NAME = "无犯罪记录证明"
ID_TYPE_NAMES = {"resident": "居民身份证", "permit_j": "港澳台居民居住证", "foreign_i": "外国人永久居留身份证",
                 "foreign_y": "外国人永久居留身份证"}  # fmt: skip


def certificate_data(certificate: Certificate, card_type: str = "resident") -> CertificateData:
    """The printable certificate from the backend's answer."""
    payload = getattr(certificate, "verification_payload", None) or (
        f"{certificate.verification_path}?code={certificate.verification_code}"
    )
    return CertificateData(
        certificate_number=certificate.certificate_number, name=certificate.name, sex=certificate.sex,
        id_type=ID_TYPE_NAMES.get(card_type, "居民身份证"), id_number=certificate.id_number,
        checked_until=certificate.checked_until, purpose=certificate.purpose, issuing_unit=certificate.issuing_unit,
        issue_date=certificate.issue_date, valid_until=certificate.expiry_date, verification_payload=payload,
    )  # fmt: skip


def certificate_pdf(certificate: Certificate, card_type: str = "resident") -> bytes:
    return build_certificate_pdf(certificate_data(certificate, card_type))


def acceptance_slip(reference_number: str, accepted_at: datetime, kiosk_id: str) -> ReceiptJob:
    return certificate_acceptance_receipt(AcceptanceReceiptData(
        reference_number=reference_number, service_name=SERVICE_NAME, accepted_at=accepted_at, kiosk_id=kiosk_id,
    ))  # fmt: skip
