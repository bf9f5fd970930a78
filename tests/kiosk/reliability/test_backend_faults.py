"""Backend faults on a real sandbox: slow, failing, resetting and hanging servers, and answers lost after the
backend acted. Whatever happens, a citizen is charged at most once and gets at most one card per order."""

from __future__ import annotations

import pytest

from kiosk.flows.base import StepKind
from kiosk.journal.states import OrderState
from server.sandbox.demo_data import ZHANG
from tests.kiosk.flows.conftest import face_check, sim
from tests.kiosk.reliability.conftest import call_with_faults, clear_faults, effects, pay_order, set_faults


def to_payment(runtime):
    flow = runtime.start_flow("temp_id")
    flow.handle("submit_id_number", id_number=ZHANG)
    assert face_check(runtime, flow, ZHANG).step is StepKind.CONFIRM
    return flow


def pay_and_finish(sandbox, flow):
    pay_order(sandbox, flow.payment_order_id)
    return flow.handle("check_payment")


def test_read_timeout_on_create_payment_fails_clearly_and_charges_nothing(sandbox, make_runtime, monkeypatch):
    runtime = make_runtime(read_timeout_s=0.3, retries=1)
    flow = to_payment(runtime)
    keys = call_with_faults(monkeypatch, sandbox, runtime.backend, "create_payment", delay_s=5, delay_requests=2)
    view = flow.handle("confirm")
    assert view.step is StepKind.FAILED and view.data["error_code"] == "backend_unavailable"
    assert view.data["next_key"] == "next.retry_later"
    order = runtime.journal.get(flow.order.order_id)
    assert order.state is OrderState.CANCELLED
    # The flow learnt the payment order by replaying its creation under the same key, and cancelled it:
    # the slow originals and the replay made one order between them, and it can no longer be paid.
    assert keys == [order.payment_key, order.payment_key]
    backend = effects(sandbox, order.order_id)
    assert backend.payments == {order.payment_order_id: "cancelled"} and backend.cards == 0


@pytest.mark.parametrize("call", ["create_payment", "issue_temp_id"])
def test_503_then_success_retries_under_the_same_key(sandbox, make_runtime, monkeypatch, call):
    runtime = make_runtime(retries=2)
    flow = to_payment(runtime)
    call_with_faults(monkeypatch, sandbox, runtime.backend, call, fail_requests=1, fail_status=503)
    assert flow.handle("confirm").step is StepKind.PAY
    done = pay_and_finish(sandbox, flow)
    assert done.step is StepKind.DONE, done.data
    backend = effects(sandbox, flow.order.order_id)
    assert (backend.charged, backend.cards, len(backend.payments)) == (1, 1, 1)
    assert len(sim("t-card").printed) == 1


@pytest.mark.parametrize("call", ["create_payment", "issue_temp_id"])
@pytest.mark.parametrize("lost", [{"fail_requests": 1, "fail_status": 502}, {"reset_requests": 1}],
                         ids=["502", "reset"])  # fmt: skip
def test_answer_lost_after_the_backend_acted_gives_exactly_one_effect(sandbox, make_runtime, monkeypatch, call, lost):
    runtime = make_runtime(retries=2)
    flow = to_payment(runtime)
    keys = call_with_faults(monkeypatch, sandbox, runtime.backend, call, after_handler=True, **lost)
    assert flow.handle("confirm").step is StepKind.PAY
    done = pay_and_finish(sandbox, flow)
    assert done.step is StepKind.DONE, done.data
    order = runtime.journal.get(flow.order.order_id)
    assert keys == [order.payment_key if call == "create_payment" else order.issue_key]
    backend = effects(sandbox, order.order_id)
    assert (backend.charged, backend.cards, len(backend.payments)) == (1, 1, 1)
    assert order.state is OrderState.DONE and len(sim("t-card").printed) == 1


def test_connection_reset_before_the_backend_acted_is_retried(sandbox, make_runtime, monkeypatch):
    runtime = make_runtime(retries=1)
    flow = to_payment(runtime)
    call_with_faults(monkeypatch, sandbox, runtime.backend, "create_payment", reset_requests=1)
    assert flow.handle("confirm").step is StepKind.PAY
    assert pay_and_finish(sandbox, flow).step is StepKind.DONE
    assert effects(sandbox, flow.order.order_id).charged == 1


def test_issue_times_out_after_payment_is_asked_again_under_its_key_one_card(sandbox, make_runtime, monkeypatch):
    runtime = make_runtime(read_timeout_s=0.5, retries=1)
    flow = to_payment(runtime)
    assert flow.handle("confirm").step is StepKind.PAY
    keys = call_with_faults(monkeypatch, sandbox, runtime.backend, "issue_temp_id", delay_s=5, delay_requests=2)
    view = pay_and_finish(sandbox, flow)
    assert view.step is StepKind.DONE, view.data
    order = runtime.journal.get(flow.order.order_id)
    assert keys == [order.issue_key, order.issue_key]  # the slow original and the replay: one key
    backend = effects(sandbox, order.order_id)
    assert (backend.charged, backend.cards, backend.refunds) == (1, 1, {})
    assert len(sim("t-card").printed) == 1


def test_issue_never_answered_is_settled_by_its_key_refunded_when_nothing_was_issued(sandbox, make_runtime,
                                                                                       monkeypatch):  # fmt: skip
    runtime = make_runtime(retries=0)
    flow = to_payment(runtime)
    assert flow.handle("confirm").step is StepKind.PAY
    original = runtime.backend.issue_temp_id
    attempts = []

    def unreachable(*args, **kwargs):  # every attempt of this visit meets a dead backend (503 before acting)
        attempts.append(kwargs["idempotency_key"])
        set_faults(sandbox, fail_requests=1, fail_status=503)
        try:
            return original(*args, **kwargs)
        finally:
            clear_faults(sandbox)

    monkeypatch.setattr(runtime.backend, "issue_temp_id", unreachable)
    view = pay_and_finish(sandbox, flow)
    order = runtime.journal.get(flow.order.order_id)
    assert view.step is StepKind.FAILED and view.data["error_code"] == "issue_unconfirmed"
    assert view.data["next_key"] == "next.refund_if_not_issued" and view.data["paid_cents"] == 1000
    assert len(attempts) == 3 and set(attempts) == {order.issue_key}  # asked twice more, same key
    assert order.state is OrderState.ISSUE_PENDING  # not refunded blindly: it may have been issued
    runtime.end_session("finished")
    runtime.money.run_once()  # the periodic pass reads it back by key: nothing issued, so it refunds
    order = runtime.journal.get(order.order_id)
    assert order.state is OrderState.REFUNDED
    backend = effects(sandbox, order.order_id)
    assert (backend.charged, backend.cards, backend.refunds) == (1, 0, {order.payment_order_id: "refunded"})


def test_backend_that_accepts_and_never_answers_fails_clearly(sandbox, make_runtime, hanging_server):
    runtime = make_runtime(url=hanging_server.url, read_timeout_s=0.3, connect_timeout_s=0.3, retries=1)
    assert runtime.refresh_health() is False
    flow = runtime.start_flow("temp_id")
    view = flow.handle("submit_id_number", id_number=ZHANG)
    assert view.step is StepKind.FAILED and view.data["error_code"] == "backend_unavailable"
    assert runtime.journal.recent_orders() == []  # nothing was ordered, so nothing can be charged
    assert len(hanging_server.accepted) >= 2  # the request really was sent, and retried


def test_backend_hangs_at_payment_creation_the_order_is_never_charged(sandbox, make_runtime, hanging_server):
    runtime = make_runtime(read_timeout_s=0.3, connect_timeout_s=0.3, retries=1)
    flow = to_payment(runtime)
    runtime.backend._http.base_url = hanging_server.url  # the backend process freezes mid-visit
    view = flow.handle("confirm")
    assert view.step is StepKind.FAILED and view.data["error_code"] == "backend_unavailable"
    order = runtime.journal.get(flow.order.order_id)
    assert order.state in (OrderState.PAYMENT_PENDING, OrderState.CANCELLED)
    assert effects(sandbox, order.order_id).payments == {}  # the hung backend never made a payment order
