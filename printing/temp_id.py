"""The temporary resident ID card (临时居民身份证): a two-page PDF of card size, front and back, made for a
monochrome card printer at a known resolution.

Front: 姓名 性别 民族 出生 住址 公民身份号码 and the photo. Back: 中华人民共和国 临时居民身份证 (unless the stock
has them pre-printed), 签发机关, 有效期限 exactly as the backend issued it, and the card number. The national
emblem is never drawn: the stock carries it, and the layout leaves its area (devices.cardprinter.stock) free.

Everything is pure black, because the printer's K panel prints dots, not shades: coloured or gray text
would come out halftoned into broken dots. The photo is dithered here, on purpose, for the printer's dpi:
scaled to the exact dots of its box, contrast stretched, Floyd-Steinberg to 1 bit, and drawn as vector dots
on the printer's dot grid (printing.dots), so every dot passes to the panel one to one instead of being
re-screened into grain.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import cv2
import numpy as np
from PIL import Image, ImageOps
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from devices.cardprinter.stock import CARD_HEIGHT_MM, CARD_WIDTH_MM, DEFAULT_STOCK, CardStock
from printing.dots import draw_dots
from printing.fonts import register_cjk_fonts
from printing.geometry import TextLine, text_line
from printing.layout import FittedText, TextDoesNotFitError, add_months, draw_text, fit_text, new_canvas, start_of_day
from printing.layout import wrap_text as wrap

CARD_WIDTH = CARD_WIDTH_MM * mm
CARD_HEIGHT = CARD_HEIGHT_MM * mm
DEFAULT_DPI = 300  # what card printers (Evolis, Zebra, Fargo) print at
DEFAULT_VALID_MONTHS = 3

LABEL_X = 5 * mm
VALUE_X = 15.5 * mm
PHOTO_BOX = (59 * mm, 12 * mm, 22.5 * mm, 29 * mm)  # x, y, width, height (before snapping to the dot grid)
ADDRESS_TOP = 25.5 * mm
ADDRESS_WIDTH = PHOTO_BOX[0] - 1.5 * mm - VALUE_X
ADDRESS_MAX_LINES = 3
ADDRESS_SIZES = (9.0, 6.0)  # start, smallest
LABEL_SIZE = 7.5
DIGITS_FONT_SIZE = 10.5
TITLE_GAP = 3 * mm  # between the emblem's area and the titles


@dataclass(frozen=True)
class TempIdCardData:
    name: str
    sex: str  # 男 / 女
    ethnicity: str  # 民族 without the suffix, e.g. 汉
    birth_date: date
    address: str
    id_number: str
    photo: bytes  # PNG or JPEG from the registry
    issuing_authority: str  # 签发机关, the county-level bureau
    valid_from: date  # as issued by the backend
    valid_until: date
    card_number: str


@dataclass(frozen=True)
class CardPrintSpec:
    """What the card printer needs of the document: its dot grid and its stock."""

    dpi: int = DEFAULT_DPI
    stock: CardStock = DEFAULT_STOCK


def validity_period(issue_date: date, months: int = DEFAULT_VALID_MONTHS) -> tuple[date, date]:
    """The rule the backend applies (公安部令第78号: 3 months); the card prints the backend's dates."""
    return issue_date, add_months(issue_date, months)


def format_validity(valid_from: date, valid_until: date) -> str:
    return f"{valid_from:%Y.%m.%d}-{valid_until:%Y.%m.%d}"


def layout_address(address: str, font: str) -> FittedText:
    """Up to three lines beside the photo, shrinking the font; TextDoesNotFitError when even 6 pt fails."""
    start, smallest = ADDRESS_SIZES
    return fit_text(address, font, ADDRESS_WIDTH, max_lines=ADDRESS_MAX_LINES, start_size=start, min_size=smallest)


Box = tuple[float, float, float, float]  # x, y, width, height in points, origin bottom left


def snap_to_dots(box: Box, dpi: int) -> tuple[Box, tuple[int, int]]:
    """The box moved onto the printer's dot grid, which starts at the card's top
    left corner; returns (snapped box, (width, height) in dots)."""
    x, y, width, height = box
    per_point = dpi / 72
    left, top = round(x * per_point), round((CARD_HEIGHT - y - height) * per_point)
    dots_w, dots_h = round(width * per_point), round(height * per_point)
    snapped = (left / per_point, CARD_HEIGHT - (top + dots_h) / per_point, dots_w / per_point, dots_h / per_point)
    return snapped, (dots_w, dots_h)


def _centre_crop(gray: np.ndarray, aspect: float) -> np.ndarray:
    height, width = gray.shape
    if width / height > aspect:
        new_width = max(1, round(height * aspect))
        left = (width - new_width) // 2
        return gray[:, left : left + new_width]
    new_height = max(1, round(width / aspect))
    top = (height - new_height) // 2
    return gray[top : top + new_height, :]


def dithered_photo(photo: bytes, dots: tuple[int, int]) -> np.ndarray:
    """The photo as `dots` (width, height) of ink (True) or paper: gray, cropped, resampled, stretched, dithered."""
    gray = cv2.imdecode(np.frombuffer(photo, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
    if gray is None:
        raise ValueError("photo is not a readable PNG or JPEG image")
    cropped = _centre_crop(gray, dots[0] / dots[1])
    resized = cv2.resize(cropped, dots, interpolation=cv2.INTER_AREA)
    stretched = ImageOps.autocontrast(Image.fromarray(resized), cutoff=1)
    return ~np.asarray(stretched.convert("1", dither=Image.Dither.FLOYDSTEINBERG), dtype=bool)


def _label(text: str, x: float, y: float, font: str) -> TextLine:
    return text_line(text, x, y, font, LABEL_SIZE, char_space=1.5 if len(text) == 2 else 0.0)


def front_lines(data: TempIdCardData, font: str) -> list[TextLine]:
    birth = data.birth_date
    lines = [
        _label("姓名", LABEL_X, 44 * mm, font), text_line(data.name, VALUE_X, 44 * mm, font, 10.5, bold=True),
        _label("性别", LABEL_X, 37.5 * mm, font), text_line(data.sex, VALUE_X, 37.5 * mm, font, 9),
        _label("民族", VALUE_X + 13 * mm, 37.5 * mm, font),
        text_line(data.ethnicity, VALUE_X + 23.5 * mm, 37.5 * mm, font, 9),
        _label("出生", LABEL_X, 31.5 * mm, font),
        text_line(f"{birth.year}年{birth.month}月{birth.day}日", VALUE_X, 31.5 * mm, font, 9),
        _label("住址", LABEL_X, ADDRESS_TOP, font),
    ]  # fmt: skip
    address = layout_address(data.address, font)
    for index, line in enumerate(address.lines):
        lines.append(text_line(line, VALUE_X, ADDRESS_TOP - index * address.size * 1.35, font, address.size))
    lines.append(_label("公民身份号码", LABEL_X, 6 * mm, font))
    lines.append(text_line(data.id_number, 25 * mm, 6 * mm, font, DIGITS_FONT_SIZE, bold=True, char_space=1.2))
    return lines


def _titles(font: str, stock: CardStock) -> list[TextLine]:
    """Right of the emblem's area, level with it; centred on the card when the stock has no emblem."""
    if stock.preprinted_titles:
        return []
    emblem = stock.emblem
    left = emblem.right * mm + TITLE_GAP if emblem else 4 * mm
    centre = (left + CARD_WIDTH - 4 * mm) / 2
    top = CARD_HEIGHT - (emblem.top * mm if emblem else 9 * mm)
    first = text_line("中华人民共和国", centre, top - 6.5 * mm, font, 13, align="center", bold=True, char_space=3)
    second = text_line("临时居民身份证", centre, top - 15.5 * mm, font, 16, align="center", bold=True, char_space=3)
    if first.box.left < left or second.box.left < left:
        raise TextDoesNotFitError("the card titles do not fit beside the emblem's area")
    return [first, second]


def back_lines(data: TempIdCardData, font: str, stock: CardStock) -> list[TextLine]:
    value_x = 27 * mm
    lines = [*_titles(font, stock), _label("签发机关", 12 * mm, 16 * mm, font)]
    authority = wrap(data.issuing_authority, font, 8.5, CARD_WIDTH - value_x - 4 * mm)
    if len(authority) > 2:
        raise TextDoesNotFitError("issuing authority does not fit in two lines")
    lines += [text_line(line, value_x, 16 * mm - index * 11, font, 8.5) for index, line in enumerate(authority)]
    lines.append(_label("有效期限", 12 * mm, 8 * mm, font))
    lines.append(text_line(format_validity(data.valid_from, data.valid_until), value_x, 8 * mm, font, 8.5))
    lines.append(text_line(f"No. {data.card_number}", CARD_WIDTH - 4 * mm, 3 * mm, font, 7, align="right"))
    return lines


def _draw(canvas: Canvas, lines: list[TextLine], font: str) -> None:
    for line in lines:
        draw_text(canvas, line.x, line.y, line.text, font=font, size=line.size, bold=line.bold,
                  char_space=line.char_space)  # fmt: skip


def build_temp_id_pdf(data: TempIdCardData, spec: CardPrintSpec = CardPrintSpec()) -> bytes:
    """Front page then back page, each 85.6 x 54 mm; identical data gives identical bytes."""
    if data.valid_until < data.valid_from:
        raise ValueError("the card's validity ends before it begins")
    font = register_cjk_fonts().regular
    (x, y, _width, height), dots = snap_to_dots(PHOTO_BOX, spec.dpi)
    photo = dithered_photo(data.photo, dots)
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (CARD_WIDTH, CARD_HEIGHT), title="临时居民身份证", created=start_of_day(data.valid_from))
    _draw(canvas, front_lines(data, font), font)
    draw_dots(canvas, photo, x, y + height, 72 / spec.dpi)
    canvas.showPage()
    _draw(canvas, back_lines(data, font, spec.stock), font)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
