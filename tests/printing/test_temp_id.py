from __future__ import annotations

from datetime import date

import cv2
import numpy as np
import pytest
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from printing import demo
from printing.layout import TextDoesNotFitError
from printing.temp_id import (
    ADDRESS_MAX_LINES,
    CARD_HEIGHT,
    CARD_WIDTH,
    PHOTO_BOX,
    build_temp_id_pdf,
    grayscale_photo,
    layout_address,
    validity_period,
)
from tests.printing.conftest import page_texts, pdf_pages, text_runs

LONG_ADDRESS = "内蒙古自治区呼和浩特市赛罕区大学东街与昭乌达路交汇处东南角锦绣嘉园小区东区二期17号楼3单元1102室"


def _flat(text: str) -> str:
    return "".join(text.split())


def test_two_card_sized_pages_front_then_back(fonts):
    pdf = build_temp_id_pdf(demo.demo_temp_id())
    pages = pdf_pages(pdf)
    assert len(pages) == 2
    for page in pages:
        assert float(page.mediabox.width) == pytest.approx(85.6 * mm, abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(54 * mm, abs=0.01)
    front, back = (_flat(text) for text in page_texts(pdf))
    for expected in (
        "姓名张三",
        "性别男",
        "民族汉",
        "出生1949年12月31日",
        "公民身份号码11010519491231002X",
        "住址北京市朝阳区建国路88号院3号楼2单元501室",
    ):
        assert expected in front
    for expected in (
        "中华人民共和国",
        "临时居民身份证",
        "签发机关北京市公安局朝阳分局",
        "有效期限2024.05.06-2024.08.06",
        "110105240506001",
    ):
        assert expected in back
    assert "张三" not in back


def test_validity_is_configurable_and_clamped_to_month_end(fonts):
    assert validity_period(date(2023, 11, 30)) == (date(2023, 11, 30), date(2024, 2, 29))
    data = demo.demo_temp_id(issue_date=date(2024, 8, 31), valid_months=6)
    assert "2024.08.31-2025.02.28" in _flat(page_texts(build_temp_id_pdf(data))[1])


def test_long_address_wraps_beside_the_photo_within_the_card(fonts):
    fitted = layout_address(LONG_ADDRESS, fonts.regular)
    assert 1 < len(fitted.lines) <= ADDRESS_MAX_LINES
    pdf = build_temp_id_pdf(demo.demo_temp_id(address=LONG_ADDRESS))
    assert LONG_ADDRESS in _flat(page_texts(pdf)[0])
    photo_left = PHOTO_BOX[0]
    address_runs = [run for run in text_runs(pdf_pages(pdf)[0]) if run[0] in fitted.lines]
    assert len(address_runs) == len(fitted.lines)
    for text, x, y, size in address_runs:
        assert size == pytest.approx(fitted.size)
        assert x + stringWidth(text, fonts.regular, size) <= photo_left
        assert 8 * mm < y < CARD_HEIGHT  # above the ID number line, on the card


def test_every_front_run_stays_on_the_card(fonts):
    pdf = build_temp_id_pdf(demo.demo_temp_id(address=LONG_ADDRESS, name="阿卜杜热合曼·买买提"))
    for page in pdf_pages(pdf):
        for text, x, y, size in text_runs(page):
            assert 0 <= x and x + stringWidth(text, fonts.regular, size) <= CARD_WIDTH, text
            assert 0 <= y <= CARD_HEIGHT, text


def test_address_that_cannot_fit_is_refused(fonts):
    with pytest.raises(TextDoesNotFitError):
        build_temp_id_pdf(demo.demo_temp_id(address=LONG_ADDRESS * 3))


def test_photo_is_embedded_grayscale_and_cropped_to_the_box(fonts):
    pdf = build_temp_id_pdf(demo.demo_temp_id())
    images = list(pdf_pages(pdf)[0].images)
    assert len(images) == 1
    assert images[0].image.mode == "L"
    width, height = images[0].image.size
    assert width / height == pytest.approx(PHOTO_BOX[2] / PHOTO_BOX[3], rel=0.02)


def test_grayscale_conversion_of_a_wide_colour_jpeg():
    colour = np.zeros((300, 900, 3), dtype=np.uint8)
    colour[:, :, 2] = 200  # pure red in BGR
    ok, jpeg = cv2.imencode(".jpg", colour)
    assert ok
    gray = cv2.imdecode(np.frombuffer(grayscale_photo(jpeg.tobytes(), 0.75), np.uint8), cv2.IMREAD_UNCHANGED)
    assert gray.ndim == 2
    assert gray.shape == (300, 225)
    assert 50 < int(gray.mean()) < 70  # luminance of red, not the red channel itself


def test_unreadable_photo_is_a_clear_error(fonts):
    with pytest.raises(ValueError, match="photo"):
        build_temp_id_pdf(demo.demo_temp_id(photo=b"not an image"))


def test_temp_id_is_deterministic(fonts):
    assert build_temp_id_pdf(demo.demo_temp_id()) == build_temp_id_pdf(demo.demo_temp_id())
