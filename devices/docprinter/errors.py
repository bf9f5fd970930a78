"""Named printer errors shared by the document (A4) and card printers.

Each has a stable `code` the flows and the journal record. PrinterOffline is a DeviceUnavailable so the
device base marks the printer offline; JobTimeout is a DeviceTimeout so callers treating time-outs alike
still can.
"""

from __future__ import annotations

from devices.errors import DeviceError, DeviceTimeout, DeviceUnavailable


class PrinterError(DeviceError):
    """The printer could not print the job."""

    code = "printer_error"


class MediaEmpty(PrinterError):
    """Out of paper (A4) or out of blank cards (card hopper empty)."""

    code = "media_empty"


class MediaJam(PrinterError):
    """Paper is jammed in the printer."""

    code = "media_jam"


class CardJam(MediaJam):
    """A card is stuck in the card printer."""

    code = "card_jam"


class TonerEmpty(PrinterError):
    """The toner cartridge is empty."""

    code = "toner_empty"


class RibbonOut(PrinterError):
    """The card printer's ribbon is used up."""

    code = "ribbon_out"


class CoverOpen(PrinterError):
    """A door or cover of the printer is open."""

    code = "cover_open"


class PrinterFault(PrinterError):
    """The printer reports a hardware fault it cannot recover from by itself."""

    code = "printer_fault"


class JobFailed(PrinterError):
    """The print system aborted or refused the job."""

    code = "job_failed"


class PrinterOffline(DeviceUnavailable):
    """The printer (or its queue) is offline, stopped or not accepting jobs."""

    code = "printer_offline"


class JobTimeout(DeviceTimeout):
    """The job did not finish in time; it was cancelled so it cannot come out later unattended."""

    code = "job_timeout"


class InvalidJobName(ValueError):
    """A job name that could carry personal data (use an order id)."""
