"""Print spooler: one queue and worker thread per printer, durable job records, documents only in memory.

A job is recorded in the journal (print_jobs) when queued and before every attempt, so after a crash the
kiosk knows a copy may exist. Transient errors (time-out, unavailable, busy) are retried with back-off
until the job's deadline; any other error (paper out, cover open, jam) ends the job at once, so the flow
can tell the citizen and staff. The payload, which holds personal data, is dropped when the job ends or when
the citizen's session is wiped (discard_for_order).
"""

from __future__ import annotations

import collections
import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from devices.errors import DeviceError
from kiosk.journal import Journal, OrderRecord, PrintJobState

log = logging.getLogger(__name__)

TRANSIENT_CODES = frozenset({"timeout", "unavailable", "busy"})
DISCARDED = "discarded"


@runtime_checkable
class Printer(Protocol):
    """Anything that prints one document, blocking until done; raises devices.errors.DeviceError."""

    def submit(self, document: Any, *, job_name: str, timeout: float) -> None: ...


@dataclass(frozen=True)
class PrintOutcome:
    job_id: int
    order_id: str
    printer: str
    state: PrintJobState  # DONE or FAILED
    attempts: int
    error_code: str | None = None

    @property
    def ok(self) -> bool:
        return self.state is PrintJobState.DONE

    @property
    def needs_staff(self) -> bool:
        """A non-transient failure (paper out, jam...): tell the citizen and call staff."""
        return not self.ok and self.error_code not in TRANSIENT_CODES and self.error_code != DISCARDED


class PrintTicket:
    """The future of one job: the flow waits on it to know its document is out."""

    def __init__(self) -> None:
        self._done = threading.Event()
        self._outcome: PrintOutcome | None = None

    def _resolve(self, outcome: PrintOutcome) -> None:
        self._outcome = outcome
        self._done.set()

    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> PrintOutcome:
        if not self._done.wait(timeout):
            raise TimeoutError("print job still running")
        assert self._outcome is not None
        return self._outcome


@dataclass
class _Job:
    job_id: int
    order_id: str
    printer: str
    document: Any
    job_name: str
    deadline: float
    ticket: PrintTicket = field(default_factory=PrintTicket)
    attempts: int = 0
    discarded: bool = False
    wake: threading.Event = field(default_factory=threading.Event)  # cuts a back-off short


class Spooler:
    def __init__(
        self,
        journal: Journal,
        printers: Mapping[str, Printer],
        *,
        retry_deadline_s: float = 60.0,
        attempt_timeout_s: float = 30.0,
        backoff_s: Sequence[float] = (0.5, 1.0, 2.0, 4.0),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._journal = journal
        self._printers = dict(printers)
        self._retry_deadline_s = retry_deadline_s
        self._attempt_timeout_s = attempt_timeout_s
        self._backoff_s = tuple(backoff_s) or (0.0,)
        self._clock = clock
        self._lock = threading.Condition()
        self._queues: dict[str, collections.deque[_Job]] = {name: collections.deque() for name in printers}
        self._current: dict[str, _Job | None] = dict.fromkeys(printers)
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    # --- life cycle ---------------------------------------------------------------------------

    def start(self) -> Spooler:
        """Start one worker per printer (again after close() is not supported); idempotent."""
        if self._threads:
            return self
        for name in self._printers:
            thread = threading.Thread(target=self._worker, args=(name,), name=f"spool-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def close(self, timeout: float = 5.0) -> None:
        """Stop the workers; queued jobs end as discarded (their documents are dropped)."""
        self._stopping.set()
        with self._lock:
            for queue in self._queues.values():
                for job in list(queue):
                    self._end(job, PrintJobState.FAILED, DISCARDED)
                queue.clear()
            for job in self._current.values():
                if job is not None:
                    job.wake.set()
            self._lock.notify_all()
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()

    def __enter__(self) -> Spooler:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- submitting -------------------------------------------------------------------------------

    def submit(
        self, order_id: str, printer: str, document: Any, *, document_number: str | None = None,
        is_reprint: bool = False, job_name: str | None = None, deadline_s: float | None = None,
    ) -> PrintTicket:  # fmt: skip
        """Queue a document for an order; the job is in the journal before this returns."""
        if printer not in self._printers:
            raise ValueError(f"no printer named {printer!r}")
        if not self._threads or self._stopping.is_set():
            raise RuntimeError("the spooler is not running")
        job_id = self._journal.print_jobs.add(order_id, printer, document_number=document_number,
                                              is_reprint=is_reprint)  # fmt: skip
        deadline = self._clock() + (self._retry_deadline_s if deadline_s is None else deadline_s)
        job = _Job(job_id, order_id, printer, document, job_name or f"order-{order_id}", deadline)
        with self._lock:
            self._queues[printer].append(job)
            self._lock.notify_all()
        return job.ticket

    def print_and_wait(self, order_id: str, printer: str, document: Any, **options: Any) -> PrintOutcome:
        """Submit and block until the document is printed or has failed (call from a worker, not the GUI)."""
        return self.submit(order_id, printer, document, **options).wait()

    def discard_for_order(self, order_id: str) -> int:
        """Drop every queued document of an order (session wiped); a running job is not retried."""
        dropped = 0
        with self._lock:
            for queue in self._queues.values():
                for job in [job for job in queue if job.order_id == order_id]:
                    queue.remove(job)
                    self._end(job, PrintJobState.FAILED, DISCARDED)
                    dropped += 1
            for job in self._current.values():
                if job is not None and job.order_id == order_id:
                    job.discarded = True
                    job.wake.set()
        return dropped

    def discard_for_orders(self, order_ids: Iterable[str]) -> int:
        """CitizenSession wipe listener."""
        return sum(self.discard_for_order(order_id) for order_id in order_ids)

    def pending(self, printer: str) -> int:
        with self._lock:
            return len(self._queues[printer]) + (self._current[printer] is not None)

    # --- the worker -----------------------------------------------------------------------------

    def _worker(self, name: str) -> None:
        while True:
            with self._lock:
                while not self._queues[name] and not self._stopping.is_set():
                    self._lock.wait()
                if self._stopping.is_set():
                    return
                job = self._current[name] = self._queues[name].popleft()
            try:
                self._run(job)
            finally:
                with self._lock:
                    self._current[name] = None

    def _run(self, job: _Job) -> None:
        printer = self._printers[job.printer]
        for retry in itertools.count():
            error = self._attempt(printer, job)
            if error is None:
                return self._end(job, PrintJobState.DONE, None)
            if error not in TRANSIENT_CODES or job.discarded or self._stopping.is_set():
                return self._end(job, PrintJobState.FAILED, DISCARDED if job.discarded else error)
            delay = self._backoff_s[min(retry, len(self._backoff_s) - 1)]
            if self._clock() + delay >= job.deadline:
                return self._end(job, PrintJobState.FAILED, error)
            self._journal.print_jobs.finish(job.job_id, PrintJobState.QUEUED, error)
            if job.wake.wait(delay):  # discarded or spooler closing
                return self._end(job, PrintJobState.FAILED, DISCARDED)
        return None

    def _attempt(self, printer: Printer, job: _Job) -> str | None:
        """One try; returns None on success or the error's code. The attempt is journalled first."""
        self._journal.print_jobs.attempt_started(job.job_id)
        job.attempts += 1
        timeout = max(0.1, min(self._attempt_timeout_s, job.deadline - self._clock()))
        try:
            printer.submit(job.document, job_name=job.job_name, timeout=timeout)
        except DeviceError as error:
            log.info("print job %s on %s: attempt %d failed: %s", job.job_id, job.printer, job.attempts,
                     error.code)  # fmt: skip
            return error.code
        except Exception as error:  # a driver bug must not kill the worker; report it as a device error
            log.warning("print job %s on %s crashed: %s", job.job_id, job.printer, type(error).__name__)
            return "printer_error"
        return None

    def _end(self, job: _Job, state: PrintJobState, error_code: str | None) -> None:
        job.document = None  # personal data: gone as soon as the job ends
        try:
            self._journal.print_jobs.finish(job.job_id, state, error_code)
        finally:
            job.ticket._resolve(PrintOutcome(job.job_id, job.order_id, job.printer, state, job.attempts,
                                             error_code))  # fmt: skip


class SpoolerPrintPort:
    """Adapts the spooler to the reconciler's PrintPort: render the fetched document, print, wait."""

    def __init__(
        self,
        spooler: Spooler,
        choose_printer: Callable[[OrderRecord], str],
        render: Callable[[OrderRecord, object, bool], Any],
    ) -> None:
        self._spooler = spooler
        self._choose_printer = choose_printer
        self._render = render

    def finish(self, order: OrderRecord) -> None:
        """Nothing follows the document here."""

    def print_document(self, order: OrderRecord, document: object, *, reprint: bool) -> None:
        payload = self._render(order, document, reprint)
        outcome = self._spooler.print_and_wait(order.order_id, self._choose_printer(order), payload,
                                               document_number=order.document_number, is_reprint=reprint)  # fmt: skip
        del payload
        if not outcome.ok:
            raise DeviceError(f"print failed: {outcome.error_code}", code=outcome.error_code or "printer_error")
