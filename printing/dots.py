"""A 1-bit bitmap drawn as vector dots on a printer's dot grid, so it reaches the printer's panel one to one.

An embedded image would not: poppler (which rasterises the card for the card printer) interpolates any
image it scales by less than 4x, so a dithered photo placed at exactly one dot per pixel comes out as
shifted gray mush that the printer re-thresholds into grain. Filled rectangles on the dot grid render
exactly; each is inset by a quarter dot so that rasterisers which fill every touched pixel and those
which sample pixel centres agree (checked at 300 and 600 dpi in tests/printing/test_temp_id.py).
"""

from __future__ import annotations

import numpy as np
from reportlab.pdfgen.canvas import Canvas

INSET = 0.25  # of a dot, on every side of a run


def draw_dots(canvas: Canvas, black: np.ndarray, left: float, top: float, dot: float) -> None:
    """Draw `black` (rows top to bottom, True = ink) with its top-left corner at (left, top) points,
    `dot` points a pixel; horizontal runs become one rectangle each."""
    path = canvas.beginPath()
    height = dot * (1 - 2 * INSET)
    for row_index, row in enumerate(black):
        edges = np.flatnonzero(np.diff(np.concatenate(([0], row.astype(np.int8), [0]))))
        y = top - (row_index + 1 - INSET) * dot
        for start, end in zip(edges[::2], edges[1::2], strict=True):
            path.rect(left + (start + INSET) * dot, y, (end - start - 2 * INSET) * dot, height)
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
