"""The printers' tap: every document on its way to a device is seen, and DocumentSaver writes it as sent."""

from __future__ import annotations

import pytest

from devices.receipt.device import ReceiptPrinter
from devices.receipt.job import LabelValue, ReceiptJob, Text
from devices.receipt.sim import ReceiptPrinterSimulator
from devices.sim import registry
from devices.transport import Transport, TransportSettings
from kiosk.printers import DevicePrinter, DocumentSaver, tapped


class PdfDevice:
    def __init__(self) -> None:
        self.printed: list[bytes] = []

    def print_pdf(self, pdf: bytes, *, job_name: str, timeout: float) -> None:
        self.printed.append(pdf)


@pytest.fixture
def receipt_printer():
    registry.register_instance("tap-receipt", ReceiptPrinterSimulator(paper="58mm"))
    printer = ReceiptPrinter("receipt", Transport(TransportSettings(url="sim://receipt?instance=tap-receipt")),
                             paper="58mm")  # fmt: skip
    printer.open()
    yield printer
    printer.close()
    registry.forget_all()


def test_documents_are_saved_exactly_as_sent_while_tapped(tmp_path, receipt_printer):
    from PIL import Image

    pdf_device = PdfDevice()
    devices = {"document_printer": pdf_device, "receipt_printer": receipt_printer}
    a4, receipt = DevicePrinter("document_printer", devices.get), DevicePrinter("receipt_printer", devices.get)
    job = ReceiptJob((Text("受理回执", double=True), LabelValue("受理编号", "SL1101052024050600123")), is_reprint=True)
    saver = DocumentSaver(tmp_path / "out")
    with tapped(saver):
        a4.submit(b"%PDF-1.4 certificate", job_name="order/1", timeout=5)
        receipt.submit(job, job_name="order-1", timeout=5)
    a4.submit(b"%PDF-1.4 after", job_name="order-2", timeout=5)  # no tap any more
    assert [path.name for path in saver.saved] == ["01-document_printer-order_1.pdf", "02-receipt_printer-order-1.escpos",
                                                   "02-receipt_printer-order-1.png"]  # fmt: skip
    pdf_file, raw_file, png_file = saver.saved
    assert pdf_file.read_bytes() == pdf_device.printed[0] and len(pdf_device.printed) == 2
    assert raw_file.read_bytes() == receipt_printer.encode(job)
    assert (tmp_path / "out").stat().st_mode & 0o077 == 0 and all(p.stat().st_mode & 0o077 == 0 for p in saver.saved)
    picture = Image.open(png_file)
    assert picture.width == 384 + 16  # 58 mm: 384 dots and the margins


def test_a_missing_printer_is_refused_before_any_tap_sees_it(tmp_path):
    saver = DocumentSaver(tmp_path / "out")
    with tapped(saver), pytest.raises(Exception, match="no card_printer"):
        DevicePrinter("card_printer", {}.get).submit(b"%PDF", job_name="x", timeout=1)
    assert saver.saved == []


def test_an_endorsement_block_is_saved_as_its_text_and_its_bitmap(tmp_path):
    import datetime as dt

    from PIL import Image

    from devices.rewritable.layout import EndorsementBlock, render_block

    block = EndorsementBlock("G", "HK", 1, dt.date(2024, 5, 6), dt.date(2024, 8, 5), "QZ0001")
    saver = DocumentSaver(tmp_path / "out")
    saver.document_sent("rewritable_printer", object(), block, "order-9")
    text, png = saver.saved
    assert text.read_text(encoding="utf-8").splitlines() == block.lines()
    bitmap = render_block(block)
    assert Image.open(png).size == (bitmap.width, bitmap.height)
