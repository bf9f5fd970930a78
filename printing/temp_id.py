"""The temporary resident ID card (临时居民身份证): a two-page PDF of card size, front and back.

Front: 姓名 性别 民族 出生 住址 公民身份号码 and a black-and-white photo. Back: 中华人民共和国 临时居民身份证,
签发机关, 有效期限 (3 months from issue, 公安部令第78号) and the card number. No national emblem is drawn:
the card stock carries the printed security background; the kiosk prints the variable data only.
The photo arrives as PNG/JPEG bytes; OpenCV turns it grayscale and crops it to the photo box, because
reportlab draws images as given.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import cv2
import numpy as np
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from printing.fonts import register_cjk_fonts
from printing.layout import (
    FittedText,
    TextDoesNotFitError,
    add_months,
    draw_text,
    fit_text,
    new_canvas,
    start_of_day,
    wrap_text,
)

CARD_WIDTH = 85.6 * mm
CARD_HEIGHT = 54 * mm
DEFAULT_VALID_MONTHS = 3

LABEL_X = 5 * mm
VALUE_X = 15.5 * mm
PHOTO_BOX = (59 * mm, 12 * mm, 22.5 * mm, 29 * mm)  # x, y, width, height
PHOTO_MAX_PIXELS_HIGH = 400  # ~350 dpi over the box: sharp enough, small file
ADDRESS_TOP = 25.5 * mm
ADDRESS_WIDTH = PHOTO_BOX[0] - 1.5 * mm - VALUE_X
ADDRESS_MAX_LINES = 3
ADDRESS_SIZES = (9.0, 6.0)  # start, smallest
LABEL_COLOUR = (0.15, 0.35, 0.6)
DIGITS_FONT_SIZE = 10.5


@dataclass(frozen=True)
class TempIdCardData:
    name: str
    sex: str  # 男 / 女
    ethnicity: str  # 民族 without the suffix, e.g. 汉
    birth_date: date
    address: str
    id_number: str
    photo: bytes  # PNG or JPEG; converted to grayscale here
    issuing_authority: str  # 签发机关, the county-level bureau
    issue_date: date
    card_number: str
    valid_months: int = DEFAULT_VALID_MONTHS


def validity_period(issue_date: date, months: int = DEFAULT_VALID_MONTHS) -> tuple[date, date]:
    return issue_date, add_months(issue_date, months)


def format_validity(issue_date: date, months: int = DEFAULT_VALID_MONTHS) -> str:
    start, end = validity_period(issue_date, months)
    return f"{start:%Y.%m.%d}-{end:%Y.%m.%d}"


def layout_address(address: str, font: str) -> FittedText:
    """Up to three lines beside the photo, shrinking the font; TextDoesNotFitError when even 6 pt fails."""
    start, smallest = ADDRESS_SIZES
    return fit_text(address, font, ADDRESS_WIDTH, max_lines=ADDRESS_MAX_LINES, start_size=start, min_size=smallest)


def grayscale_photo(photo: bytes, aspect: float) -> bytes:
    """Decode, convert to 8-bit gray, centre-crop to width/height `aspect`, cap the size; PNG bytes."""
    gray = cv2.imdecode(np.frombuffer(photo, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
    if gray is None:
        raise ValueError("photo is not a readable PNG or JPEG image")
    height, width = gray.shape
    if width / height > aspect:
        new_width = max(1, round(height * aspect))
        left = (width - new_width) // 2
        gray = gray[:, left : left + new_width]
    else:
        new_height = max(1, round(width / aspect))
        top = (height - new_height) // 2
        gray = gray[top : top + new_height, :]
    if gray.shape[0] > PHOTO_MAX_PIXELS_HIGH:
        scale = PHOTO_MAX_PIXELS_HIGH / gray.shape[0]
        gray = cv2.resize(
            gray, (max(1, round(gray.shape[1] * scale)), PHOTO_MAX_PIXELS_HIGH), interpolation=cv2.INTER_AREA
        )
    ok, encoded = cv2.imencode(".png", gray)
    if not ok:
        raise ValueError("photo could not be re-encoded")
    return encoded.tobytes()


def _label(canvas: Canvas, y: float, text: str, font: str, x: float = LABEL_X) -> None:
    canvas.setFillColorRGB(*LABEL_COLOUR)
    draw_text(canvas, x, y, text, font=font, size=7.5, char_space=1.5 if len(text) == 2 else 0)
    canvas.setFillColorRGB(0, 0, 0)


def _draw_front(canvas: Canvas, data: TempIdCardData, font: str) -> None:
    _label(canvas, 44 * mm, "姓名", font)
    draw_text(canvas, VALUE_X, 44 * mm, data.name, font=font, size=10.5, bold=True)
    _label(canvas, 37.5 * mm, "性别", font)
    draw_text(canvas, VALUE_X, 37.5 * mm, data.sex, font=font, size=9)
    _label(canvas, 37.5 * mm, "民族", font, x=VALUE_X + 13 * mm)
    draw_text(canvas, VALUE_X + 23.5 * mm, 37.5 * mm, data.ethnicity, font=font, size=9)
    _label(canvas, 31.5 * mm, "出生", font)
    birth = data.birth_date
    draw_text(canvas, VALUE_X, 31.5 * mm, f"{birth.year}年{birth.month}月{birth.day}日", font=font, size=9)
    _label(canvas, ADDRESS_TOP, "住址", font)
    address = layout_address(data.address, font)
    for index, line in enumerate(address.lines):
        draw_text(canvas, VALUE_X, ADDRESS_TOP - index * address.size * 1.35, line, font=font, size=address.size)
    _label(canvas, 6 * mm, "公民身份号码", font)
    draw_text(canvas, 25 * mm, 6 * mm, data.id_number, font=font, size=DIGITS_FONT_SIZE, bold=True, char_space=1.2)
    x, y, width, height = PHOTO_BOX
    photo = grayscale_photo(data.photo, width / height)
    canvas.drawImage(ImageReader(io.BytesIO(photo)), x, y, width, height)


def _draw_back(canvas: Canvas, data: TempIdCardData, font: str) -> None:
    draw_text(
        canvas, CARD_WIDTH - 5 * mm, CARD_HEIGHT - 6 * mm, f"No. {data.card_number}", font=font, size=7, align="right"
    )
    draw_text(
        canvas, CARD_WIDTH / 2, 39 * mm, "中华人民共和国", font=font, size=13, bold=True, align="center", char_space=3
    )
    draw_text(
        canvas, CARD_WIDTH / 2, 29 * mm, "临时居民身份证", font=font, size=16, bold=True, align="center", char_space=3
    )
    value_x = 27 * mm
    _label(canvas, 16 * mm, "签发机关", font, x=12 * mm)
    authority = wrap_text(data.issuing_authority, font, 8.5, CARD_WIDTH - value_x - 4 * mm)
    if len(authority) > 2:
        raise TextDoesNotFitError("issuing authority does not fit in two lines")
    for index, line in enumerate(authority):
        draw_text(canvas, value_x, 16 * mm - index * 11, line, font=font, size=8.5)
    _label(canvas, 8 * mm, "有效期限", font, x=12 * mm)
    draw_text(canvas, value_x, 8 * mm, format_validity(data.issue_date, data.valid_months), font=font, size=8.5)


def build_temp_id_pdf(data: TempIdCardData) -> bytes:
    """Front page then back page, each 85.6 x 54 mm; identical data gives identical bytes."""
    font = register_cjk_fonts().regular
    buffer = io.BytesIO()
    canvas = new_canvas(
        buffer, (CARD_WIDTH, CARD_HEIGHT), title="临时居民身份证", created=start_of_day(data.issue_date)
    )
    _draw_front(canvas, data, font)
    canvas.showPage()
    _draw_back(canvas, data, font)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
