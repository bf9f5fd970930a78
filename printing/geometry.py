"""Plain geometry of drawn text, in PDF points: every line knows its box, so layouts can be proved free of
overlaps by tests instead of by eye."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

ASCENT, DESCENT = 0.88, 0.14  # of the em: the CJK face's glyph box around the baseline
BLACK = (0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Box:
    left: float
    bottom: float
    right: float
    top: float

    def distance_to_circle(self, cx: float, cy: float, radius: float) -> float:
        """Distance from the circle's edge to the box (negative: they overlap)."""
        dx = max(self.left - cx, 0.0, cx - self.right)
        dy = max(self.bottom - cy, 0.0, cy - self.top)
        return (dx * dx + dy * dy) ** 0.5 - radius

    def overlaps(self, other: Box) -> bool:
        horizontal = self.left < other.right and other.left < self.right
        return horizontal and self.bottom < other.top and other.bottom < self.top


@dataclass(frozen=True)
class TextLine:
    text: str
    x: float  # left end of the baseline
    y: float  # baseline
    size: float
    width: float
    bold: bool = False
    char_space: float = 0.0
    colour: tuple[float, float, float] = BLACK
    in_seal: bool = False  # the placeholder's own label, drawn inside the seal circle

    @property
    def box(self) -> Box:
        return Box(self.x, self.y - DESCENT * self.size, self.x + self.width, self.y + ASCENT * self.size)


def text_line(
    text: str, x: float, y: float, font: str, size: float, *, align: str = "left", **style: object
) -> TextLine:
    """A line of `text` placed at (x, y) by `align` (left, center, right); style: bold, char_space, colour, in_seal."""
    char_space = float(style.get("char_space", 0.0))  # type: ignore[arg-type]
    width = stringWidth(text, font, size) + char_space * max(len(text) - 1, 0)
    left = x - width / 2 if align == "center" else x - width if align == "right" else x
    return TextLine(text, left, y, size, width, **style)  # type: ignore[arg-type]
