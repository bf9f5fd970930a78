from __future__ import annotations

import subprocess
from datetime import date

import cv2
import numpy as np
import pytest
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from devices.cardprinter.render import page_offset, render_pdf_panels
from devices.cardprinter.stock import CardStock, MmBox
from printing import demo
from printing.layout import TextDoesNotFitError
from printing.temp_id import (
    ADDRESS_MAX_LINES,
    CARD_HEIGHT,
    CARD_WIDTH,
    PHOTO_BOX,
    CardPrintSpec,
    back_lines,
    build_temp_id_pdf,
    dithered_photo,
    front_lines,
    layout_address,
    snap_to_dots,
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


def test_the_validity_printed_is_the_backends_not_one_recomputed(fonts):
    assert validity_period(date(2023, 11, 30)) == (date(2023, 11, 30), date(2024, 2, 29))
    data = demo.demo_temp_id(valid_from=date(2024, 8, 31), valid_until=date(2024, 11, 29))  # not 3 months to the day
    assert "2024.08.31-2024.11.29" in _flat(page_texts(build_temp_id_pdf(data))[1])
    with pytest.raises(ValueError, match="validity"):
        build_temp_id_pdf(demo.demo_temp_id(valid_from=date(2024, 8, 31), valid_until=date(2024, 8, 30)))


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


def _panel_array(bitmap) -> np.ndarray:
    rows = np.frombuffer(bitmap.data, np.uint8).reshape(bitmap.height, bitmap.row_bytes)
    return np.unpackbits(rows, axis=1)[:, : bitmap.width].astype(bool)


@pytest.mark.parametrize("dpi", [300, 600])
def test_the_dithered_photo_reaches_the_printer_dot_for_dot(fonts, dpi):
    """The photo is dithered for the printer's grid and drawn on it: the panel holds exactly those dots."""
    spec = CardPrintSpec(dpi=dpi)
    pdf = build_temp_id_pdf(demo.demo_temp_id(), spec)
    assert not list(pdf_pages(pdf)[0].images)  # vector dots, not an image the rasteriser would resample
    box, dots = snap_to_dots(PHOTO_BOX, dpi)
    expected = dithered_photo(demo.demo_photo_png(), dots)
    assert 0.05 < expected.mean() < 0.6  # really dithered: neither blank nor solid
    width_px, height_px = round(1016 * dpi / 300), round(648 * dpi / 300)
    front = _panel_array(render_pdf_panels(pdf, dpi=dpi, width_px=width_px, height_px=height_px)[0])
    page_px = (int(np.ceil(CARD_WIDTH * dpi / 72)), int(np.ceil(CARD_HEIGHT * dpi / 72)))
    left, top = page_offset(page_px, (width_px, height_px))
    x, top_px = round(box[0] * dpi / 72) + left, round((CARD_HEIGHT - box[1] - box[3]) * dpi / 72) + top
    assert np.array_equal(front[top_px : top_px + dots[1], x : x + dots[0]], expected)


def test_grayscale_conversion_of_a_wide_colour_jpeg():
    colour = np.zeros((300, 900, 3), dtype=np.uint8)
    colour[:, :150, 2] = 200  # a red band on the left: cropped away with the rest of the width
    colour[:, 300:600] = (90, 90, 90)
    ok, jpeg = cv2.imencode(".jpg", colour)
    assert ok
    dots = dithered_photo(jpeg.tobytes(), (75, 100))
    assert dots.shape == (100, 75)
    assert 0.2 < dots.mean() < 0.8  # a mid gray comes out as a mix of dots


def test_the_back_leaves_the_emblem_free_and_titles_follow_the_stock(fonts):
    data = demo.demo_temp_id()
    for stock in (CardStock(), CardStock(emblem=MmBox(4, 3, 20, 20)), CardStock(emblem=None)):
        lines = back_lines(data, fonts.regular, stock)
        assert [line.text for line in lines[:2]] == ["中华人民共和国", "临时居民身份证"]
        for line in lines:
            assert 0 <= line.box.left and line.box.right <= CARD_WIDTH and 0 <= line.box.bottom, line.text
            if stock.emblem is not None:
                emblem_right = stock.emblem.right * mm
                emblem_bottom = CARD_HEIGHT - stock.emblem.bottom * mm
                assert line.box.left >= emblem_right or line.box.top <= emblem_bottom, line.text
        for index, line in enumerate(lines):
            assert not any(line.box.overlaps(other.box) for other in lines[index + 1 :]), line.text
    preprinted = back_lines(data, fonts.regular, CardStock(preprinted_titles=True))
    assert "中华人民共和国" not in [line.text for line in preprinted]


def test_front_text_never_overlaps_or_enters_the_photo(fonts):
    lines = front_lines(demo.demo_temp_id(address=LONG_ADDRESS, name="阿卜杜热合曼·买买提"), fonts.regular)
    photo_left, photo_bottom = PHOTO_BOX[0], PHOTO_BOX[1]
    for index, line in enumerate(lines):
        assert not any(line.box.overlaps(other.box) for other in lines[index + 1 :]), line.text
        assert line.box.right <= photo_left or line.box.top <= photo_bottom, line.text


def test_everything_is_printed_in_black(fonts, tmp_path):
    """A colour rendering of both sides has no colour in it: labels and text are black, not blue."""
    source = tmp_path / "card.pdf"
    source.write_bytes(build_temp_id_pdf(demo.demo_temp_id()))
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(source), str(tmp_path / "side")], check=True, timeout=60)
    for path in sorted(tmp_path.glob("side-*.png")):
        image = cv2.imread(str(path), cv2.IMREAD_COLOR).astype(int)
        spread = image.max(axis=2) - image.min(axis=2)
        assert spread.max() <= 2, path.name


def test_unreadable_photo_is_a_clear_error(fonts):
    with pytest.raises(ValueError, match="photo"):
        build_temp_id_pdf(demo.demo_temp_id(photo=b"not an image"))


def test_temp_id_is_deterministic(fonts):
    assert build_temp_id_pdf(demo.demo_temp_id()) == build_temp_id_pdf(demo.demo_temp_id())
