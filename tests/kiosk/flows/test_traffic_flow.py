"""交通违法处理 end to end: lookup by licence or plate, eligibility rules, handling, one payment, receipts."""

from __future__ import annotations

from kiosk.flows.base import StepKind
from kiosk.journal.states import OrderState
from server.sandbox.demo_data import WANG, ZHANG
from tests.kiosk.flows.conftest import face_check, pay, sim


def list_by_licence(runtime, id_number):
    flow = runtime.start_flow("traffic")
    flow.handle("enter_id_number")
    flow.handle("submit_id_number", id_number=id_number)
    return flow, face_check(runtime, flow, id_number)


def items_by_id(view):
    return {item["id"]: item for item in view.data["items"]}


def test_eligibility_rules_are_shown_per_violation(sandbox, runtime):
    _, view = list_by_licence(runtime, ZHANG)
    assert view.step is StepKind.SELECT_ITEMS
    items = items_by_id(view)
    assert items["V0001"]["eligible"]
    assert items["V0002"]["reason_key"] == "reason.traffic.scene_violation"
    assert items["V0003"]["reason_key"] == "reason.traffic.code_1603"
    assert items["V0004"]["reason_key"] == "reason.traffic.excluded_authority"
    assert items["V0005"]["eligible"] and items["V0005"]["late_fee_cents"] == 7500  # 25 days x 3% of 100 yuan
    assert items["V0006"]["reason_key"] == "reason.traffic.already_paid"
    assert items["V0007"]["late_fee_cents"] == items["V0007"]["fine_cents"]  # never more than the fine


def test_handle_and_pay_two_violations_in_one_payment(sandbox, runtime):
    flow, _ = list_by_licence(runtime, ZHANG)
    confirm = flow.handle("select_items", ids=["V0001", "V0005"])
    assert confirm.step is StepKind.CONFIRM
    assert confirm.data["amount_cents"] == 20000 + 10000 + 7500
    assert flow.handle("confirm").step is StepKind.PAY
    pay(sandbox, runtime)
    done = flow.handle("check_payment")
    assert done.step is StepKind.DONE, done.data
    receipts = sim("t-receipt").receipts
    assert len(receipts) == 2
    assert all(any("决定书" in line for line in r.text_lines()) for r in receipts)
    assert runtime.journal.get(flow.order.order_id).state is OrderState.DONE
    again = runtime.backend.violations_by_licence(ZHANG)
    status = {v.violation_id: v.status for v in again.violations}
    assert status["V0001"] == "paid" and status["V0005"] == "paid"


def test_twelve_point_rule_counts_the_selection(sandbox, runtime):
    flow, view = list_by_licence(runtime, WANG)  # 10 points already
    items = items_by_id(view)
    assert items["V0201"]["eligible"] is False and items["V0201"]["reason_key"] == "reason.traffic.points_limit"
    assert items["V0202"]["eligible"]
    assert flow.handle("select_items", ids=["V0202"]).step is StepKind.CONFIRM  # 11 points stays below 12


def test_plate_lookup_pays_decided_fines_but_cannot_handle_without_the_driver(sandbox, runtime):
    flow = runtime.start_flow("traffic")
    view = flow.handle("lookup_by_plate")
    assert view.step is StepKind.ENTER_PLATE
    bad = flow.handle("submit_plate", plate="京A1234O", plate_type="02", vin6="123456")
    assert bad.step is StepKind.ENTER_PLATE and bad.data["error_key"].startswith("error.plate.")
    view = flow.handle("submit_plate", plate="京A12345", plate_type="02", vin6="123456")
    items = items_by_id(view)
    assert items["V0001"]["reason_key"] == "reason.traffic.needs_driver"
    assert items["V0005"]["eligible"]
    flow.handle("select_items", ids=["V0005"])
    flow.handle("confirm")
    pay(sandbox, runtime)
    assert flow.handle("check_payment").step is StepKind.DONE


def test_paper_out_before_payment_is_refused_up_front(sandbox, make_runtime):
    runtime = make_runtime(receipt="sim://receipt?instance=t-receipt&scenario=paper_out")
    flow, _ = list_by_licence(runtime, ZHANG)
    flow.handle("select_items", ids=["V0001"])
    view = flow.handle("confirm")
    assert view.data["error_code"] == "device.receipt_printer_unavailable"
    assert runtime.journal.recent_orders() == []


def test_one_payment_order_never_pays_more_than_its_amount(sandbox, runtime):
    import requests

    from kiosk.backend.errors import BackendRejected

    flow, _ = list_by_licence(runtime, ZHANG)
    backend = runtime.backend
    decision = backend.handle_violation("V0001", ZHANG, flow.verification_token, idempotency_key="h-v0001")
    order = backend.create_payment(20000, "traffic_fine", "split-test", idempotency_key="p-split")
    requests.post(f"{sandbox.base_url}/api/v1/sandbox/payments/{order.order_id}/pay", timeout=10).raise_for_status()
    paid = backend.pay_violation("V0001", order.order_id, idempotency_key="pay-v0001")
    assert paid.decision_number == decision.decision_number and paid.paid_cents == 20000
    try:
        backend.pay_violation("V0005", order.order_id, idempotency_key="pay-v0005")  # 175 yuan more: nothing left
    except BackendRejected as rejected:
        assert rejected.code == "payment_mismatch"
    else:
        raise AssertionError("an exhausted payment order paid another fine")
