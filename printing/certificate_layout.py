"""Where everything on the certificate goes, as plain geometry: every text line with its box, the seal's
circle and the QR's square. The PDF is drawn from this, and tests prove from it that no two things
overlap, whatever the length of the unit's name or of the dates.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from printing.certificate_data import TITLE, VERIFICATION_HINT, CertificateData, finding_sentence
from printing.geometry import DESCENT, Box, TextLine, text_line
from printing.layout import TextDoesNotFitError, chinese_date, wrap_text
from printing.qr import QUIET_ZONE_MODULES

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 25 * mm
BODY_SIZE = 15.0
BODY_LEADING = BODY_SIZE * 1.9
ISSUER_SIZE = 14.0
ISSUER_LEADING = 22.0
ISSUER_WRAP = 80 * mm
QR_SIZE = 38 * mm  # ~70 modules for a URL with the signed payload: 0.55 mm a module, easy for phones
QR_BOTTOM = 20 * mm
GAP = 4 * mm  # the least distance between the seal and any text
SEAL_RED = (0.8, 0.1, 0.1)


@dataclass(frozen=True)
class Circle:
    x: float
    y: float
    radius: float


@dataclass(frozen=True)
class CertificateLayout:
    lines: tuple[TextLine, ...]
    seal: Circle
    qr_x: float
    qr_y: float
    rule_y: float
    rule_left: float = MARGIN
    rule_right: float = PAGE_WIDTH - MARGIN

    @property
    def text_boxes(self) -> list[Box]:
        return [line.box for line in self.lines if not line.in_seal]


def _paragraph(text: str, y: float, font: str, out: list[TextLine]) -> float:
    """First-line indent of two characters; returns the baseline below the last line."""
    indent = 2 * BODY_SIZE
    for index, line in enumerate(wrap_text(text, font, BODY_SIZE, PAGE_WIDTH - 2 * MARGIN, first_indent=indent)):
        out.append(text_line(line, MARGIN + (indent if index == 0 else 0), y, font, BODY_SIZE))
        y -= BODY_LEADING
    return y


def _body(data: CertificateData, font: str, out: list[TextLine]) -> float:
    title_y = PAGE_HEIGHT - 45 * mm
    out.append(text_line(TITLE, PAGE_WIDTH / 2, title_y, font, 26, align="center", bold=True, char_space=8))
    number_y = title_y - 16 * mm
    out.append(text_line(f"编号：{data.certificate_number}", PAGE_WIDTH - MARGIN, number_y, font, 12, align="right"))
    y = _paragraph(finding_sentence(data), number_y - 18 * mm, font, out)
    y = _paragraph(f"用途：{data.purpose}", y - 4 * mm, font, out)
    y = _paragraph(f"本证明有效期至{chinese_date(data.valid_until)}。", y - 4 * mm, font, out)
    return y + BODY_LEADING - DESCENT * BODY_SIZE  # the lowest ink of the last line


def _verification(data: CertificateData, font: str, modules: int, out: list[TextLine]) -> float:
    """The QR at the bottom left, the code, address and hint beside it; returns the rule's height."""
    text_x = MARGIN + QR_SIZE + (QUIET_ZONE_MODULES + 2) * QR_SIZE / modules
    width = PAGE_WIDTH - MARGIN - text_x
    y = QR_BOTTOM + QR_SIZE - 12
    out.append(text_line(f"验证码：{data.verification_code}", text_x, y, font, 13, bold=True))
    y -= 19
    for line in wrap_text(f"核验网址：{data.lookup_url}", font, 10.5, width):
        out.append(text_line(line, text_x, y, font, 10.5))
        y -= 15
    for line in wrap_text(VERIFICATION_HINT, font, 10, width):
        out.append(text_line(line, text_x, y, font, 10))
        y -= 15
    if y + 15 - DESCENT * 10 < QR_BOTTOM - 8 * mm:
        raise TextDoesNotFitError("the verification address is too long for the verification block")
    return QR_BOTTOM + QR_SIZE + 8 * mm


def _seal_label(unit: str, seal: Circle, font: str) -> list[TextLine]:
    lines = wrap_text(unit, font, 9, seal.radius * 1.5)[:3]
    y = seal.y + 4 + 5.5 * (len(lines) - 1)
    out = []
    for line in lines:
        out.append(text_line(line, seal.x, y, font, 9, align="center", colour=SEAL_RED, in_seal=True))
        y -= 11
    out.append(text_line("（印章位置）", seal.x, y - 4, font, 8, align="center", colour=SEAL_RED, in_seal=True))
    return out


def _issuer(data: CertificateData, font: str, body_bottom: float, rule_y: float) -> tuple[list[TextLine], Circle]:
    """Unit and date flush right; the seal left of them, clear of the body above and the rule below."""
    right = PAGE_WIDTH - MARGIN
    radius = data.seal_diameter_mm * mm / 2
    y = body_bottom - 20 * mm
    lines = []
    for text in [*wrap_text(data.issuing_unit, font, ISSUER_SIZE, ISSUER_WRAP), chinese_date(data.issue_date)]:
        lines.append(text_line(text, right, y, font, ISSUER_SIZE, align="right"))
        y -= ISSUER_LEADING
    block_left = min(line.x for line in lines)
    seal_x = block_left - GAP - radius
    highest, lowest = body_bottom - GAP - radius, rule_y + GAP + radius
    middle = (lines[0].box.top + lines[-1].box.bottom) / 2
    seal_y = min(max(middle, lowest), highest)
    if seal_x - radius < MARGIN or highest < lowest or lines[-1].box.bottom < rule_y + GAP:
        raise TextDoesNotFitError("certificate text is too long for one page")
    return lines, Circle(seal_x, seal_y, radius)


def layout_certificate(data: CertificateData, font: str, *, qr_modules: int) -> CertificateLayout:
    lines: list[TextLine] = []
    body_bottom = _body(data, font, lines)
    rule_y = _verification(data, font, qr_modules, lines)
    issuer_lines, seal = _issuer(data, font, body_bottom, rule_y)
    lines.extend(issuer_lines)
    if data.seal_png is None:
        lines.extend(_seal_label(data.issuing_unit, seal, font))
    return CertificateLayout(tuple(lines), seal, MARGIN, QR_BOTTOM, rule_y)
