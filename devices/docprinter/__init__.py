"""Document (A4) printers: a CUPS queue over IPP (cups://) or the in-memory spool simulator (spool://).

`build_document_printer` is the one factory a composition root needs for kind "document_printer"; both
classes (and the card printer) implement devices.docprinter.base.DocumentPrinter.
"""

from __future__ import annotations

from typing import Any

from devices.docprinter.base import DocumentPrinter, PrintResult


def build_document_printer(name: str, url: str, **options: Any) -> DocumentPrinter:
    """Construct (not open) the A4 printer a configured URL names."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme == "cups":
        from devices.docprinter.cups import CupsPrinter

        return CupsPrinter(name, url, **options)
    if scheme == "spool":
        from devices.docprinter.spool import SpoolPrinter

        return SpoolPrinter(name, url, **options)
    raise ValueError(f"document printer URL must be cups://QUEUE, cups://HOST:PORT/QUEUE or spool://NAME: {url!r}")


__all__ = ["DocumentPrinter", "PrintResult", "build_document_printer"]
