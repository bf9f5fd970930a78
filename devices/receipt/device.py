"""The receipt printer's domain API: live status over DLE EOT and printing a ReceiptJob safely.

A job is refused before the first byte if the printer cannot print, sent in chunks that end only between
job segments (so a status request never lands inside a command), and the printer's status is checked
after every chunk. A job stopped by paper out, cover open, an error, silence, an unplug or the caller
raises a PrintInterrupted variant that says how many bytes were sent and where to resume.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from devices.device import SerialDevice
from devices.errors import DeviceBusy, DeviceCancelled, DeviceTimeout, DeviceUnavailable, ProtocolError
from devices.operation import CancelToken, Deadline
from devices.receipt.errors import (
    PrintCancelled,
    PrinterNotReady,
    PrintInterrupted,
    PrintTimeout,
    PrintUnplugged,
)
from devices.receipt.job import Align, Cut, ReceiptJob, Text
from devices.receipt.profile import ReceiptProfile
from devices.receipt.protocol import (
    STATUS_FUNCTIONS,
    PrinterStatus,
    encode_element,
    encode_segments,
    parse_status,
    status_request,
)
from devices.status import DeviceState
from devices.transport import Reconnector, Transport

HARDWARE_ERRORS = frozenset(("cutter", "mechanical", "unrecoverable"))
VOID_TRAILER = encode_element(Text("*** 作废 VOID ***", bold=True, align=Align.CENTER)) + encode_element(Cut())


def device_state_for(status: PrinterStatus) -> DeviceState:
    """CEN/XFS-style state: hardware faults, then what a person fixes (paper, cover), then offline."""
    if status.error in HARDWARE_ERRORS:
        return DeviceState.HARDWARE_ERROR
    if status.paper == "out" or status.cover_open:
        return DeviceState.USER_ERROR
    if not status.online or status.error is not None:
        return DeviceState.OFFLINE
    return DeviceState.ONLINE


def not_ready_cause(status: PrinterStatus) -> str:
    if status.paper == "out":
        return "paper_out"
    if status.cover_open:
        return "cover_open"
    if status.error is not None:
        return "printer_error"
    return "printer_offline"


@dataclass(frozen=True)
class PrintResult:
    bytes_sent: int
    total_bytes: int
    chunks: int
    status: PrinterStatus  # after the job; paper may be "near_end"


class ReceiptPrinter(SerialDevice):
    """An ESC/POS printer on any transport (serial, USB-serial, socket://, sim://).

    Device options `paper` ("80mm" | "58mm") and `charset` ("gb2312" | "gb18030") choose its profile.
    """

    kind = "receipt_printer"

    def __init__(
        self,
        name: str,
        transport: Transport,
        *,
        reconnector: Reconnector | None = None,
        chunk_size: int = 512,
        reply_timeout: float = 0.5,
        paper: str = "80mm",
        charset: str = "gb2312",
    ) -> None:
        super().__init__(name, transport, reconnector=reconnector)
        self.profile = ReceiptProfile(paper, charset)
        self.chunk_size = max(16, int(chunk_size))
        self.reply_timeout = float(reply_timeout)
        self._printer_status: PrinterStatus | None = None

    @property
    def printer_status(self) -> PrinterStatus | None:
        """The last status read from the printer (None before the first read)."""
        return self._printer_status

    def capabilities(self) -> dict[str, Any]:
        return {"columns": self.profile.columns, "paper": self.profile.paper, "encoding": self.profile.charset,
                "qr": True, "cut": True}  # fmt: skip

    def encode(self, job: ReceiptJob) -> bytes:
        """The exact bytes print_job sends for a whole job (for --save-documents and previews)."""
        return b"".join(encode_segments(job, self.profile))

    # -- status -----------------------------------------------------------------------------------
    def probe(self) -> None:
        """Read the status once; silence shows as offline with last_error "timeout" instead of raising."""
        try:
            self._publish(self._read_status(Deadline(self.reply_timeout * 4), None))
        except DeviceTimeout as error:
            self._set_state(DeviceState.OFFLINE, error=error.code)

    def query_status(self, timeout: float | None = None, cancel: CancelToken | None = None) -> PrinterStatus:
        """Ask the printer now (DLE EOT 1..4) and publish the mapped status if it changed.

        Raises DeviceTimeout (silence), DeviceUnavailable (unplugged), DeviceBusy (a job is printing: read
        `status` instead) or StatusReplyError (garbage).
        """
        with self._exclusive(cancel):
            try:
                status = self._read_status(Deadline(timeout or self.reply_timeout * 4), cancel)
            except DeviceTimeout as error:
                self._set_state(DeviceState.OFFLINE, error=error.code)
                raise
            self._publish(status)
            return status

    def _read_status(self, deadline: Deadline, cancel: CancelToken | None) -> PrinterStatus:
        """One request at a time, each with its own time-out, as the manuals ask."""
        self.transport.discard_input()  # a late reply from an earlier time-out must not shift the bytes
        replies = bytearray()
        for function in STATUS_FUNCTIONS:
            self.transport.write(status_request(function))
            wait = Deadline(min(self.reply_timeout, deadline.remaining()))
            reply = self.transport.read_some(1, wait, cancel)
            if not reply:
                raise DeviceTimeout(f"{self.name}: no reply to DLE EOT {function} within {wait.seconds:g} s")
            replies += reply
        return parse_status(bytes(replies))

    def _publish(self, status: PrinterStatus, *, busy: bool = False) -> None:
        """Publish the mapped state; during a job the state stays busy and only the detail changes."""
        self._printer_status = status
        state = device_state_for(status)
        self._idle_state = state
        self._status.update(
            DeviceState.BUSY if busy else state, paper=status.paper, cover_open=status.cover_open, error=status.error
        )

    @contextlib.contextmanager
    def _exclusive(self, cancel: CancelToken | None) -> Iterator[None]:
        """Like operation() but without the busy state, so status polling does not make the status flicker."""
        if not self._lock.acquire(blocking=False):
            raise DeviceBusy(f"{self.name} is busy")
        try:
            if cancel is not None:
                cancel.raise_if_cancelled()
            try:
                was_open = self.transport.is_open
                self._reconnector.ensure_open()
                if not was_open:
                    self.counters["reconnects"] += 1
                yield
            except DeviceUnavailable as error:
                self._set_state(DeviceState.OFFLINE, error=error.code)
                raise
        finally:
            self._lock.release()

    # -- printing ---------------------------------------------------------------------------------
    def print_job(
        self, job: ReceiptJob, timeout: float = 30.0, cancel: CancelToken | None = None, *, start_segment: int = 0
    ) -> PrintResult:
        """Print a job (or its tail from `start_segment`, after a PrintInterrupted).

        Raises PrinterNotReady before sending anything, or a PrintInterrupted variant with progress.
        """
        segments = encode_segments(job, self.profile)
        chunks = plan_chunks(segments, start_segment, self.chunk_size)
        total = sum(len(chunk) for _, chunk in chunks)
        with self.operation(timeout, cancel) as deadline:
            before = self._read_and_publish(deadline, cancel)
            if not before.can_print:
                raise PrinterNotReady(not_ready_cause(before))
            return self._send(chunks, total, deadline, cancel)

    def _read_and_publish(self, deadline: Deadline, cancel: CancelToken | None) -> PrinterStatus:
        try:
            status = self._read_status(deadline, cancel)
        except DeviceTimeout as error:
            self._set_state(DeviceState.OFFLINE, error=error.code)
            raise
        self._publish(status, busy=True)
        return status

    def _send(
        self, chunks: list[tuple[int, bytes]], total: int, deadline: Deadline, cancel: CancelToken | None
    ) -> PrintResult:
        sent = 0
        status = self._printer_status
        for first_segment, chunk in chunks:
            progress = {"bytes_sent": sent, "total_bytes": total, "resume_segment": first_segment}
            if cancel is not None and cancel.cancelled:
                self._void(sent)
                raise PrintCancelled("cancelled", **progress)
            try:
                deadline.check("print job")
                self.transport.write(chunk)
                sent += len(chunk)
                progress["bytes_sent"] = sent
                status = self._read_and_publish(deadline, cancel)
            except DeviceTimeout as error:
                raise PrintTimeout("timeout", **progress) from error
            except DeviceUnavailable as error:
                raise PrintUnplugged("unavailable", **progress) from error
            except DeviceCancelled as error:
                self._void(sent)
                raise PrintCancelled("cancelled", **progress) from error
            except ProtocolError as error:
                raise PrintInterrupted(error.code, **progress) from error
            if not status.can_print:
                raise PrintInterrupted(not_ready_cause(status), **progress)
        assert status is not None
        return PrintResult(sent, total, len(chunks), status)

    def _void(self, bytes_sent: int) -> None:
        """Mark and cut a half-printed receipt so it cannot be mistaken for a whole one or merge with the next."""
        if bytes_sent:
            with contextlib.suppress(DeviceUnavailable):
                self.transport.write(VOID_TRAILER)


def plan_chunks(segments: list[bytes], start_segment: int, chunk_size: int) -> list[tuple[int, bytes]]:
    """Group segments into chunks of about chunk_size bytes, split only between segments.

    Each chunk is (index of its first segment, bytes). A resumed job starts again with the header segment
    so the printer is in a known state.
    """
    if not 0 <= start_segment < len(segments):
        raise ValueError(f"start_segment must be 0..{len(segments) - 1}")
    # The header travels with the first segment sent, under that segment's index.
    first_body = max(1, start_segment)
    head = segments[0] + (segments[first_body] if first_body < len(segments) else b"")
    indexed = [(start_segment, head)] + [(i, segments[i]) for i in range(first_body + 1, len(segments))]
    chunks: list[tuple[int, bytes]] = []
    first, buffer = indexed[0][0], bytearray()
    for index, segment in indexed:
        if buffer and len(buffer) + len(segment) > chunk_size:
            chunks.append((first, bytes(buffer)))
            first, buffer = index, bytearray()
        buffer += segment
    chunks.append((first, bytes(buffer)))
    return chunks
