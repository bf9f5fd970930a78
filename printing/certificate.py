"""The no-criminal-record certificate (无犯罪记录证明) as an A4 PDF.

The wording follows the MPS template quoted in the business rules (marked unconfirmed there). The seal is a
placeholder outline labelled as such: the real seal is an electronic signature or a stamp applied by the
issuing unit, never something the kiosk imitates. The QR carries the signed payload from
printing.verification, built by the issuer (the backend), so the kiosk never holds the signing key.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from printing.fonts import register_cjk_fonts
from printing.layout import TextDoesNotFitError, chinese_date, draw_text, new_canvas, start_of_day, wrap_text
from printing.qr import QUIET_ZONE_MODULES, draw_qr, qr_matrix
from printing.verification import format_verification_code, verification_code

TITLE = "无犯罪记录证明"
DEFAULT_VERIFICATION_HINT = (
    "核验方式：使用手机扫描左侧二维码，或登录公安机关政务服务平台“无犯罪记录证明核验”栏目输入证明编号和验证码，"
    "核验本证明的真伪。"
)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 25 * mm
BODY_SIZE = 15.0
BODY_LEADING = BODY_SIZE * 1.9
QR_SIZE = 32 * mm
SEAL_RADIUS = 20 * mm
SEAL_RED = (0.8, 0.1, 0.1)
LOWEST_ISSUER_Y = 105 * mm  # keeps the issuer and its seal clear of the verification block


@dataclass(frozen=True)
class CertificateData:
    certificate_number: str  # 编号
    name: str
    sex: str  # 男 / 女
    id_type: str  # 证件名称, e.g. 居民身份证
    id_number: str
    checked_until: date  # 截至 date of the query
    purpose: str  # 用途: 就业, 出国（境）, 入学, 收养, 其他...
    issuing_unit: str
    issue_date: date
    valid_until: date
    verification_payload: str  # from printing.verification.sign_certificate_payload
    verification_hint: str = DEFAULT_VERIFICATION_HINT


def finding_sentence(data: CertificateData) -> str:
    return (
        f"经查询，截至{chinese_date(data.checked_until)}，未发现{data.name}"
        f"（{data.sex}、{data.id_type}、{data.id_number}）有犯罪记录。"
    )


def _draw_paragraph(canvas: Canvas, text: str, y: float, font: str, *, indent_chars: int = 2) -> float:
    """Justified-left paragraph with a first-line indent of `indent_chars` CJK characters; returns next y."""
    indent = indent_chars * BODY_SIZE
    width = PAGE_WIDTH - 2 * MARGIN
    for index, line in enumerate(wrap_text(text, font, BODY_SIZE, width, first_indent=indent)):
        draw_text(canvas, MARGIN + (indent if index == 0 else 0), y, line, font=font, size=BODY_SIZE)
        y -= BODY_LEADING
    return y


def _draw_header(canvas: Canvas, data: CertificateData, font: str) -> float:
    title_y = PAGE_HEIGHT - 45 * mm
    draw_text(canvas, PAGE_WIDTH / 2, title_y, TITLE, font=font, size=26, bold=True, align="center", char_space=8)
    number_y = title_y - 16 * mm
    draw_text(
        canvas, PAGE_WIDTH - MARGIN, number_y, f"编号：{data.certificate_number}", font=font, size=12, align="right"
    )
    return number_y - 18 * mm


def _draw_seal_placeholder(canvas: Canvas, centre_x: float, centre_y: float, unit: str, font: str) -> None:
    """A thin red outline marking where the unit's seal goes; labelled so nobody takes it for a seal."""
    canvas.saveState()
    canvas.setStrokeColorRGB(*SEAL_RED)
    canvas.setFillColorRGB(*SEAL_RED)
    canvas.setLineWidth(1.2)
    canvas.setDash(4, 2)
    canvas.circle(centre_x, centre_y, SEAL_RADIUS, stroke=1, fill=0)
    lines = wrap_text(unit, font, 9, SEAL_RADIUS * 1.6)[:3]
    y = centre_y + 4 + 5.5 * (len(lines) - 1)
    for line in lines:
        draw_text(canvas, centre_x, y, line, font=font, size=9, align="center")
        y -= 11
    draw_text(canvas, centre_x, y - 4, "（印章位置）", font=font, size=8, align="center")
    canvas.restoreState()


def _draw_issuer(canvas: Canvas, data: CertificateData, y: float, font: str) -> None:
    """Unit and date flush right; the seal placeholder beside them so no text is drawn over text."""
    right = PAGE_WIDTH - MARGIN
    unit_lines = wrap_text(data.issuing_unit, font, 14, 80 * mm)
    line_y = y
    for line in unit_lines:
        draw_text(canvas, right, line_y, line, font=font, size=14, align="right")
        line_y -= 22
    draw_text(canvas, right, line_y, chinese_date(data.issue_date), font=font, size=14, align="right")
    block_width = max(stringWidth(line, font, 14) for line in unit_lines)
    seal_x = max(right - block_width - SEAL_RADIUS - 4 * mm, MARGIN + SEAL_RADIUS)
    _draw_seal_placeholder(canvas, seal_x, (y + line_y) / 2 + 5, data.issuing_unit, font)


def _draw_verification(canvas: Canvas, data: CertificateData, font: str) -> None:
    matrix = qr_matrix(data.verification_payload, "M")
    bottom = 22 * mm
    canvas.saveState()
    canvas.setStrokeColorRGB(0.5, 0.5, 0.5)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, bottom + QR_SIZE + 8 * mm, PAGE_WIDTH - MARGIN, bottom + QR_SIZE + 8 * mm)
    canvas.restoreState()
    draw_qr(canvas, matrix, MARGIN, bottom, QR_SIZE)
    text_x = MARGIN + QR_SIZE + (QUIET_ZONE_MODULES + 2) * QR_SIZE / len(matrix)
    code = format_verification_code(verification_code(data.verification_payload))
    y = bottom + QR_SIZE - 12
    draw_text(canvas, text_x, y, f"验证码：{code}", font=font, size=13, bold=True)
    y -= 20
    for line in wrap_text(data.verification_hint, font, 10, PAGE_WIDTH - MARGIN - text_x):
        draw_text(canvas, text_x, y, line, font=font, size=10)
        y -= 15


def build_certificate_pdf(data: CertificateData) -> bytes:
    """The certificate as PDF bytes; identical data gives identical bytes."""
    font = register_cjk_fonts().regular
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, A4, title=f"{TITLE} {data.certificate_number}", created=start_of_day(data.issue_date))
    y = _draw_header(canvas, data, font)
    y = _draw_paragraph(canvas, finding_sentence(data), y, font)
    y = _draw_paragraph(canvas, f"用途：{data.purpose}", y - 4 * mm, font)
    y = _draw_paragraph(canvas, f"本证明有效期至{chinese_date(data.valid_until)}。", y - 4 * mm, font)
    issuer_y = y - 20 * mm
    if issuer_y < LOWEST_ISSUER_Y:
        raise TextDoesNotFitError("certificate text is too long for one page")
    _draw_issuer(canvas, data, issuer_y, font)
    _draw_verification(canvas, data, font)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
