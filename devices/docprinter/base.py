"""The document-printer interface the A4 printers (CUPS, spool simulator) and the card printer share.

    print_pdf(pdf_bytes, *, job_name, copies=1, timeout, cancel=None) -> PrintResult
    status (property, last known) / refresh_status() (asks the printer) -> DeviceStatus
    counters: jobs, jobs_failed, pages_printed (A4) or cards_printed (card printer)

print_pdf returns only when the output is complete; anything else is a named DeviceError (see
devices.docprinter.errors), carrying what did come out as `partial_result(error)` so a flow can reprint
exactly what is missing. Job names travel into print queues, logs and file names, so they must be
an order id, never a person's name or ID number: `check_job_name` enforces a plain ASCII shape.
"""

from __future__ import annotations

import contextlib
import enum
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from devices.docprinter.errors import InvalidJobName
from devices.errors import DeviceBusy, DeviceError, DeviceUnavailable
from devices.operation import CancelToken
from devices.status import DeviceState, DeviceStatus, StatusListener, StatusPublisher


class JobState(enum.StrEnum):
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class PrintResult:
    """How a print job ended: its id in the print system, what came out and the final state."""

    job_id: str
    pages: int  # sheets for an A4 printer, cards for a card printer
    state: JobState = JobState.COMPLETED
    unit: str = "page"  # "page" | "card"


@runtime_checkable
class DocumentPrinter(Protocol):
    name: str
    kind: str
    counters: dict[str, int]

    @property
    def status(self) -> DeviceStatus: ...

    def refresh_status(self) -> DeviceStatus: ...

    def subscribe(self, listener: StatusListener) -> Callable[[], None]: ...

    def open(self) -> None: ...

    def close(self) -> None: ...

    def print_pdf(
        self,
        pdf_bytes: bytes,
        *,
        job_name: str,
        copies: int = 1,
        timeout: float,
        cancel: CancelToken | None = None,
    ) -> PrintResult: ...


_JOB_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_LONG_DIGIT_RUN = re.compile(r"\d{15,}")  # 15/18-digit resident ID numbers


def check_job_name(job_name: str) -> str:
    """Accept an order-id-like name (ASCII letters, digits . _ : -, at most 64); refuse anything else."""
    if not _JOB_NAME.fullmatch(job_name) or _LONG_DIGIT_RUN.search(job_name):
        raise InvalidJobName(
            "job name must be an order id (ASCII letters, digits, . _ : -; no long digit runs), "
            f"got {len(job_name)} characters"
        )
    return job_name


def check_copies(copies: int) -> int:
    if not 1 <= copies <= 99:
        raise ValueError(f"copies must be 1..99, got {copies}")
    return copies


def attach_partial(error: DeviceError, result: PrintResult) -> DeviceError:
    """Record on an error what was printed before it happened (read back with partial_result)."""
    error.partial = result  # type: ignore[attr-defined]
    return error


def partial_result(error: BaseException) -> PrintResult | None:
    return getattr(error, "partial", None)


_PDF_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def count_pdf_pages(pdf_bytes: bytes) -> int:
    """Pages of a PDF by its page objects (exact for reportlab output; a floor of 1 for anything else)."""
    if not pdf_bytes.startswith(b"%PDF"):
        raise ValueError("not a PDF document")
    return max(1, len(_PDF_PAGE.findall(pdf_bytes)))


class QueuePrinterBase:
    """Status, counters and one-job-at-a-time for printers that are not on a byte transport."""

    kind = "document_printer"

    def __init__(self, name: str) -> None:
        self.name = name
        self._status = StatusPublisher(name)
        self._lock = threading.Lock()
        self.counters: dict[str, int] = {"jobs": 0, "jobs_failed": 0, "pages_printed": 0}

    @property
    def status(self) -> DeviceStatus:
        return self._status.current

    def subscribe(self, listener: StatusListener) -> Callable[[], None]:
        return self._status.subscribe(listener)

    def refresh_status(self) -> DeviceStatus:  # pragma: no cover - abstract
        raise NotImplementedError

    def open(self) -> None:
        """Learn the printer's state; never raises for an absent printer, it shows in the status."""
        self.refresh_status()

    def close(self) -> None:
        self._status.update(DeviceState.OFFLINE)

    def capabilities(self) -> dict[str, Any]:
        return {"format": "application/pdf", "unit": "page"}

    @contextlib.contextmanager
    def _job(self, cancel: CancelToken | None) -> Iterator[None]:
        """Exclusive, counted, BUSY while it runs; the status afterwards is the printer's own."""
        if not self._lock.acquire(blocking=False):
            raise DeviceBusy(f"{self.name} is busy")
        try:
            if cancel is not None:
                cancel.raise_if_cancelled()
            self.counters["jobs"] += 1
            idle = self._status.current.state
            self._status.update(DeviceState.BUSY)
            try:
                yield
            except DeviceError as error:
                self.counters["jobs_failed"] += 1
                self._after_failure(error, idle)
                raise
            self._after_job(idle)
        finally:
            self._lock.release()

    def _after_job(self, idle: DeviceState) -> None:
        if self._status.current.state is DeviceState.BUSY:
            self._status.update(idle if idle is not DeviceState.STARTING else DeviceState.ONLINE)

    def _after_failure(self, error: DeviceError, idle: DeviceState) -> None:
        state = DeviceState.OFFLINE if isinstance(error, DeviceUnavailable) else None
        if state is None and self._status.current.state is DeviceState.BUSY:
            state = idle if idle is not DeviceState.STARTING else DeviceState.ONLINE
        self._status.update(state, last_error=error.code)
