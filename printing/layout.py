"""Shared drawing helpers: deterministic canvases, CJK line wrapping, synthetic bold, Chinese dates.

reportlab's own splitters break lines at spaces, which Chinese text does not have; `wrap_text` breaks
between any two characters but keeps Latin/digit runs (ID numbers, certificate numbers) whole and follows
the basic line-breaking rules (no closing punctuation at a line start, no opening bracket at a line end).
"""

from __future__ import annotations

import calendar
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from printing.fonts import register_cjk_fonts

CHINA_TZ = timezone(timedelta(hours=8))
PRODUCER = "police-kiosk printing"

_NO_LINE_START = frozenset("，。、；：！？）》」』”’〕】…,.;:!?)%")
_NO_LINE_END = frozenset("（《「『“‘〔【(")
_TOKEN = re.compile(r"[A-Za-z0-9]+|\s+|.", re.DOTALL)


class TextDoesNotFitError(ValueError):
    """Text that cannot be laid out in its box even at the smallest allowed size."""


def new_canvas(buffer: io.BytesIO, pagesize: tuple[float, float], *, title: str, created: datetime) -> Canvas:
    """A canvas whose bytes depend only on what is drawn: invariant mode plus a creation date from the data.

    The title goes into the PDF metadata, so it must never carry personal data.
    """
    # The initial font is ours, not Helvetica: otherwise every page lists an unembedded base-14 font.
    canvas = Canvas(
        buffer, pagesize=pagesize, invariant=1, pageCompression=1, initialFontName=register_cjk_fonts().regular
    )
    stamp = created if created.tzinfo else created.replace(tzinfo=CHINA_TZ)
    offset_minutes = int(stamp.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
    sign = "+" if offset_minutes >= 0 else "-"
    pdf_date = f"D:{stamp:%Y%m%d%H%M%S}{sign}{abs(offset_minutes) // 60:02d}'{abs(offset_minutes) % 60:02d}'"
    canvas.setDateFormatter(lambda *_ignored: pdf_date)
    canvas.setTitle(title)
    canvas.setAuthor("")
    canvas.setSubject("")
    canvas.setCreator(PRODUCER)
    canvas.setProducer(PRODUCER)
    return canvas


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=CHINA_TZ)


def draw_text(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    *,
    font: str,
    size: float,
    bold: bool = False,
    align: str = "left",
    char_space: float = 0.0,
) -> None:
    """Draw one line; bold is synthesised (fill + stroke of the outline) because the CJK face has no bold."""
    width = stringWidth(text, font, size) + char_space * max(len(text) - 1, 0)
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    # Tc and Tr are text-state operators that outlive the text object: isolate them in q/Q.
    styled = bold or bool(char_space)
    if styled:
        canvas.saveState()
    text_object = canvas.beginText(x, y)
    text_object.setFont(font, size)
    if char_space:
        text_object.setCharSpace(char_space)
    if bold:
        canvas.setLineWidth(size * 0.035)
        text_object.setTextRenderMode(2)
    text_object.textOut(text)
    canvas.drawText(text_object)
    if styled:
        canvas.restoreState()


def _tokens(text: str) -> Iterator[str]:
    """Unbreakable pieces: Latin/digit runs, whitespace runs, single characters with their punctuation."""
    pieces = _TOKEN.findall(text)
    merged: list[str] = []
    carry = ""
    for piece in pieces:
        if piece in _NO_LINE_END:
            carry += piece
            continue
        piece = carry + piece
        carry = ""
        if merged and piece[0] in _NO_LINE_START:
            merged[-1] += piece
        else:
            merged.append(piece)
    if carry:
        merged.append(carry)
    return iter(merged)


def _split_wide(token: str, font: str, size: float, max_width: float) -> list[str]:
    """A token wider than the line (a very long number) is broken by characters as a last resort."""
    parts: list[str] = []
    current = ""
    for char in token:
        if current and stringWidth(current + char, font, size) > max_width:
            parts.append(current)
            current = ""
        current += char
    parts = [*parts, current] if current else parts
    for index in range(1, len(parts)):
        # keep closing punctuation off the line start by carrying one character along, when that fits
        moved = parts[index - 1][-1:] + parts[index]
        if (
            parts[index][0] in _NO_LINE_START
            and len(parts[index - 1]) > 1
            and (stringWidth(moved, font, size) <= max_width)
        ):
            parts[index - 1], parts[index] = parts[index - 1][:-1], moved
    return parts


def _wrap_paragraph(paragraph: str, font: str, size: float, max_width: float, first_indent: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for token in _tokens(paragraph):
        width = max_width - (first_indent if not lines else 0.0)
        if not current and token.isspace():
            continue  # no leading blanks on a wrapped line
        if stringWidth(current + token, font, size) <= width:
            current += token
            continue
        if current:
            lines.append(current.rstrip())
            current = ""
            width = max_width
        if token.isspace():
            continue
        pieces = _split_wide(token, font, size, width)
        lines.extend(pieces[:-1])
        current = pieces[-1]
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


def wrap_text(text: str, font: str, size: float, max_width: float, *, first_indent: float = 0.0) -> list[str]:
    """Lines of `text` no wider than `max_width` points; explicit newlines start new paragraphs.

    `first_indent` narrows the first line of each paragraph (the caller draws it further right).
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, font, size, max_width, first_indent))
    return lines


@dataclass(frozen=True)
class FittedText:
    size: float
    lines: tuple[str, ...]


def fit_text(
    text: str, font: str, max_width: float, *, max_lines: int, start_size: float, min_size: float
) -> FittedText:
    """The largest size (in 0.25 pt steps) at which `text` wraps into at most `max_lines` lines."""
    size = start_size
    while size >= min_size - 1e-9:
        lines = wrap_text(text, font, size, max_width)
        if len(lines) <= max_lines:
            return FittedText(size, tuple(lines))
        size -= 0.25
    raise TextDoesNotFitError(f"text of {len(text)} characters does not fit in {max_lines} lines")


def chinese_date(day: date) -> str:
    """2024年05月01日 — the zero-padded form the certificate wording uses."""
    return f"{day.year}年{day.month:02d}月{day.day:02d}日"


def add_months(day: date, months: int) -> date:
    """Same day `months` later, clamped to the month's end (30 Nov + 3 months = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
