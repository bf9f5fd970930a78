"""The print spooler against fake printers: retries within the deadline, user errors, discard, durability."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devices.errors import DeviceError, DeviceTimeout, DeviceUnavailable
from kiosk.journal import Journal, PrintJobState, Service
from kiosk.spooler import DISCARDED, Printer, Spooler

WAIT = 10.0  # upper bound for a ticket in these tests; they finish in milliseconds


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds


class FakePrinter:
    """Fails with the scripted errors first; a time-out uses up the time it was given."""

    def __init__(self, clock: FakeClock, errors: list[BaseException] | None = None) -> None:
        self.clock = clock
        self.errors = list(errors or [])
        self.always: BaseException | None = None
        self.printed: list[Any] = []
        self.timeouts: list[float] = []
        self.gate: threading.Event | None = None  # when set, submit blocks until the gate opens
        self.entered = threading.Event()

    def submit(self, document: Any, *, job_name: str, timeout: float) -> None:
        self.timeouts.append(timeout)
        self.entered.set()
        if self.gate is not None:
            self.gate.wait(WAIT)
        error = self.errors.pop(0) if self.errors else self.always
        if error is not None:
            if isinstance(error, DeviceTimeout):
                self.clock.advance(timeout)
            raise error
        self.printed.append(document)


class Payload:
    """A document stand-in that can be watched with a weak reference."""

    def __init__(self, text: str) -> None:
        self.text = text


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal.open(f"sqlite:///{tmp_path / 'journal.sqlite3'}", kiosk_id="spool-kiosk") as opened:
        yield opened


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _order(journal: Journal, number: str = "DOC-1") -> str:
    order = journal.create_order(Service.CERTIFICATE)
    journal.begin_issue(order.order_id)
    journal.begin_print(order.order_id, number, "certificate")
    return order.order_id


def _spooler(journal: Journal, clock: FakeClock, **printers: Printer) -> Spooler:
    return Spooler(journal, printers, retry_deadline_s=25, attempt_timeout_s=10, backoff_s=(0.0,),
                   clock=clock).start()  # fmt: skip


def test_a_document_prints_and_the_attempt_is_journalled(journal: Journal, clock: FakeClock) -> None:
    printer = FakePrinter(clock)
    order_id = _order(journal)
    with _spooler(journal, clock, a4=printer) as spooler:
        outcome = spooler.print_and_wait(order_id, "a4", b"%PDF", document_number="DOC-1")
    assert (outcome.ok, outcome.attempts, outcome.error_code) == (True, 1, None)
    assert printer.printed == [b"%PDF"]
    [job] = journal.print_jobs.for_order(order_id)
    assert (job.state, job.attempt, job.printer, job.is_reprint) == (PrintJobState.DONE, 1, "a4", False)
    assert journal.get(order_id).print_attempts == 1


def test_transient_errors_are_retried(journal: Journal, clock: FakeClock) -> None:
    printer = FakePrinter(clock, [DeviceTimeout(), DeviceUnavailable()])
    order_id = _order(journal)
    with _spooler(journal, clock, a4=printer) as spooler:
        outcome = spooler.print_and_wait(order_id, "a4", b"doc", document_number="DOC-1")
    assert (outcome.ok, outcome.attempts) == (True, 3)
    assert len(printer.printed) == 1
    assert journal.print_jobs.for_order(order_id)[0].attempt == 3
    assert journal.get(order_id).print_attempts == 3  # each attempt may have fed paper


def test_retries_stop_at_the_deadline_and_attempts_shrink_to_fit(journal: Journal, clock: FakeClock) -> None:
    printer = FakePrinter(clock)
    printer.always = DeviceTimeout()
    order_id = _order(journal)
    with _spooler(journal, clock, a4=printer) as spooler:
        outcome = spooler.print_and_wait(order_id, "a4", b"doc")
    assert (outcome.ok, outcome.error_code, outcome.attempts) == (False, "timeout", 3)
    assert printer.timeouts == [10, 10, 5]
    assert outcome.needs_staff is False
    assert journal.print_jobs.for_order(order_id)[0].state is PrintJobState.FAILED


def test_user_errors_are_not_retried_and_call_staff(journal: Journal, clock: FakeClock) -> None:
    printer = FakePrinter(clock, [DeviceError("no paper", code="paper_out"), DeviceTimeout()])
    order_id = _order(journal)
    with _spooler(journal, clock, a4=printer) as spooler:
        outcome = spooler.print_and_wait(order_id, "a4", b"doc", document_number="DOC-1")
    assert (outcome.ok, outcome.error_code, outcome.attempts, outcome.needs_staff) == (False, "paper_out", 1, True)
    assert journal.get(order_id).last_error == "paper_out"
    assert printer.printed == []


def test_a_crashing_driver_does_not_kill_the_worker(journal: Journal, clock: FakeClock) -> None:
    printer = FakePrinter(clock, [RuntimeError("driver bug")])
    order_id = _order(journal)
    with _spooler(journal, clock, a4=printer) as spooler:
        assert spooler.print_and_wait(order_id, "a4", b"1").error_code == "printer_error"
        assert spooler.print_and_wait(order_id, "a4", b"2").ok
    assert printer.printed == [b"2"]


def test_the_payload_is_dropped_once_printed(journal: Journal, clock: FakeClock) -> None:
    printer = FakePrinter(clock)
    order_id = _order(journal)
    payload = Payload("测试张三丰")
    watch = weakref.ref(payload)
    with _spooler(journal, clock, a4=printer) as spooler:
        assert spooler.print_and_wait(order_id, "a4", payload).ok
        del payload
        printer.printed.clear()
        gc.collect()
        assert watch() is None


def test_discard_drops_queued_documents_of_the_order_only(journal: Journal, clock: FakeClock) -> None:
    printer = FakePrinter(clock)
    printer.gate = threading.Event()
    wiped, other = _order(journal, "A"), _order(journal, "B")
    with _spooler(journal, clock, a4=printer) as spooler:
        running = spooler.submit(wiped, "a4", b"first")
        assert printer.entered.wait(WAIT)
        queued = spooler.submit(wiped, "a4", Payload("queued"))
        kept = spooler.submit(other, "a4", b"other")
        assert spooler.discard_for_orders([wiped]) == 1
        assert queued.wait(WAIT).error_code == DISCARDED
        printer.gate.set()
        assert running.wait(WAIT).ok  # already in the printer: it completes, but is not retried
        assert kept.wait(WAIT).ok
    assert printer.printed == [b"first", b"other"]
    states = [job.state for job in journal.print_jobs.for_order(wiped)]
    assert states == [PrintJobState.DONE, PrintJobState.FAILED]


def test_discard_cuts_a_back_off_short(journal: Journal, clock: FakeClock) -> None:
    printer = FakePrinter(clock)
    printer.always = DeviceUnavailable()
    order_id = _order(journal)
    spooler = Spooler(journal, {"a4": printer}, retry_deadline_s=10_000, backoff_s=(3600.0,), clock=clock)
    with spooler:
        ticket = spooler.submit(order_id, "a4", b"doc")
        assert printer.entered.wait(WAIT)
        spooler.discard_for_order(order_id)
        outcome = ticket.wait(WAIT)  # not an hour
    assert (outcome.error_code, outcome.attempts) == (DISCARDED, 1)


def test_each_printer_has_its_own_queue(journal: Journal, clock: FakeClock) -> None:
    stuck, free = FakePrinter(clock), FakePrinter(clock)
    stuck.gate = threading.Event()
    order_id = _order(journal)
    with _spooler(journal, clock, card=stuck, receipt=free) as spooler:
        blocked = spooler.submit(order_id, "card", b"card")
        assert spooler.print_and_wait(order_id, "receipt", b"receipt").ok
        assert not blocked.done() and spooler.pending("card") == 1
        stuck.gate.set()
        assert blocked.wait(WAIT).ok


def test_close_ends_queued_jobs_as_discarded(journal: Journal, clock: FakeClock) -> None:
    printer = FakePrinter(clock)
    printer.gate = threading.Event()
    order_id = _order(journal)
    spooler = _spooler(journal, clock, a4=printer)
    spooler.submit(order_id, "a4", b"1")
    assert printer.entered.wait(WAIT)
    queued = spooler.submit(order_id, "a4", b"2")
    closing = threading.Thread(target=spooler.close)
    closing.start()
    assert queued.wait(WAIT).error_code == DISCARDED  # dropped while the first job is still printing
    printer.gate.set()
    closing.join(WAIT)
    assert not closing.is_alive()
    assert printer.printed == [b"1"]
    with pytest.raises(RuntimeError):
        spooler.submit(order_id, "a4", b"3")


def test_reprints_and_receipts_are_recorded_on_the_order(journal: Journal, clock: FakeClock) -> None:
    order_id = _order(journal)
    with _spooler(journal, clock, a4=FakePrinter(clock), receipt=FakePrinter(clock)) as spooler:
        spooler.print_and_wait(order_id, "receipt", b"receipt")  # no document number: not the document
        assert journal.get(order_id).print_attempts == 0
        spooler.print_and_wait(order_id, "a4", b"doc", document_number="DOC-1", is_reprint=True)
    order = journal.get(order_id)
    assert (order.print_attempts, order.reprint) == (1, True)


def test_bad_submissions_are_refused(journal: Journal, clock: FakeClock) -> None:
    order_id = _order(journal)
    spooler = Spooler(journal, {"a4": FakePrinter(clock)})
    with pytest.raises(RuntimeError):
        spooler.submit(order_id, "a4", b"doc")  # not started
    with spooler, pytest.raises(ValueError):
        spooler.submit(order_id, "plotter", b"doc")
