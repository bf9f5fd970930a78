"""The spooler's view of the kiosk's printers: one `submit(document, job_name, timeout)` for every device
kind. A PDF goes to `print_pdf` (A4 over CUPS, card printer), a ReceiptJob to `print_job` (ESC/POS), an
EndorsementBlock to the rewritable printer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from devices.errors import DeviceUnavailable
from devices.receipt.job import ReceiptJob
from devices.rewritable.layout import EndorsementBlock

PRINTER_KINDS = ("receipt_printer", "document_printer", "card_printer", "rewritable_printer")


class DevicePrinter:
    """Looks the device up at each job, so a printer reopened by a live configuration change is used."""

    def __init__(self, kind: str, lookup: Callable[[str], Any | None]) -> None:
        self.kind = kind
        self._lookup = lookup

    def submit(self, document: Any, *, job_name: str, timeout: float) -> None:
        device = self._lookup(self.kind)
        if device is None:
            raise DeviceUnavailable(f"no {self.kind} is configured")
        if isinstance(document, ReceiptJob):
            device.print_job(document, timeout=timeout)
        elif isinstance(document, EndorsementBlock):  # the permit's rewritable back: erase, then print
            device.print_endorsement_block(document, timeout=timeout)
        else:
            device.print_pdf(bytes(document), job_name=job_name, timeout=timeout)


def kiosk_printers(lookup: Callable[[str], Any | None]) -> dict[str, DevicePrinter]:
    return {kind: DevicePrinter(kind, lookup) for kind in PRINTER_KINDS}
