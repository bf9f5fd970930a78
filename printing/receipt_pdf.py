"""A ReceiptJob drawn as an 80 mm wide PDF, for previews on the technician screen and for tests.

Geometry follows the printer: 72 mm printable at 203 dpi = 576 dots = 48 columns of 1.5 mm; the monospaced
CJK face at 3 mm puts a Latin glyph in exactly one column and a CJK glyph in two, so what lines up on paper
lines up in the preview. Double size doubles both directions, as GS ! 0x11 does.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from devices.receipt.job import PAPER_COLUMNS, Align, Cut, Element, Feed, QrCode, ReceiptJob, Rule, Text
from printing.fonts import register_cjk_fonts
from printing.layout import CHINA_TZ, draw_text, new_canvas
from printing.qr import draw_qr, qr_matrix
from printing.receipts import text_columns

PAPER_WIDTH = 80 * mm
COLUMN = 72 * mm / PAPER_COLUMNS
LEFT = (PAPER_WIDTH - PAPER_COLUMNS * COLUMN) / 2
GLYPH = 2 * COLUMN  # em size of the mono face: a CJK glyph spans two columns
LINE = 4 * mm  # 24-dot glyph + 8-dot line spacing
DOT = 25.4 * mm / 203
VERTICAL_MARGIN = 4 * mm
_EPOCH = datetime(2000, 1, 1, tzinfo=CHINA_TZ)

Draw = Callable[[Canvas, float], None]  # draws one element whose top edge is at y


def _text_op(element: Text, font: str) -> tuple[float, Draw]:
    scale = 2 if element.double else 1
    offset = {
        Align.LEFT: 0,
        Align.CENTER: (PAPER_COLUMNS - text_columns(element)) // 2,
        Align.RIGHT: PAPER_COLUMNS - text_columns(element),
    }[element.align]
    height = LINE * scale

    def draw(canvas: Canvas, top: float) -> None:
        draw_text(
            canvas,
            LEFT + max(offset, 0) * COLUMN,
            top - height * 0.78,
            element.text,
            font=font,
            size=GLYPH * scale,
            bold=element.bold,
        )

    return height, draw


def _qr_op(element: QrCode) -> tuple[float, Draw]:
    matrix = qr_matrix(element.data, element.error_correction)
    module = element.module_size * DOT
    size = module * len(matrix)

    def draw(canvas: Canvas, top: float) -> None:
        draw_qr(canvas, matrix, (PAPER_WIDTH - size) / 2, top - size - LINE / 2, size)

    return size + LINE, draw


def _cut_op() -> tuple[float, Draw]:
    def draw(canvas: Canvas, top: float) -> None:
        canvas.saveState()
        canvas.setStrokeColorRGB(0.6, 0.6, 0.6)
        canvas.setDash(3, 3)
        canvas.line(0, top - LINE / 2, PAPER_WIDTH, top - LINE / 2)
        canvas.restoreState()

    return LINE, draw


def _operation(element: Element, font: str) -> tuple[float, Draw]:
    if isinstance(element, Text):
        return _text_op(element, font)
    if isinstance(element, Rule):
        return _text_op(Text(element.char * (PAPER_COLUMNS // max(1, text_columns(Text(element.char))))), font)
    if isinstance(element, Feed):
        return LINE * element.lines, lambda canvas, top: None
    if isinstance(element, QrCode):
        return _qr_op(element)
    if isinstance(element, Cut):
        return _cut_op()
    raise TypeError(f"unknown receipt element {element!r}")


def _created(job: ReceiptJob) -> datetime:
    try:
        return datetime.fromisoformat(job.metadata.get("issued_at", ""))
    except ValueError:
        return _EPOCH  # no date in the job: still deterministic


def render_receipt_pdf(job: ReceiptJob) -> bytes:
    """One page as long as the receipt; identical jobs give identical bytes."""
    font = register_cjk_fonts().mono
    operations = [_operation(element, font) for element in job.elements]
    height = sum(h for h, _ in operations) + 2 * VERTICAL_MARGIN
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (PAPER_WIDTH, height), title=f"receipt {job.reference}", created=_created(job))
    top = height - VERTICAL_MARGIN
    for element_height, draw in operations:
        draw(canvas, top)
        top -= element_height
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
