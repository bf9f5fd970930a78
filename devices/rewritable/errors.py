"""Named errors of the rewritable card printer (codes the flows and the journal record)."""

from __future__ import annotations

from devices.docprinter.errors import CardJam, CoverOpen, PrinterError, PrinterFault

__all__ = ["CardJam", "CoverOpen", "EraseIncomplete", "HeadTooHot", "NoCardInPrinter", "PrinterFault"]


class NoCardInPrinter(PrinterError):
    """No permit is in the printer's slot."""

    code = "no_card"


class EraseIncomplete(PrinterError):
    """The old block did not erase completely; nothing was printed over it."""

    code = "erase_incomplete"


class HeadTooHot(PrinterError):
    """The thermal head is above its working temperature; printing waits until it cools."""

    code = "head_too_hot"
