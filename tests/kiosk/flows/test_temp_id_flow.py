"""临时居民身份证 end to end: ID number, live face, eligibility, payment, issuance, card and receipt printed."""

from __future__ import annotations

import pytest

from kiosk.flows.base import FlowError, StepKind
from kiosk.journal.states import OrderState
from server.sandbox.demo_data import LI, SUN, ZHANG
from tests.kiosk.flows.conftest import face_check, live_face, pay, sim


def to_payment(runtime, id_number=ZHANG):
    flow = runtime.start_flow("temp_id")
    assert flow.view().step is StepKind.ENTER_ID_NUMBER  # no card to read: it is lost or being replaced
    assert flow.handle("submit_id_number", id_number=id_number).step is StepKind.CAPTURE_FACE
    confirm = face_check(runtime, flow, id_number)
    assert confirm.step is StepKind.CONFIRM and confirm.data["amount_cents"] == 1000
    assert id_number not in str(confirm.data)  # personal values are masked on screen
    assert flow.handle("confirm").step is StepKind.PAY
    return flow


def test_citizen_pays_10_yuan_and_takes_the_printed_card(sandbox, runtime):
    flow = to_payment(runtime)
    assert flow.view().data["qr_text"]
    assert flow.handle("check_payment").step is StepKind.PAY  # not paid yet
    pay(sandbox, runtime)
    done = flow.handle("check_payment")
    assert done.step is StepKind.DONE, done.data
    assert done.data["document_key"] == "doc.temp_id" and "take.temp_id_card" in done.data["take_items"]
    assert len(sim("t-card").printed) == 1
    receipt = "\n".join(sim("t-receipt").receipts[-1].text_lines())
    assert "10.00" in receipt
    order = runtime.journal.get(flow.order.order_id)
    assert (order.state, order.amount_cents, order.document_number) == (OrderState.DONE, 1000, done.data["document_number"])
    jobs = runtime.journal.print_jobs.for_order(order.order_id)  # journalled by the spooler before printing
    card_job = next(job for job in jobs if job.printer == "card_printer")
    assert (card_job.document_number, card_job.is_reprint, card_job.state) == (order.document_number, False, "done")


def test_wrong_face_three_times_refers_to_staff_and_charges_nothing(sandbox, runtime):
    flow = runtime.start_flow("temp_id")
    flow.handle("submit_id_number", id_number=ZHANG)
    for attempt in range(1, 4):
        view = face_check(runtime, flow, LI)
        if attempt < 3:
            assert view.step is StepKind.CAPTURE_FACE and view.data["guidance_key"] == "guidance.no_match_retry"
            assert view.data["attempt"] == attempt + 1
    assert view.step is StepKind.FAILED
    assert (view.data["error_code"], view.data["next_key"]) == ("face_no_match", "next.counter")
    assert runtime.journal.recent_orders() == []


def test_no_pending_application_is_refused_before_the_face(sandbox, runtime):
    flow = runtime.start_flow("temp_id")
    view = flow.handle("submit_id_number", id_number=LI)
    assert view.step is StepKind.FAILED and view.data["error_code"] == "temp_id.no_pending_application"


def test_active_temporary_id_is_refused(sandbox, runtime):
    view = runtime.start_flow("temp_id").handle("submit_id_number", id_number=SUN)
    assert view.data["error_code"] == "temp_id.active_temp_id_exists"


def test_invalid_id_number_stays_on_the_keypad_with_the_reason(sandbox, runtime):
    flow = runtime.start_flow("temp_id")
    view = flow.handle("submit_id_number", id_number="110105198503121235")
    assert view.step is StepKind.ENTER_ID_NUMBER and view.data["error_key"] == "error.id_number.bad_check_digit"


def test_dark_frame_gets_guidance_not_a_comparison(sandbox, runtime):
    flow = runtime.start_flow("temp_id")
    flow.handle("submit_id_number", id_number=ZHANG)
    view = flow.handle("capture_face", frame=(live_face(ZHANG) * 0.1).astype("uint8"))
    assert view.step is StepKind.CAPTURE_FACE and view.data["guidance_key"] == "guidance.too_dark"
    assert view.data["attempt"] == 1  # a bad picture does not use up an attempt


def test_intent_not_offered_is_refused_and_the_view_is_unchanged(sandbox, runtime):
    flow = runtime.start_flow("temp_id")
    with pytest.raises(FlowError):
        flow.handle("confirm")
    assert flow.view().step is StepKind.ENTER_ID_NUMBER


def test_cancel_at_payment_cancels_the_order_and_charges_nothing(sandbox, runtime):
    flow = to_payment(runtime)
    view = flow.handle("cancel")
    assert view.step is StepKind.FAILED and view.data["next_key"] == "next.not_charged"
    assert runtime.journal.get(flow.order.order_id).state is OrderState.CANCELLED
    assert runtime.backend.payment_status(flow.payment_order_id).status == "cancelled"


def test_payment_timeout_cancels_and_a_late_payment_is_refused(sandbox, runtime):
    flow = to_payment(runtime)
    flow._payment_deadline = 0  # the countdown has run out
    view = flow.handle("check_payment")
    assert view.step is StepKind.FAILED and view.data["error_code"] == "payment_timeout"
    assert runtime.journal.get(flow.order.order_id).state is OrderState.CANCELLED
    with pytest.raises(AssertionError):
        pay(sandbox, runtime)  # the payer can no longer pay a cancelled order


def test_paid_just_before_cancel_is_issued_not_lost(sandbox, runtime):
    flow = to_payment(runtime)
    pay(sandbox, runtime)
    view = flow.handle("cancel")  # the citizen pressed cancel after paying on the phone
    assert view.step is StepKind.DONE
    assert len(sim("t-card").printed) == 1


def test_card_printer_out_of_cards_before_payment_takes_no_money(sandbox, make_runtime):
    runtime = make_runtime(card="sim://cardprinter?instance=t-card&scenario=hopper_empty")
    flow = runtime.start_flow("temp_id")
    flow.handle("submit_id_number", id_number=ZHANG)
    face_check(runtime, flow, ZHANG)
    view = flow.handle("confirm")
    assert view.step is StepKind.FAILED and view.data["error_code"] == "device.card_printer_unavailable"
    assert runtime.journal.recent_orders() == []


def test_card_jam_after_payment_is_refunded_by_the_kiosk_itself(sandbox, runtime):
    flow = to_payment(runtime)
    sim("t-card").jam_next_card()
    pay(sandbox, runtime)
    published = []
    flow.add_view_listener(published.append)
    view = flow.handle("check_payment")
    assert view.step is StepKind.FAILED and view.data["error_code"].startswith("device.")
    assert "retry" not in view.intents and "cancel" not in view.intents  # paid: no way to drop the money
    order = runtime.journal.get(flow.order.order_id)
    assert order.state is OrderState.REFUNDED and order.refund_reference
    assert view.data["refund"] == {"amount_cents": 1000, "reference": order.refund_reference, "state": "refunded"}
    assert view.data["next_key"] == "next.refunded" and view.data["order_ref"] == order.order_id[:8].upper()
    # the screen moved on at once after the phone paid: paid-and-working before the failure
    assert [v.step for v in published][:2] == [StepKind.WORKING, StepKind.WORKING]
    assert published[0].prompt_key == "prompt.paid" and published[0].data["paid_cents"] == 1000
    refund_slip = "\n".join(sim("t-receipt").receipts[-1].text_lines())
    assert "退款" in refund_slip and order.refund_reference in refund_slip and "10.00" in refund_slip


def test_abort_at_payment_cancels_and_wipes_the_session(sandbox, runtime):
    flow = to_payment(runtime)
    assert flow._liveness is None  # the face step's frames were wiped when the comparison was made
    runtime.end_session("timeout")
    assert runtime.journal.get(flow.order.order_id).state is OrderState.CANCELLED
    assert runtime.session.is_empty


@pytest.mark.parametrize(("attack", "reason"), [("photo", "liveness.planar"), ("screen", "liveness.screen")])
def test_a_photo_or_a_phone_screen_is_refused_before_any_comparison(sandbox, runtime, attack, reason):
    flow = runtime.start_flow("temp_id")
    flow.handle("submit_id_number", id_number=ZHANG)
    view = face_check(runtime, flow, ZHANG, scenario=attack, max_frames=2000)
    assert view.step is StepKind.FAILED and view.data["error_code"] == reason
    assert view.data["next_key"] == "next.counter" and runtime.journal.recent_orders() == []
    assert flow._attempts.attempts_used == 0  # refused by liveness: no comparison was even made


def test_challenges_are_asked_and_shown_while_the_face_step_runs(sandbox, runtime):
    flow = runtime.start_flow("temp_id")
    flow.handle("submit_id_number", id_number=ZHANG)
    seen = []
    flow.add_view_listener(lambda view: seen.append(dict(view.data)) if view.step is StepKind.CAPTURE_FACE else None)
    assert face_check(runtime, flow, ZHANG).step is StepKind.CONFIRM
    challenges = [data["challenge"] for data in seen if data.get("challenge")]
    assert len(set(challenges)) == 2 and set(challenges) <= {"blink", "turn_left", "turn_right"}
    assert {data["guidance_key"] for data in seen} >= {f"liveness.{c}" for c in set(challenges)}
