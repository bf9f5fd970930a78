"""The no-criminal-record certificate (无犯罪记录证明) as an A4 PDF.

The wording follows the MPS template quoted in the business rules (marked unconfirmed there). Everything
that makes the paper checkable comes from the issuer (the backend): the QR's URL with the signed payload,
the verification code, the address where number + code are typed in, and the unit's electronic seal. The
kiosk never holds a signing key and invents none of it; a certificate whose signed payload disagrees with
the printed fields is refused before anything is drawn (printing.certificate_data).

Where the backend supplies no e-seal, a dashed outline labelled 印章位置 marks where the unit stamps it. The
seal never overlaps text (printing.certificate_layout proves the geometry for every unit-name length).
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from printing.certificate_data import (
    TITLE,
    VERIFICATION_HINT,
    CertificateData,
    CertificateMismatchError,
    check_signed_fields,
    finding_sentence,
)
from printing.certificate_layout import QR_SIZE, SEAL_RED, CertificateLayout, layout_certificate
from printing.fonts import register_cjk_fonts
from printing.geometry import TextLine
from printing.layout import draw_text, new_canvas, start_of_day
from printing.qr import draw_qr, qr_matrix


def _draw_lines(canvas: Canvas, lines: tuple[TextLine, ...], font: str) -> None:
    for line in lines:
        if line.colour != (0, 0, 0):
            canvas.setFillColorRGB(*line.colour)
        draw_text(canvas, line.x, line.y, line.text, font=font, size=line.size, bold=line.bold,
                  char_space=line.char_space)  # fmt: skip
        canvas.setFillColorRGB(0, 0, 0)


def _draw_seal(canvas: Canvas, layout: CertificateLayout, data: CertificateData) -> None:
    seal = layout.seal
    if data.seal_png is not None:
        side = 2 * seal.radius
        canvas.drawImage(ImageReader(io.BytesIO(data.seal_png)), seal.x - seal.radius, seal.y - seal.radius,
                         side, side, mask="auto")  # fmt: skip
        return
    canvas.saveState()
    canvas.setStrokeColorRGB(*SEAL_RED)
    canvas.setLineWidth(1.2)
    canvas.setDash(4, 2)
    canvas.circle(seal.x, seal.y, seal.radius, stroke=1, fill=0)
    canvas.restoreState()


def _draw_rule(canvas: Canvas, y: float, left: float, right: float) -> None:
    canvas.saveState()
    canvas.setStrokeColorRGB(0.5, 0.5, 0.5)
    canvas.setLineWidth(0.5)
    canvas.line(left, y, right, y)
    canvas.restoreState()


def build_certificate_pdf(data: CertificateData) -> bytes:
    """The certificate as PDF bytes; identical data gives identical bytes."""
    check_signed_fields(data)
    font = register_cjk_fonts().regular
    matrix = qr_matrix(data.verification_url, "M")
    layout = layout_certificate(data, font, qr_modules=len(matrix))
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, A4, title=f"{TITLE} {data.certificate_number}", created=start_of_day(data.issue_date))
    _draw_lines(canvas, layout.lines, font)
    _draw_seal(canvas, layout, data)
    _draw_rule(canvas, layout.rule_y, layout.rule_left, layout.rule_right)
    draw_qr(canvas, matrix, layout.qr_x, layout.qr_y, QR_SIZE)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


__all__ = [
    "TITLE",
    "VERIFICATION_HINT",
    "CertificateData",
    "CertificateMismatchError",
    "build_certificate_pdf",
    "finding_sentence",
]  # fmt: skip
