"""Start-up reconciliation of certificates and traffic fines against the real sandbox, after an in-process
crash at the points where the journal and the backend disagree (the temporary ID is covered with kill -9)."""

from __future__ import annotations

import pytest

from kiosk.flows.base import StepKind
from kiosk.journal.states import OrderState
from kiosk.recovery.service import NOT_REPLAYABLE
from server.sandbox.demo_data import WANG, ZHANG
from tests.kiosk.flows.conftest import face_check, sim, spool
from tests.kiosk.reliability.conftest import (
    Crash,
    abandon,
    certificates_issued,
    clear_faults,
    crash_after,
    effects,
    pay_order,
    set_faults,
)

S = OrderState


def certificate_to_confirm(runtime, id_number=ZHANG):
    flow = runtime.start_flow("certificate")
    flow.handle("enter_id_number")
    flow.handle("submit_id_number", id_number=id_number)
    face_check(runtime, flow, id_number)
    assert flow.handle("submit_purpose", purpose="就业").step is StepKind.CONFIRM
    return flow


def traffic_to_payment(runtime, ids=("V0001", "V0005")):
    flow = runtime.start_flow("traffic")
    flow.handle("enter_id_number")
    flow.handle("submit_id_number", id_number=ZHANG)
    face_check(runtime, flow, ZHANG)
    flow.handle("select_items", ids=list(ids))
    assert flow.handle("confirm").step is StepKind.PAY
    return flow


def reprinted(receipt) -> bool:
    return any("补打" in line for line in receipt.text_lines())


def violation_statuses(runtime):
    return {v.violation_id: v.status for v in runtime.backend.violations_by_licence(ZHANG).violations}


def test_certificate_issued_but_not_journalled_is_read_back_and_printed(sandbox, make_runtime, monkeypatch):
    runtime, seeded = make_runtime(), certificates_issued(sandbox)
    flow = certificate_to_confirm(runtime)
    crash_after(monkeypatch, runtime.backend, "request_certificate")
    with pytest.raises(Crash):
        flow.handle("confirm")
    order_id = flow.order.order_id
    abandon(runtime)
    assert spool("t-a4").jobs == [] and certificates_issued(sandbox) == seeded + 1
    again = make_runtime()
    order = again.journal.get(order_id)
    assert order.state is S.DONE and order.document_number
    assert certificates_issued(sandbox) == seeded + 1  # the same one read back, not a new one
    assert (
        len(spool("t-a4").jobs) == 1
        and order.document_number
        in again.backend.issued_document(order.issue_key).certificate.certificate_number
    )
    assert [job.is_reprint for job in again.journal.print_jobs.for_order(order_id)] == [False]


def test_certificate_request_never_sent_fails_without_issuing(sandbox, make_runtime, monkeypatch):
    runtime, seeded = make_runtime(), certificates_issued(sandbox)
    flow = certificate_to_confirm(runtime)
    crash_after(monkeypatch, runtime.journal, "advance", lambda order: order.state is S.ISSUE_PENDING)
    with pytest.raises(Crash):
        flow.handle("confirm")
    abandon(runtime)
    order = make_runtime().journal.get(flow.order.order_id)
    assert (order.state, order.last_error) == (S.FAILED, NOT_REPLAYABLE)  # free: nothing owed, nothing issued
    assert certificates_issued(sandbox) == seeded


def test_certificate_left_pending_at_the_backend_is_referred(sandbox, make_runtime, monkeypatch):
    runtime = make_runtime()
    flow = certificate_to_confirm(runtime, WANG)  # the record check cannot be decided at once
    crash_after(monkeypatch, runtime.backend, "request_certificate")
    with pytest.raises(Crash):
        flow.handle("confirm")
    abandon(runtime)
    order = make_runtime().journal.get(flow.order.order_id)
    assert (order.state, order.last_error, order.person_hash) == (S.REFERRED, "referred", None)


@pytest.mark.parametrize("paid_before_crash", [0, 1], ids=["none-settled", "one-settled"])
def test_traffic_paid_but_not_settled_is_settled_from_the_journalled_violation_ids(
    sandbox, make_runtime, monkeypatch, paid_before_crash
):
    runtime = make_runtime()
    flow = traffic_to_payment(runtime)
    assert runtime.journal.order_items(flow.order.order_id) == ["V0001", "V0005"]
    if paid_before_crash:
        crash_after(monkeypatch, runtime.backend, "pay_violation")
    else:
        crash_after(monkeypatch, runtime.journal, "advance", lambda order: order.state is S.ISSUE_PENDING)
    pay_order(sandbox, flow.payment_order_id)
    with pytest.raises(Crash):
        flow.handle("check_payment")
    assert sum(status == "paid" for status in violation_statuses(runtime).values() if status) >= paid_before_crash
    abandon(runtime)
    again = make_runtime()
    order = again.journal.get(flow.order.order_id)
    assert order.state is S.DONE, again.reconcile_report
    statuses = violation_statuses(again)
    assert statuses["V0001"] == statuses["V0005"] == "paid"
    assert effects(sandbox, order.order_id).charged == 1
    receipts = sim("t-receipt").receipts
    assert len(receipts) == 2 and not any(reprinted(r) for r in receipts)  # never printed before: originals


def test_traffic_receipts_not_started_at_the_crash_print_as_originals(sandbox, make_runtime, monkeypatch):
    runtime = make_runtime()
    flow = traffic_to_payment(runtime)
    crash_after(monkeypatch, runtime.journal, "advance", lambda order: order.state is S.PRINT_PENDING)
    pay_order(sandbox, flow.payment_order_id)
    with pytest.raises(Crash):
        flow.handle("check_payment")
    abandon(runtime)
    again = make_runtime()
    assert again.journal.get(flow.order.order_id).state is S.DONE
    receipts = sim("t-receipt").receipts
    assert len(receipts) == 2 and not any(reprinted(r) for r in receipts)  # no print had started: no 补打
    assert all(any("决定书" in line for line in r.text_lines()) for r in receipts)


def test_backend_down_at_start_up_leaves_the_order_for_the_next_start(sandbox, make_runtime, monkeypatch):
    runtime, seeded = make_runtime(), certificates_issued(sandbox)
    flow = certificate_to_confirm(runtime)
    crash_after(monkeypatch, runtime.journal, "advance", lambda order: order.state is S.PRINT_PENDING)
    with pytest.raises(Crash):
        flow.handle("confirm")
    abandon(runtime)
    set_faults(sandbox, fail_requests=1000, fail_status=503)
    down = make_runtime()
    assert down.journal.get(flow.order.order_id).state is S.PRINT_PENDING  # not lost, not failed: waiting
    assert [o.error for o in down.reconcile_report.unfinished] == ["port_unavailable"]
    down.close()
    clear_faults(sandbox)
    back = make_runtime()
    assert back.journal.get(flow.order.order_id).state is S.DONE
    assert len(spool("t-a4").jobs) == 1 and certificates_issued(sandbox) == seeded + 1


def test_payment_order_unknown_to_the_backend_is_closed_not_retried_for_ever(sandbox, make_runtime):
    runtime = make_runtime()
    order = runtime.journal.create_order("temp_id", amount_cents=1000)
    runtime.journal.begin_payment(order.order_id, payment_order_id="PO-NEVER-MADE-HERE")
    runtime.close()
    again = make_runtime()
    closed = again.journal.get(order.order_id)
    assert (closed.state, closed.last_error) == (S.CANCELLED, "payment_not_found")
    assert effects(sandbox, order.order_id).payments == {}
