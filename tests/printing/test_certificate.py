"""The A4 certificate: wording, the issuer's verification data printed as given, a QR that decodes to the
signed URL, refusal of a paper that could never verify, and a layout where the seal never touches text."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import numpy as np
import pypdf
import pytest
from reportlab.lib.units import mm

from contracts.issuer_keys import verify_offline
from printing import demo
from printing.certificate import CertificateMismatchError, build_certificate_pdf, finding_sentence
from printing.certificate_layout import GAP, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, QR_SIZE, layout_certificate
from printing.layout import TextDoesNotFitError
from printing.qr import qr_matrix
from server.sandbox.seal import seal_png
from tests.printing.conftest import decode_qr_codes, flat_text, render_png

UNIT_NAMES = ["局", "公安局", "演示市公安局", "北京市公安局朝阳分局", "北京市公安局朝阳分局（演示）",
              "新疆维吾尔自治区乌鲁木齐市公安局天山区分局", "新疆维吾尔自治区乌鲁木齐市公安局天山区分局人口管理大队户政科",
              "内蒙古自治区呼和浩特市赛罕区公安分局大学路派出所人口与出入境管理服务中心第三窗口"]  # fmt: skip
ISSUE_DATES = [date(2024, 1, 1), date(2024, 12, 31)]


def test_every_field_and_the_issuers_verification_data_are_printed(fonts):
    data = demo.demo_certificate(purpose="出国（境）", checked_until=date(2024, 5, 5))
    text = flat_text(build_certificate_pdf(data))
    assert "无犯罪记录证明" in text
    assert f"编号：{data.certificate_number}" in text
    assert "经查询，截至2024年05月05日，未发现张三（男、居民身份证、11010519491231002X）有犯罪记录。" in text
    assert "用途：出国（境）" in text and data.issuing_unit in text and "2024年05月06日" in text
    assert "有效期至2024年08月05日" in text
    assert f"验证码：{data.verification_code}" in text  # exactly as issued
    assert f"核验网址：{data.lookup_url}" in text  # the address the hint refers to


def test_the_qr_decodes_to_the_issuers_url_and_verifies_offline(fonts, tmp_path):
    data = demo.demo_certificate()
    (page,) = render_png(build_certificate_pdf(data), tmp_path, dpi=150)
    (decoded,) = decode_qr_codes(page)
    assert decoded == data.verification_url and decoded.startswith("https://")
    result = verify_offline(decoded, demo.demo_key_set(), today=date(2024, 6, 1))
    assert result.status == "valid" and result.claims.name == data.name


@pytest.mark.parametrize("field", ["name", "sex", "purpose", "issuing_unit", "checked_until", "issue_date",
                                   "valid_until", "certificate_number", "id_number"])  # fmt: skip
def test_a_paper_that_contradicts_its_signed_payload_is_refused(fonts, field):
    values = {"name": "李四", "sex": "女", "purpose": "入学", "issuing_unit": "演示市公安局", "checked_until": date(2024, 5, 1),
              "issue_date": date(2024, 5, 7), "valid_until": date(2024, 9, 1), "certificate_number": "110105202400000999",
              "id_number": "110105194912310038"}  # fmt: skip
    altered = dataclasses.replace(demo.demo_certificate(), **{field: values[field]})
    with pytest.raises(CertificateMismatchError, match=field.replace("id_number", "masked_id_number")):
        build_certificate_pdf(altered)


@pytest.mark.parametrize("url", ["/api/v1/certificates/1/verify?code=X?code=X", "", "https://x/v/"])
def test_unusable_verification_urls_are_refused(fonts, url):
    with pytest.raises(CertificateMismatchError):
        build_certificate_pdf(demo.demo_certificate(verification_url=url))


def _layout(fonts, **overrides):
    data = demo.demo_certificate(**overrides)
    return data, layout_certificate(data, fonts.regular, qr_modules=len(qr_matrix(data.verification_url)))


@pytest.mark.parametrize("unit", UNIT_NAMES)
@pytest.mark.parametrize("issued", ISSUE_DATES)
@pytest.mark.parametrize("seal", [False, True])
def test_seal_and_text_never_overlap_for_any_unit_name_and_date(fonts, unit, issued, seal):
    _data, layout = _layout(fonts, issuing_unit=unit, issue_date=issued, checked_until=issued,
                           valid_until=date(issued.year + 1, 1, 1), seal_png=seal_png(unit) if seal else None)  # fmt: skip
    circle = layout.seal
    boxes = layout.text_boxes
    for box in boxes:
        assert box.distance_to_circle(circle.x, circle.y, circle.radius) >= GAP - 0.01, box
        assert MARGIN - 0.5 <= box.left and box.right <= PAGE_WIDTH - MARGIN + 0.5 and box.top < PAGE_HEIGHT
    for index, box in enumerate(boxes):
        assert not any(box.overlaps(other) for other in boxes[index + 1 :]), box
    assert circle.x - circle.radius >= MARGIN and circle.y - circle.radius > layout.rule_y
    in_seal = [line for line in layout.lines if line.in_seal]
    assert bool(in_seal) is (not seal)  # the placeholder is labelled; an e-seal brings its own text
    for line in in_seal:  # the label stays inside its circle
        assert line.box.distance_to_circle(circle.x, circle.y, circle.radius) < -line.size
    qr_top = layout.qr_y + QR_SIZE
    assert all(box.bottom > qr_top or box.left > layout.qr_x + QR_SIZE for box in boxes)


@pytest.mark.parametrize("unit", [UNIT_NAMES[0], UNIT_NAMES[2], UNIT_NAMES[5]])
@pytest.mark.parametrize("seal", [False, True])
def test_no_black_ink_inside_the_rendered_seal(fonts, tmp_path, unit, seal):
    """Independently of the layout's own boxes: rasterise the page and look inside the seal's circle."""
    data, layout = _layout(fonts, issuing_unit=unit, seal_png=seal_png(unit) if seal else None)
    dpi = 50
    (gray,) = render_png(build_certificate_pdf(data), tmp_path, dpi=dpi)
    scale = dpi / 72
    rows, cols = np.ogrid[: gray.shape[0], : gray.shape[1]]
    cx, cy = layout.seal.x * scale, (PAGE_HEIGHT - layout.seal.y) * scale
    near = (cols - cx) ** 2 + (rows - cy) ** 2 <= ((layout.seal.radius + GAP / 2) * scale) ** 2
    assert gray[near].min() > 60  # red ink is mid-gray in grayscale; black text would be near 0
    ring = near & ((cols - cx) ** 2 + (rows - cy) ** 2 >= ((layout.seal.radius - 2 * mm) * scale) ** 2)
    assert (gray[ring] < 200).any()  # the seal (or its outline) is really there


def test_same_data_gives_identical_bytes_and_dated_metadata(fonts):
    first = build_certificate_pdf(demo.demo_certificate())
    assert first == build_certificate_pdf(demo.demo_certificate())
    assert first != build_certificate_pdf(demo.demo_certificate(purpose="入学"))
    metadata = pypdf.PdfReader(io.BytesIO(first)).metadata
    assert metadata["/CreationDate"].startswith("D:20240506")
    assert not any("张三" in str(value) or "11010519491231002X" in str(value) for value in metadata.values())


def test_long_names_and_purposes_wrap(fonts):
    data = demo.demo_certificate(name="阿卜杜热合曼·买买提艾力·库尔班江·吐尔逊巴依", id_type="外国人永久居留身份证",
                                 purpose="其他：办理子女入学及出国（境）留学手续所需证明材料")  # fmt: skip
    assert finding_sentence(data) in flat_text(build_certificate_pdf(data))


def test_the_longest_signable_fields_still_fit_and_an_absurd_address_is_refused(fonts):
    longest = demo.demo_certificate(name="阿" * 64, purpose="就" * 40, issuing_unit="局" * 64)
    assert finding_sentence(longest) in flat_text(build_certificate_pdf(longest))
    with pytest.raises(TextDoesNotFitError):
        build_certificate_pdf(demo.demo_certificate(lookup_url="https://verify.example.org/" + "x" * 400))
