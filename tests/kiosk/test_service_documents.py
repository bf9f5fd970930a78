"""The services' document builders print the backend's answer as given: the certificate's verification data
and e-seal, the card's validity dates and its printer's dpi and stock."""

from __future__ import annotations

import base64
import dataclasses
import io
from datetime import date

import pytest
from pypdf import PdfReader

from contracts import Certificate, CertificateVerificationData, IssuerSeal, TempIdCard
from contracts.certificate_payload import split_qr_text
from kiosk.services.certificate.documents import acceptance_slip, certificate_data, certificate_pdf
from kiosk.services.temp_id.documents import card_pdf, print_spec
from printing import demo
from printing.certificate import CertificateMismatchError
from server.sandbox.seal import seal_png


def backend_certificate(**overrides) -> Certificate:
    data = demo.demo_certificate()
    verification = CertificateVerificationData(code=data.verification_code, url=data.verification_url,
                                               payload=split_qr_text(data.verification_url)[1], key_id=demo.DEMO_KEY_ID,
                                               lookup_url=data.lookup_url)  # fmt: skip
    fields = dict(certificate_number=data.certificate_number, name=data.name, sex=data.sex, id_number=data.id_number,
                  purpose=data.purpose, checked_until=data.checked_until, issue_date=data.issue_date,
                  expiry_date=data.valid_until, issuing_unit=data.issuing_unit, verification=verification)  # fmt: skip
    return Certificate(**{**fields, **overrides})


def text_of(pdf: bytes) -> str:
    return "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_certificate_prints_the_backends_verification_data_and_seal():
    seal = IssuerSeal(png_b64=base64.b64encode(seal_png("演示")).decode(), diameter_mm=42)
    certificate = backend_certificate(seal=seal)
    data = certificate_data(certificate, "permit_j")
    assert (data.verification_url, data.verification_code, data.lookup_url) == (
        certificate.verification.url, certificate.verification.code, certificate.verification.lookup_url)
    assert data.seal_png == seal_png("演示") and data.seal_diameter_mm == 42 and data.id_type == "港澳台居民居住证"
    text = text_of(certificate_pdf(certificate))
    assert f"验证码：{certificate.verification.code}" in text and "（印章位置）" not in text
    assert "（印章位置）" in text_of(certificate_pdf(backend_certificate()))  # no e-seal: the place is marked


def test_a_certificate_whose_payload_disagrees_or_whose_seal_is_broken_is_not_printed():
    with pytest.raises(CertificateMismatchError, match="purpose"):
        certificate_pdf(backend_certificate(purpose="入学"))
    with pytest.raises(CertificateMismatchError, match="e-seal"):
        certificate_pdf(backend_certificate(seal=IssuerSeal(png_b64="not base64!")))


def card(**overrides) -> TempIdCard:
    data = demo.demo_temp_id()
    fields = dict(card_number=data.card_number, name=data.name, sex=data.sex, ethnicity=data.ethnicity,
                  birth_date=data.birth_date, address=data.address, id_number=data.id_number,
                  valid_from=date(2024, 5, 6), valid_until=date(2024, 8, 5), issuing_authority=data.issuing_authority,
                  photo_jpeg_b64=base64.b64encode(data.photo).decode())  # fmt: skip
    return TempIdCard(**{**fields, **overrides})


def test_the_card_carries_the_backends_validity_not_a_recomputed_one():
    text = text_of(card_pdf(card()))
    assert "2024.05.06-2024.08.05" in text  # what the backend said (a recomputation would say 08.06)


def test_the_card_is_laid_out_for_the_printer_it_goes_to():
    caps = {"dpi": 600, "stock": {"emblem": [4, 3, 20, 20], "preprinted_titles": True}}
    spec = print_spec(caps)
    assert spec.dpi == 600 and spec.stock.preprinted_titles and spec.stock.emblem.width == 20
    text = text_of(card_pdf(card(), caps))
    assert "临时居民身份证" not in text and "签发机关" in text
    assert print_spec(None) == print_spec({})


def test_the_acceptance_slip_uses_the_backends_url_and_date():
    from datetime import datetime

    job = acceptance_slip("SL1", datetime(2024, 5, 6, 10, 0), "K1", result_url="https://x.example/a/SL1",
                          settle_by=date(2024, 5, 9))  # fmt: skip
    assert any(getattr(element, "data", None) == "https://x.example/a/SL1" for element in job.elements)
    assert dataclasses.replace(job).reference == "SL1"
