"""The spooler's view of the kiosk's printers: one `submit(document, job_name, timeout)` for every device
kind. A PDF goes to `print_pdf` (A4 over CUPS, card printer), a ReceiptJob to `print_job` (ESC/POS), an
EndorsementBlock to the rewritable printer.

Every document on its way to a printer passes the taps installed with `tapped(...)`; `kiosk flow ...
--save-documents DIR` installs a DocumentSaver, which writes each document exactly as sent (PDF for A4 and
card, the raw ESC/POS bytes plus a picture of what the printer makes of them for receipts, the endorsement
block's text and 1-bit rendering for the rewritable printer).
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

from devices.errors import DeviceUnavailable
from devices.receipt.job import ReceiptJob
from devices.rewritable.layout import EndorsementBlock

PRINTER_KINDS = ("receipt_printer", "document_printer", "card_printer", "rewritable_printer")


class DocumentTap(Protocol):
    def document_sent(self, kind: str, device: Any, document: Any, job_name: str) -> None: ...


_taps: list[DocumentTap] = []
_taps_lock = threading.Lock()


@contextlib.contextmanager
def tapped(tap: DocumentTap) -> Iterator[DocumentTap]:
    """While the block runs, `tap` sees every document any DevicePrinter sends (the spooler's thread too)."""
    with _taps_lock:
        _taps.append(tap)
    try:
        yield tap
    finally:
        with _taps_lock:
            _taps.remove(tap)


def _notify(kind: str, device: Any, document: Any, job_name: str) -> None:
    with _taps_lock:
        taps = list(_taps)
    for tap in taps:
        tap.document_sent(kind, device, document, job_name)


class DevicePrinter:
    """Looks the device up at each job, so a printer reopened by a live configuration change is used."""

    def __init__(self, kind: str, lookup: Callable[[str], Any | None]) -> None:
        self.kind = kind
        self._lookup = lookup

    def submit(self, document: Any, *, job_name: str, timeout: float) -> None:
        device = self._lookup(self.kind)
        if device is None:
            raise DeviceUnavailable(f"no {self.kind} is configured")
        _notify(self.kind, device, document, job_name)
        if isinstance(document, ReceiptJob):
            device.print_job(document, timeout=timeout)
        elif isinstance(document, EndorsementBlock):  # the permit's rewritable back: erase, then print
            device.print_endorsement_block(document, timeout=timeout)
        else:
            device.print_pdf(bytes(document), job_name=job_name, timeout=timeout)


def kiosk_printers(lookup: Callable[[str], Any | None]) -> dict[str, DevicePrinter]:
    return {kind: DevicePrinter(kind, lookup) for kind in PRINTER_KINDS}


_UNSAFE = re.compile(r"[^0-9A-Za-z_-]+")


class DocumentSaver:
    """Writes every document sent to a printer into `directory`, numbered in sending order (a retried
    print is written again). The files hold what the paper holds, personal data included: they are
    private to the user (0600) and only written when asked for."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.saved: list[Path] = []
        self._documents = 0
        self._lock = threading.Lock()

    def document_sent(self, kind: str, device: Any, document: Any, job_name: str) -> None:
        with self._lock:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            self._documents += 1
            stem = f"{self._documents:02d}-{kind}-{_UNSAFE.sub('_', job_name)[:48]}"
            if isinstance(document, ReceiptJob):
                raw = device.encode(document) if hasattr(device, "encode") else _encode(document)
                self._write(f"{stem}.escpos", raw)
                self._write(f"{stem}.png", receipt_png(raw, device))
            elif isinstance(document, EndorsementBlock):
                self._write(f"{stem}.txt", "\n".join(document.lines()).encode("utf-8") + b"\n")
                self._write(f"{stem}.png", endorsement_png(document))
            else:
                self._write(f"{stem}.pdf", bytes(document))

    def _write(self, name: str, data: bytes) -> None:
        path = self.directory / name
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        self.saved.append(path)


def _encode(job: ReceiptJob) -> bytes:
    from devices.receipt.protocol import encode_job

    return encode_job(job)


def endorsement_png(block: EndorsementBlock) -> bytes:
    """The 1-bit bitmap the rewritable printer gets for the block, as a PNG."""
    import io

    import numpy as np
    from PIL import Image

    from devices.rewritable.layout import render_block

    bitmap = render_block(block)
    rows = np.frombuffer(bitmap.data, np.uint8).reshape(bitmap.height, bitmap.row_bytes)
    ink = np.unpackbits(rows, axis=1)[:, : bitmap.width]
    out = io.BytesIO()
    Image.fromarray(((1 - ink) * 255).astype(np.uint8)).save(out, format="PNG")
    return out.getvalue()


def receipt_png(raw: bytes, device: Any) -> bytes:
    """What a printer of the device's profile prints from these bytes, as a PNG (the simulator's engine)."""
    from devices.receipt.png import png_bytes
    from devices.receipt.profile import DEFAULT_PROFILE
    from devices.receipt.render import ReceiptRenderer
    from devices.receipt.stream import EscPosParser

    profile = getattr(device, "profile", DEFAULT_PROFILE)
    renderer = ReceiptRenderer(columns=profile.columns)
    renderer.apply(EscPosParser().feed(raw))
    receipt = renderer.tear_off() or renderer.receipts[-1]
    return png_bytes(receipt, dots=profile.dots)
