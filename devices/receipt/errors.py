"""Named errors of the receipt printer: refusals before a job, interruptions during one, bad status replies.

An interrupted job always says how far it got, so the caller can resume or reprint it; nothing is lost
silently. The timeout/cancel/unplug variants keep the generic codes (and base classes) of devices.errors so
callers that only know DeviceTimeout, DeviceCancelled or DeviceUnavailable still catch them.
"""

from __future__ import annotations

from devices.errors import DeviceCancelled, DeviceError, DeviceTimeout, DeviceUnavailable, ProtocolError


class StatusReplyError(ProtocolError):
    """A DLE EOT reply did not have the shape 0xx1xx10."""

    code = "bad_status_reply"


class PrinterNotReady(DeviceError):
    """The printer cannot take a job now; `code` names why (paper_out, cover_open, printer_offline,
    printer_error)."""

    code = "printer_not_ready"

    def __init__(self, cause: str, message: str = "") -> None:
        super().__init__(message or f"printer not ready: {cause}", code=cause)
        self.cause = cause


class PrintInterrupted(DeviceError):
    """A job stopped part-way; `bytes_sent` of `total_bytes` reached the printer.

    `resume_segment` is the first job segment that may not have printed: pass it to
    ReceiptPrinter.print_job(..., start_segment=...) to resume, or reprint the whole job.
    """

    code = "print_interrupted"

    def __init__(self, cause: str, *, bytes_sent: int, total_bytes: int, resume_segment: int) -> None:
        super().__init__(
            f"print interrupted ({cause}) after {bytes_sent} of {total_bytes} bytes sent; "
            f"resume from segment {resume_segment} or reprint"
        )
        self.cause = cause
        self.bytes_sent = bytes_sent
        self.total_bytes = total_bytes
        self.resume_segment = resume_segment


class PrintTimeout(PrintInterrupted, DeviceTimeout):
    """The printer stopped answering during a job."""

    code = "timeout"


class PrintCancelled(PrintInterrupted, DeviceCancelled):
    """The caller cancelled a job part-way."""

    code = "cancelled"


class PrintUnplugged(PrintInterrupted, DeviceUnavailable):
    """The printer's port went away during a job."""

    code = "unavailable"
