"""An A4 printer behind a CUPS queue, driven over IPP (cups://QUEUE or cups://HOST:PORT/QUEUE).

A job is submitted with Print-Job and followed with Get-Job-Attributes until it is completed, cancelled
or aborted. While it waits, the printer's own state is watched: if the printer stays blocked (paper out,
jam, door open, stopped queue) longer than `stall_grace_s`, or the deadline passes, or the caller cancels,
the job is cancelled at the server and a named error raised. Cancelling matters here: a certificate must
not come out hours later into an empty kiosk tray once someone refills the paper.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlsplit

from devices.docprinter import cupsstate, ipp
from devices.docprinter.base import (
    JobState,
    PrintResult,
    QueuePrinterBase,
    attach_partial,
    check_copies,
    check_job_name,
    count_pdf_pages,
)
from devices.docprinter.errors import JobFailed, JobTimeout, PrinterOffline
from devices.errors import DeviceCancelled, DeviceError, DeviceTimeout, ProtocolError
from devices.operation import CancelToken, Deadline
from devices.status import DeviceState, DeviceStatus

log = logging.getLogger(__name__)

DEFAULT_PORT = 631
_VALUE_TAGS = {
    "attributes-charset": ipp.CHARSET,
    "attributes-natural-language": ipp.NATURAL_LANGUAGE,
    "printer-uri": ipp.URI,
    "requesting-user-name": ipp.NAME,
    "job-name": ipp.NAME,
    "document-format": ipp.MIME_MEDIA_TYPE,
    "job-id": ipp.INTEGER,
    "copies": ipp.INTEGER,
}
_PRINTER_ATTRIBUTES = ["printer-state", "printer-state-reasons", "printer-is-accepting-jobs", "printer-state-message"]
_JOB_ATTRIBUTES = ["job-state", "job-state-reasons", "job-impressions-completed"]
_NOT_ACCEPTING, _NOT_FOUND = 0x0506, 0x0406


def parse_cups_url(url: str) -> tuple[str, int, str]:
    """cups://QUEUE -> (localhost, 631, QUEUE); cups://HOST:PORT/QUEUE -> (HOST, PORT, QUEUE)."""
    parts = urlsplit(url)
    if parts.scheme != "cups" or not parts.netloc:
        raise ValueError(f"not a CUPS URL: {url!r} (expected cups://QUEUE or cups://HOST:PORT/QUEUE)")
    path = parts.path.strip("/")
    if not path:
        return "localhost", DEFAULT_PORT, parts.netloc
    if "/" in path:
        raise ValueError(f"CUPS URL has a nested queue path: {url!r}")
    return parts.hostname or "localhost", parts.port or DEFAULT_PORT, path


class CupsPrinter(QueuePrinterBase):
    def __init__(
        self,
        name: str,
        url: str,
        *,
        user: str = "kiosk",
        request_timeout: float = 5.0,
        poll_interval: float = 0.2,
        stall_grace_s: float = 10.0,
    ) -> None:
        super().__init__(name)
        self.url = url
        self.host, self.port, self.queue = parse_cups_url(url)
        self.user = user  # the job owner; Cancel-Job is allowed for the owner without authentication
        self.request_timeout = request_timeout
        self.poll_interval = poll_interval
        self.stall_grace_s = stall_grace_s
        self._request_id = 0

    @property
    def printer_uri(self) -> str:
        return f"ipp://{self.host}:{self.port}/printers/{self.queue}"

    def capabilities(self) -> dict[str, Any]:
        return {**super().capabilities(), "queue": self.queue, "server": f"{self.host}:{self.port}"}

    # -- IPP requests ----------------------------------------------------------------------------
    def _call(
        self, operation: int, deadline: Deadline | None, attrs: dict[str, list[Any]], **kw: Any
    ) -> ipp.IppMessage:
        self._request_id = self._request_id % 0x7FFFFFFF + 1
        operation_attrs = {
            "attributes-charset": ["utf-8"],
            "attributes-natural-language": ["en"],
            "printer-uri": [self.printer_uri],
            "requesting-user-name": [self.user],
            **attrs,
        }
        groups = [(ipp.OPERATION_GROUP, operation_attrs)]
        if kw.get("job_attrs"):
            groups.append((ipp.JOB_GROUP, kw["job_attrs"]))
        request = ipp.IppMessage(operation, self._request_id, groups, data=kw.get("data", b""))
        timeout = self.request_timeout if deadline is None else min(self.request_timeout, deadline.remaining())
        if timeout <= 0:
            raise JobTimeout(f"{self.name}: no time left for an IPP request")
        try:
            return ipp.exchange(
                self.host, self.port, f"/printers/{self.queue}", ipp.encode(request, _VALUE_TAGS), timeout
            )
        except DeviceTimeout as error:
            if deadline is not None and deadline.expired:
                raise JobTimeout(f"{self.name}: job not finished after {deadline.seconds:g} s") from error
            raise

    def _query_status(self, deadline: Deadline | None = None) -> DeviceStatus:
        answer = self._call(ipp.GET_PRINTER_ATTRIBUTES, deadline, {"requested-attributes": _PRINTER_ATTRIBUTES})
        if answer.code == _NOT_FOUND:
            raise PrinterOffline(f"CUPS has no queue {self.queue!r}")
        if not answer.ok:
            raise ProtocolError(f"Get-Printer-Attributes failed with IPP status 0x{answer.code:04x}")
        return cupsstate.printer_status(cupsstate.PrinterSnapshot.from_attributes(answer.group(ipp.PRINTER_GROUP)))

    def refresh_status(self) -> DeviceStatus:
        """Ask CUPS; an unreachable server or missing queue shows as offline, never raises."""
        try:
            status = self._query_status()
        except DeviceError as error:
            self._status.update(DeviceState.OFFLINE, last_error=error.code, queue="unreachable")
        else:
            if self._status.current.state is not DeviceState.BUSY:
                self._status.publish(status)
        return self._status.current

    def _submit(self, pdf_bytes: bytes, job_name: str, copies: int, deadline: Deadline) -> int:
        answer = self._call(
            ipp.PRINT_JOB,
            deadline,
            {"job-name": [job_name], "document-format": ["application/pdf"]},
            job_attrs={"copies": [copies]},
            data=pdf_bytes,
        )
        message = answer.first(ipp.OPERATION_GROUP, "status-message", "")
        if answer.code in (_NOT_ACCEPTING, _NOT_FOUND):
            raise PrinterOffline(f"{self.queue}: {message or 'not accepting jobs'}")
        job_id = answer.first(ipp.JOB_GROUP, "job-id")
        if not answer.ok or not isinstance(job_id, int):
            raise JobFailed(f"{self.queue} refused the job (IPP 0x{answer.code:04x} {message})")
        return job_id

    def _cancel_job(self, job_id: int) -> None:
        """Best effort: the job may already be gone, or the server unreachable."""
        try:
            self._call(ipp.CANCEL_JOB, None, {"job-id": [job_id]})
        except DeviceError as error:
            log.warning("%s: could not cancel job %s: %s", self.name, job_id, error.code)

    # -- printing --------------------------------------------------------------------------------
    def print_pdf(
        self,
        pdf_bytes: bytes,
        *,
        job_name: str,
        copies: int = 1,
        timeout: float,
        cancel: CancelToken | None = None,
    ) -> PrintResult:
        check_job_name(job_name)
        check_copies(copies)
        expected = count_pdf_pages(pdf_bytes) * copies
        with self._job(cancel):
            deadline = Deadline(timeout)
            status = self._query_status(deadline)
            if cupsstate.blocks_printing(status):
                self._status.publish(status)
                raise cupsstate.error_for_status(status, "job not sent")
            job_id = self._submit(pdf_bytes, job_name, copies, deadline)
            log.info("%s: job %s-%s submitted (%s)", self.name, self.queue, job_id, job_name)
            try:
                pages = self._follow(job_id, expected, deadline, cancel)
            except DeviceError as error:
                self._cancel_job(job_id)
                attach_partial(error, PrintResult(f"{self.queue}-{job_id}", 0, _failed_state(error)))
                raise
            self.counters["pages_printed"] += pages
            self._publish_printer_state()
            return PrintResult(f"{self.queue}-{job_id}", pages)

    def _publish_printer_state(self) -> None:
        try:
            self._status.publish(self._query_status())
        except DeviceError:
            pass  # the next refresh will tell; the job itself succeeded

    def _follow(self, job_id: int, expected: int, deadline: Deadline, cancel: CancelToken | None) -> int:
        """Poll until the job is final; returns the pages CUPS counted (or the expected count)."""
        blocked_since: float | None = None
        while True:
            if cancel is not None and cancel.cancelled:
                raise DeviceCancelled(f"{self.name}: job {job_id} cancelled by the caller")
            if deadline.expired:
                raise JobTimeout(f"{self.name}: job {job_id} not finished after {deadline.seconds:g} s")
            job = self._call(
                ipp.GET_JOB_ATTRIBUTES, deadline, {"job-id": [job_id], "requested-attributes": _JOB_ATTRIBUTES}
            ).group(ipp.JOB_GROUP)
            state = (job.get("job-state") or [None])[0]
            if state == cupsstate.JOB_COMPLETED:
                impressions = (job.get("job-impressions-completed") or [0])[0] or 0
                return impressions if impressions > 0 else expected
            printer = self._query_status(deadline)
            if state in (cupsstate.JOB_CANCELED, cupsstate.JOB_ABORTED):
                self._status.publish(printer)
                reasons = ",".join(str(r) for r in job.get("job-state-reasons") or ())
                if cupsstate.blocks_printing(printer):
                    raise cupsstate.error_for_status(printer, f"job {job_id} ended ({reasons})")
                raise JobFailed(f"{self.name}: job {job_id} was {_JOB_STATE_NAMES[state]} ({reasons})")
            blocked_since = self._check_blocked(printer, blocked_since, job_id)
            self._pause(deadline, cancel)

    def _check_blocked(self, printer: DeviceStatus, since: float | None, job_id: int) -> float | None:
        if not cupsstate.blocks_printing(printer):
            return None
        now = time.monotonic()
        since = now if since is None else since
        if now - since >= self.stall_grace_s:
            self._status.publish(printer)
            raise cupsstate.error_for_status(printer, f"job {job_id} cancelled")
        return since

    def _pause(self, deadline: Deadline, cancel: CancelToken | None) -> None:
        end = time.monotonic() + min(self.poll_interval, deadline.remaining())
        while time.monotonic() < end and not (cancel is not None and cancel.cancelled):
            time.sleep(min(0.05, max(0.0, end - time.monotonic())))


_JOB_STATE_NAMES = {cupsstate.JOB_CANCELED: "cancelled at the print server", cupsstate.JOB_ABORTED: "aborted"}


def _failed_state(error: DeviceError) -> JobState:
    return JobState.CANCELLED if isinstance(error, DeviceCancelled) else JobState.FAILED
