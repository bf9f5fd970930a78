"""`kiosk diag test-print --printer NAME`: print a test page (no personal data) on a configured printer.

Exit codes: 0 printed, 2 unknown printer / unsupported kind / bad config, 4 device error or time-out.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from devices.docprinter import build_document_printer
from devices.docprinter.base import partial_result
from devices.errors import DeviceError
from devices.registry import DeviceSettings, build_device
from kiosk.cli import exitcodes
from kiosk.config import ConfigError, DeviceConfig, load_config
from kiosk.home import KioskHome

CARD_SIZE = (85.6 * mm, 54.0 * mm)
_CJK_FONT = "STSong-Light"  # a reportlab built-in CID font: no font file needed


def register(groups: dict[str, argparse._SubParsersAction], top: argparse._SubParsersAction) -> None:
    parser = groups["diag"].add_parser("test-print", help="print a test page on a configured printer")
    parser.add_argument("--printer", required=True, help="device name in the kiosk configuration")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds for the whole job (default 120)")
    parser.set_defaults(handler=test_print)


def _fail(message: str, code: int) -> int:
    print(f"kiosk diag test-print: {message}", file=sys.stderr)
    return code


def test_print(args: argparse.Namespace) -> int:
    if args.timeout <= 0:
        return _fail("--timeout must be positive", exitcodes.USAGE)
    try:
        config = load_config(KioskHome.resolve(args.home).config_file)
    except ConfigError as error:
        return _fail(str(error), exitcodes.USAGE)
    device = config.devices.get(args.printer)
    if device is None:
        printers = sorted(name for name, dev in config.devices.items() if dev.kind.endswith("_printer"))
        return _fail(f"no printer {args.printer!r}; configured: {', '.join(printers) or 'none'}", exitcodes.USAGE)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    job_name = f"testpage-{stamp}"
    try:
        if device.kind == "document_printer":
            return _print_pdf(
                build_document_printer(args.printer, device.url, **device.options),
                a4_test_page(args.printer, config.kiosk_id, stamp),
                job_name,
                args.timeout,
            )
        if device.kind == "card_printer":
            printer = build_device(_settings(args.printer, device))
            return _print_pdf(printer, card_test_page(args.printer, stamp), job_name, args.timeout)
        if device.kind == "receipt_printer":
            return _print_receipt(args.printer, device, stamp, args.timeout)
    except ValueError as error:  # a malformed URL or option in the configuration
        return _fail(f"{args.printer}: {error}", exitcodes.USAGE)
    return _fail(f"{args.printer} is a {device.kind}, not a printer", exitcodes.USAGE)


def _settings(name: str, device: DeviceConfig) -> DeviceSettings:
    return DeviceSettings(name=name, kind=device.kind, url=device.url, baudrate=device.baudrate, options=device.options)


def _print_pdf(printer: Any, pdf: bytes, job_name: str, timeout: float) -> int:
    printer.open()
    try:
        result = printer.print_pdf(pdf, job_name=job_name, timeout=timeout)
    except DeviceError as error:
        partial = partial_result(error)
        done = f" ({partial.pages} {partial.unit}(s) came out)" if partial else ""
        return _fail(
            f"{printer.name}: {error.code}: {error}{done}; state {printer.status.state}", exitcodes.DEVICE_ERROR
        )
    finally:
        printer.close()
    print(f"{printer.name}: printed job {result.job_id}: {result.pages} {result.unit}(s), {result.state}")
    return exitcodes.OK


def _print_receipt(name: str, device: DeviceConfig, stamp: str, timeout: float) -> int:
    """A short test receipt on the ESC/POS printer."""
    from devices.receipt.job import Align, Cut, ReceiptJob, Rule, Text

    printer = build_device(_settings(name, device))
    job = ReceiptJob(
        (Text("TEST PAGE 测试页", bold=True, align=Align.CENTER), Rule(), Text(f"{name} {stamp}"), Cut()),
        reference=f"testpage-{stamp}",
    )
    printer.open()
    try:
        printer.print_job(job, timeout=timeout)
    except DeviceError as error:
        return _fail(f"{name}: {error.code}: {error}", exitcodes.DEVICE_ERROR)
    finally:
        printer.close()
    print(f"{name}: printed a test receipt")
    return exitcodes.OK


def _register_cjk_font() -> str:
    if _CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_CJK_FONT))
    return _CJK_FONT


def a4_test_page(printer: str, kiosk_id: str, stamp: str) -> bytes:
    """One A4 page: title, identification of kiosk and printer, a frame and a grey ramp to judge the print."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    page.setTitle("Kiosk test page")
    page.setFont(_register_cjk_font(), 28)
    page.drawCentredString(width / 2, height - 40 * mm, "打印测试页 / TEST PAGE")
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


def card_test_page(printer: str, stamp: str) -> bytes:
    """A two-sided CR80 test card: front with a title and frame, back with the printer and time."""
    buffer = io.BytesIO()
    card = canvas.Canvas(buffer, pagesize=CARD_SIZE)
    width, height = CARD_SIZE
    card.setFont(_register_cjk_font(), 14)
    card.drawCentredString(width / 2, height - 14 * mm, "测试卡 TEST CARD")
    card.rect(2 * mm, 2 * mm, width - 4 * mm, height - 4 * mm)
    card.rect(6 * mm, 6 * mm, 20 * mm, 25 * mm, fill=1)
    card.showPage()
    card.setFont("Helvetica", 9)
    card.drawString(6 * mm, height - 12 * mm, f"Printer: {printer}")
    card.drawString(6 * mm, height - 18 * mm, f"Time: {stamp}")
    card.showPage()
    card.save()
    return buffer.getvalue()
