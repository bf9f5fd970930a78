"""QR codes drawn as vector rectangles, so they stay sharp on any printer and cost a few hundred bytes.

The `qrcode` package picks the densest encoding mode per segment (alphanumeric for our signed payloads);
horizontal runs of dark modules are merged into one rectangle each to keep the PDF path short.
"""

from __future__ import annotations

import qrcode
from qrcode import constants
from reportlab.pdfgen.canvas import Canvas

QUIET_ZONE_MODULES = 4  # the QR specification's minimum white border

_ERROR_CORRECTION = {
    "L": constants.ERROR_CORRECT_L,
    "M": constants.ERROR_CORRECT_M,
    "Q": constants.ERROR_CORRECT_Q,
    "H": constants.ERROR_CORRECT_H,
}


def qr_matrix(data: str, error_correction: str = "M") -> list[list[bool]]:
    """Dark (True) / light modules without the quiet zone; rows top to bottom."""
    if error_correction not in _ERROR_CORRECTION:
        raise ValueError(f"error correction must be one of L, M, Q, H, got {error_correction!r}")
    code = qrcode.QRCode(error_correction=_ERROR_CORRECTION[error_correction], border=0)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def draw_qr(canvas: Canvas, matrix: list[list[bool]], x: float, y: float, size: float) -> None:
    """Draw the symbol in the square whose lower-left corner is (x, y); the caller leaves the quiet zone."""
    module = size / len(matrix)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + 1) * module
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            run_start = column
            while column < len(row) and row[column]:
                column += 1
            path.rect(x + run_start * module, top, (column - run_start) * module, module)
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
