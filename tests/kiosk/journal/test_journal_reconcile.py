"""Reconciliation of every unfinished state against a backend that counts money, documents and calls."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devices.errors import DeviceError
from kiosk.journal import Journal, OrderState, PrintJobState, Reconciler
from kiosk.spooler import Spooler, SpoolerPrintPort
from tests.kiosk.journal.journal_fakes import FileBackend, RecordingPrinter, drive_order, render_for_print

S = OrderState


@pytest.fixture
def printer(backend: FileBackend) -> RecordingPrinter:
    return RecordingPrinter(backend)


@pytest.fixture
def spooler(journal: Journal, printer: RecordingPrinter) -> Iterator[Spooler]:
    with Spooler(journal, {"card": printer}, backoff_s=(0.0,)) as running:
        yield running


@pytest.fixture
def reconciler(journal: Journal, backend: FileBackend, spooler: Spooler) -> Reconciler:
    return Reconciler(journal, backend, SpoolerPrintPort(spooler, lambda order: "card", render_for_print))


def _crash_at(journal: Journal, backend: FileBackend, spooler: Spooler, state: OrderState, after: bool,
              *, paid: bool = True, citizen_pays: bool = True) -> str:  # fmt: skip
    order = drive_order(journal, backend, spooler, paid=paid, stop_at=state, after_effect=after,
                        citizen_pays=citizen_pays)  # fmt: skip
    assert order.state is state
    return order.order_id


def _assert_exactly_once(backend: FileBackend, *, charged: int, issued: int, printed: int) -> None:
    state = backend.state()
    assert state["charges"] == charged
    assert state["issued"] == issued
    assert len(state["printed"]) == printed
    assert backend.calls("create_payment") <= 1  # only the flow ever creates one


@pytest.mark.parametrize(
    ("state", "after"),
    [(S.PAYMENT_PENDING, True), (S.PAID, False), (S.ISSUE_PENDING, False), (S.ISSUE_PENDING, True),
     (S.PRINT_PENDING, False), (S.PRINTED, False)],
)  # fmt: skip
def test_a_paid_order_ends_done_with_one_charge_and_one_document(
    journal: Journal, backend: FileBackend, spooler: Spooler, reconciler: Reconciler,
    state: OrderState, after: bool,
) -> None:  # fmt: skip
    order_id = _crash_at(journal, backend, spooler, state, after)
    report = reconciler.reconcile()
    outcome = report.for_order(order_id)
    assert (outcome.from_state, outcome.to_state, outcome.error) == (state, S.DONE, None)
    _assert_exactly_once(backend, charged=1, issued=1, printed=1)
    assert backend.state()["printed"][0]["reprint"] is False  # nothing had started printing
    assert journal.get(order_id).document_number == backend.state()["printed"][0]["number"]


def test_a_print_that_had_started_is_reprinted_with_the_same_number(
    journal: Journal, backend: FileBackend, spooler: Spooler, reconciler: Reconciler
) -> None:
    order_id = _crash_at(journal, backend, spooler, S.PRINT_PENDING, True)  # printed, PRINTED not committed
    first = backend.state()["printed"][0]
    report = reconciler.reconcile()
    assert report.for_order(order_id).to_state is S.DONE
    assert "reprint" in report.for_order(order_id).actions
    second = backend.state()["printed"][1]
    assert (second["number"], second["reprint"]) == (first["number"], True)
    _assert_exactly_once(backend, charged=1, issued=1, printed=2)
    order = journal.get(order_id)
    assert (order.print_attempts, order.reprint) == (2, True)
    assert [job.is_reprint for job in journal.print_jobs.for_order(order_id)] == [False, True]


def test_payment_request_that_never_reached_the_backend_is_cancelled(
    journal: Journal, backend: FileBackend, spooler: Spooler, reconciler: Reconciler
) -> None:
    order_id = _crash_at(journal, backend, spooler, S.PAYMENT_PENDING, False)
    outcome = reconciler.reconcile().for_order(order_id)
    assert outcome.to_state is S.CANCELLED
    assert backend.calls("cancel_payment") == 1  # a tombstone, so a late request cannot be paid
    assert journal.get(order_id).last_error == "payment_cancelled"
    _assert_exactly_once(backend, charged=0, issued=0, printed=0)


def test_open_unpaid_payment_is_cancelled_and_can_no_longer_be_paid(
    journal: Journal, backend: FileBackend, spooler: Spooler, reconciler: Reconciler
) -> None:
    order_id = _crash_at(journal, backend, spooler, S.PAYMENT_PENDING, True, citizen_pays=False)
    assert reconciler.reconcile().for_order(order_id).to_state is S.CANCELLED
    backend.citizen_pays(journal.get(order_id).payment_key)  # the phone's QR code, too late
    _assert_exactly_once(backend, charged=0, issued=0, printed=0)


def test_created_order_is_cancelled_without_asking_anyone(
    journal: Journal, backend: FileBackend, reconciler: Reconciler
) -> None:
    order = journal.create_order("temp_id", amount_cents=1000)
    assert reconciler.reconcile().for_order(order.order_id).to_state is S.CANCELLED
    assert backend.state()["calls"] == {}


def test_issue_replay_returns_the_first_document_number(
    journal: Journal, backend: FileBackend, spooler: Spooler, reconciler: Reconciler
) -> None:
    order_id = _crash_at(journal, backend, spooler, S.ISSUE_PENDING, True)
    first_number = backend.state()["issues"][journal.get(order_id).issue_key]["number"]
    reconciler.reconcile()
    assert journal.get(order_id).document_number == first_number
    assert backend.calls("issue") == 2  # the flow's call and the replay, same key
    _assert_exactly_once(backend, charged=1, issued=1, printed=1)


@pytest.mark.parametrize("answer", ["rejected", "referred"])
def test_paid_order_that_cannot_be_issued_goes_to_refund(
    journal: Journal, backend: FileBackend, spooler: Spooler, reconciler: Reconciler, answer: str
) -> None:
    order_id = _crash_at(journal, backend, spooler, S.ISSUE_PENDING, False)
    backend.issue_answer = answer
    outcome = reconciler.reconcile().for_order(order_id)
    assert outcome.to_state is S.REFUND_PENDING
    assert journal.get(order_id).last_error == f"backend_{answer}"
    _assert_exactly_once(backend, charged=1, issued=0, printed=0)


@pytest.mark.parametrize(("answer", "end"), [("rejected", S.FAILED), ("referred", S.REFERRED)])
def test_free_order_that_cannot_be_issued_ends_without_refund(
    journal: Journal, backend: FileBackend, spooler: Spooler, reconciler: Reconciler, answer: str,
    end: OrderState,
) -> None:  # fmt: skip
    order_id = _crash_at(journal, backend, spooler, S.ISSUE_PENDING, False, paid=False)
    backend.issue_answer = answer
    assert reconciler.reconcile().for_order(order_id).to_state is end


def test_unreachable_backend_leaves_the_order_for_the_next_pass(
    journal: Journal, backend: FileBackend, spooler: Spooler, reconciler: Reconciler
) -> None:
    order_id = _crash_at(journal, backend, spooler, S.PAYMENT_PENDING, True)
    backend.unavailable = True
    outcome = reconciler.reconcile().for_order(order_id)
    assert (outcome.to_state, outcome.error) == (S.PAYMENT_PENDING, "port_unavailable")
    backend.unavailable = False
    assert reconciler.reconcile().for_order(order_id).to_state is S.DONE
    _assert_exactly_once(backend, charged=1, issued=1, printed=1)


def test_paper_out_keeps_print_pending_and_the_next_pass_reprints(
    journal: Journal, backend: FileBackend, spooler: Spooler, reconciler: Reconciler, printer: RecordingPrinter
) -> None:
    order_id = _crash_at(journal, backend, spooler, S.PRINT_PENDING, False)
    printer.errors = [DeviceError("out of cards", code="paper_out")]
    outcome = reconciler.reconcile().for_order(order_id)
    assert (outcome.to_state, outcome.error) == (S.PRINT_PENDING, "paper_out")
    assert journal.get(order_id).last_error == "paper_out"
    assert reconciler.reconcile().for_order(order_id).to_state is S.DONE
    assert backend.state()["printed"][0]["reprint"] is True  # the failed attempt might have fed a card
    _assert_exactly_once(backend, charged=1, issued=1, printed=1)


def test_second_pass_does_nothing(
    journal: Journal, backend: FileBackend, spooler: Spooler, reconciler: Reconciler
) -> None:
    _crash_at(journal, backend, spooler, S.ISSUE_PENDING, True)
    reconciler.reconcile()
    calls = backend.state()["calls"]
    assert reconciler.reconcile().outcomes == ()
    assert backend.state()["calls"] == calls


def test_live_orders_can_be_excluded(
    journal: Journal, backend: FileBackend, spooler: Spooler, reconciler: Reconciler
) -> None:
    live = _crash_at(journal, backend, spooler, S.PAYMENT_PENDING, True, citizen_pays=False)
    stale = journal.create_order("certificate")
    report = reconciler.reconcile(exclude={live})
    assert [outcome.order_id for outcome in report.outcomes] == [stale.order_id]
    assert journal.get(live).state is S.PAYMENT_PENDING
    assert backend.calls("cancel_payment") == 0


def test_print_jobs_left_running_are_marked_interrupted(
    journal: Journal, backend: FileBackend, spooler: Spooler, reconciler: Reconciler
) -> None:
    order_id = _crash_at(journal, backend, spooler, S.PRINT_PENDING, False)
    job_id = journal.print_jobs.add(order_id, "card", document_number="X", is_reprint=False)
    journal.print_jobs.attempt_started(job_id)
    report = reconciler.reconcile()
    assert report.abandoned_print_jobs == 1
    job = next(job for job in journal.print_jobs.for_order(order_id) if job.job_id == job_id)
    assert (job.state, job.error_code) == (PrintJobState.FAILED, "interrupted")
