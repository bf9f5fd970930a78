from __future__ import annotations

import io
from datetime import date

import pypdf
import pytest
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from printing import demo
from printing.certificate import MARGIN, PAGE_WIDTH, build_certificate_pdf, finding_sentence
from printing.layout import TextDoesNotFitError
from printing.verification import (
    BadSignatureError,
    format_verification_code,
    matches_id_number,
    verification_code,
    verify_certificate_payload,
)
from tests.printing.conftest import decode_qr_codes, flat_text, pdf_pages, render_png, text_runs

DEMO_KEYS = {demo.DEMO_KEY_ID: demo.demo_signing_key().public_key()}


def test_every_field_is_printed(fonts):
    data = demo.demo_certificate(purpose="出国（境）", checked_until=date(2024, 5, 5))
    text = flat_text(build_certificate_pdf(data))
    assert "无犯罪记录证明" in text
    assert f"编号：{data.certificate_number}" in text
    assert "经查询，截至2024年05月05日，未发现张三（男、居民身份证、11010519491231002X）有犯罪记录。" in text
    assert "用途：出国（境）" in text
    assert data.issuing_unit in text
    assert "2024年05月06日" in text  # issue date
    assert "有效期至2024年08月05日" in text
    assert f"验证码：{format_verification_code(verification_code(data.verification_payload))}" in text


def test_qr_decodes_to_a_payload_that_verifies(fonts, tmp_path):
    data = demo.demo_certificate()
    (page,) = render_png(build_certificate_pdf(data), tmp_path, dpi=150)
    (decoded,) = decode_qr_codes(page)
    verified = verify_certificate_payload(decoded, DEMO_KEYS, today=data.issue_date)
    assert verified.certificate_number == data.certificate_number
    assert verified.expiry_date == data.valid_until
    assert matches_id_number(verified, data.id_number, demo.DEMO_ID_SALT)
    tampered = decoded.replace(data.certificate_number, "DEMO-2024-000124")
    with pytest.raises(BadSignatureError):
        verify_certificate_payload(tampered, DEMO_KEYS, today=data.issue_date)


def test_same_data_gives_identical_bytes_and_dated_metadata(fonts):
    first = build_certificate_pdf(demo.demo_certificate())
    assert first == build_certificate_pdf(demo.demo_certificate())
    assert first != build_certificate_pdf(demo.demo_certificate(purpose="入学"))
    metadata = pypdf.PdfReader(io.BytesIO(first)).metadata
    assert metadata["/CreationDate"].startswith("D:20240506")
    assert not any("张三" in str(value) or "11010519491231002X" in str(value) for value in metadata.values())


def test_long_names_and_units_wrap_inside_the_margins(fonts):
    data = demo.demo_certificate(
        name="阿卜杜热合曼·买买提艾力·库尔班江·吐尔逊巴依",
        id_type="外国人永久居留身份证",
        purpose="其他：办理子女入学及出国（境）留学手续所需证明材料",
        issuing_unit="新疆维吾尔自治区乌鲁木齐市公安局天山区分局人口管理大队",
    )
    pdf = build_certificate_pdf(data)
    assert finding_sentence(data) in flat_text(pdf)
    runs = text_runs(pdf_pages(pdf)[0])
    assert runs
    for text, x, _y, size in runs:
        assert x >= MARGIN - 0.5 * mm, text
        assert x + stringWidth(text, fonts.regular, size) <= PAGE_WIDTH - MARGIN + 0.5 * mm, text


def test_text_too_long_for_one_page_is_refused(fonts):
    with pytest.raises(TextDoesNotFitError):
        build_certificate_pdf(demo.demo_certificate(purpose="就业" * 300))
