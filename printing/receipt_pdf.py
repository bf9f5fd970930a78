"""A ReceiptJob drawn as a PDF of the paper's width, for previews on the technician screen and for tests.

It draws the lines the driver prints (devices.receipt.layout, for the same profile), reprint mark
included, so the preview and the paper agree. Geometry follows the printer: 203 dpi, 12 dots (1.5 mm) a
column, 48 columns on 80 mm paper and 32 on 58 mm; the monospaced CJK face at 3 mm puts an ASCII glyph in
one column, and each character is placed in its own cell (two columns for anything but ASCII, as in 汉字
mode). Double size doubles both directions, as GS ! 0x11 does.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from devices.receipt.job import Align, Cut, Element, Feed, QrCode, ReceiptJob
from devices.receipt.layout import PrintLine, element_lines, header_lines
from devices.receipt.profile import DEFAULT_PROFILE, ReceiptProfile, char_columns, text_columns
from printing.fonts import register_cjk_fonts
from printing.layout import CHINA_TZ, draw_text, new_canvas
from printing.qr import draw_qr, qr_matrix

DOT = 25.4 * mm / 203
COLUMN = 12 * DOT
GLYPH = 2 * COLUMN  # em size of the mono face: a CJK glyph spans two columns
LINE = 4 * mm  # 24-dot glyph + 8-dot line spacing
VERTICAL_MARGIN = 4 * mm
_EPOCH = datetime(2000, 1, 1, tzinfo=CHINA_TZ)

Draw = Callable[[Canvas, float], None]  # draws one element whose top edge is at y


def _line_op(line: PrintLine, font: str, profile: ReceiptProfile) -> tuple[float, Draw]:
    scale = 2 if line.double else 1
    offset = {Align.LEFT: 0, Align.CENTER: (profile.columns - line.columns) // 2,
              Align.RIGHT: profile.columns - line.columns}[line.align]  # fmt: skip
    left = (profile.paper_mm * mm - profile.columns * COLUMN) / 2 + max(offset, 0) * COLUMN
    height = LINE * scale

    def draw(canvas: Canvas, top: float) -> None:
        x = left
        for run in _cell_runs(line.text, font):
            draw_text(canvas, x, top - height * 0.78, run, font=font, size=GLYPH * scale, bold=line.bold)
            x += text_columns(run) * COLUMN * scale

    return height, draw


def _cell_runs(text: str, font: str) -> list[str]:
    """Runs whose glyphs fill exactly their cells; a glyph narrower than its cell ('·', '—', '×': half-width
    in the font, full-width on the printer) gets a run of its own, so everything after it stays aligned."""
    runs: list[str] = []
    current = ""
    for ch in text:
        if abs(stringWidth(ch, font, GLYPH) - char_columns(ch) * COLUMN) < 0.01:
            current += ch
            continue
        runs.extend([current, ch] if current else [ch])
        current = ""
    return [*runs, current] if current else runs


def _qr_op(element: QrCode, paper_width: float) -> tuple[float, Draw]:
    matrix = qr_matrix(element.data, element.error_correction)
    size = element.module_size * DOT * len(matrix)

    def draw(canvas: Canvas, top: float) -> None:
        draw_qr(canvas, matrix, (paper_width - size) / 2, top - size - LINE / 2, size)

    return size + LINE, draw


def _cut_op(paper_width: float) -> tuple[float, Draw]:
    def draw(canvas: Canvas, top: float) -> None:
        canvas.saveState()
        canvas.setStrokeColorRGB(0.6, 0.6, 0.6)
        canvas.setDash(3, 3)
        canvas.line(0, top - LINE / 2, paper_width, top - LINE / 2)
        canvas.restoreState()

    return LINE, draw


def _operations(element: Element, font: str, profile: ReceiptProfile) -> list[tuple[float, Draw]]:
    lines = element_lines(element, profile)
    if lines is not None:
        return [_line_op(line, font, profile) for line in lines]
    paper_width = profile.paper_mm * mm
    if isinstance(element, Feed):
        return [(LINE * element.lines, lambda canvas, top: None)]
    if isinstance(element, QrCode):
        return [_qr_op(element, paper_width)]
    if isinstance(element, Cut):
        return [_cut_op(paper_width)]
    raise TypeError(f"unknown receipt element {element!r}")


def _created(job: ReceiptJob) -> datetime:
    try:
        return datetime.fromisoformat(job.metadata.get("issued_at", ""))
    except ValueError:
        return _EPOCH  # no date in the job: still deterministic


def render_receipt_pdf(job: ReceiptJob, profile: ReceiptProfile = DEFAULT_PROFILE) -> bytes:
    """One page as long as the receipt; identical jobs give identical bytes."""
    font = register_cjk_fonts().mono
    operations = [_line_op(line, font, profile) for line in header_lines(job, profile)]
    for element in job.elements:
        operations.extend(_operations(element, font, profile))
    height = sum(h for h, _ in operations) + 2 * VERTICAL_MARGIN
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (profile.paper_mm * mm, height), title=f"receipt {job.reference}",
                        created=_created(job))  # fmt: skip
    top = height - VERTICAL_MARGIN
    for element_height, draw in operations:
        draw(canvas, top)
        top -= element_height
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
