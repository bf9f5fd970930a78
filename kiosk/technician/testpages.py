"""Test pages for self-tests: kiosk id, printer name, time and print-quality marks, never personal data."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

CARD_SIZE = (85.6 * mm, 54.0 * mm)
_CJK_FONT = "STSong-Light"  # reportlab's built-in CID font: no font file needed


def _cjk_font() -> str:
    if _CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_CJK_FONT))
    return _CJK_FONT


def a4_self_test_page(kiosk_id: str, printer: str, stamp: str) -> bytes:
    """One A4 page: title, identification lines, a frame (margins) and a grey ramp (toner)."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    page.setTitle("Kiosk self-test page")
    page.setFont(_cjk_font(), 26)
    page.drawCentredString(width / 2, height - 40 * mm, "自检测试页 / SELF-TEST PAGE")
    page.setFont("Helvetica", 12)
    for line, text in enumerate((f"Kiosk: {kiosk_id}", f"Printer: {printer}", f"Time: {stamp}")):
        page.drawString(25 * mm, height - (60 + 8 * line) * mm, text)
    page.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    for step in range(10):
        page.setFillGray(step / 10)
        page.rect((25 + 16 * step) * mm, 120 * mm, 16 * mm, 16 * mm, fill=1, stroke=0)
    page.showPage()
    page.save()
    return buffer.getvalue()


def card_self_test_page(kiosk_id: str, printer: str, stamp: str) -> bytes:
    """A two-sided CR80 card: front with a title, frame and a solid block; back with kiosk, printer, time in the
    lower half (the top left of the back is the stock's pre-printed emblem, which the printer keeps clear)."""
    buffer = io.BytesIO()
    card = canvas.Canvas(buffer, pagesize=CARD_SIZE)
    width, height = CARD_SIZE
    card.setFont(_cjk_font(), 14)
    card.drawCentredString(width / 2, height - 14 * mm, "自检卡 TEST CARD")
    card.rect(2 * mm, 2 * mm, width - 4 * mm, height - 4 * mm)
    card.rect(6 * mm, 6 * mm, 20 * mm, 25 * mm, fill=1)
    card.showPage()
    card.setFont("Helvetica", 9)
    for line, text in enumerate((f"Kiosk: {kiosk_id}", f"Printer: {printer}", f"Time: {stamp}")):
        card.drawString(6 * mm, (20 - 6 * line) * mm, text)
    card.showPage()
    card.save()
    return buffer.getvalue()


def receipt_self_test_job(kiosk_id: str, printer: str, stamp: str) -> object:
    """A short receipt (devices.receipt.job.ReceiptJob) with the identification lines and a cut."""
    from devices.receipt.job import Align, Cut, ReceiptJob, Rule, Text

    return ReceiptJob(
        (
            Text("自检 SELF-TEST", bold=True, align=Align.CENTER),
            Rule(),
            Text(f"Kiosk: {kiosk_id}"),
            Text(f"Printer: {printer}"),
            Text(f"Time: {stamp}"),
            Rule("="),
            Cut(),
        ),
        reference=f"selftest-{stamp}",
    )
