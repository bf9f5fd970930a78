"""港澳签注 end to end: ID, permit number, the permit's chip opened through a real pcscd (BAC), liveness and the
face against the chip's photo, the backend's options, payment, the signed record written to the chip and read
back, the back printed; refusals with their reason; a permit pulled out mid-write finished at its next visit with
no second charge and no second issue."""

from __future__ import annotations

import pytest

from devices.permit.endorsement_file import FID_ENDORSEMENTS, IcaoStyleLayout
from devices.permit.sim.control import PermitSimulator
from devices.permit.sim.vpcd import Pacing
from devices.sim import registry as sim_registry
from kiosk.flows.base import StepKind
from kiosk.journal.states import OrderState
from server.sandbox.demo_data import LI, WANG, ZHANG
from server.sandbox.models import EndorsementRow, PaymentOrderRow
from tests.devices.permit.conftest import wait_until_absent
from tests.kiosk.flows.conftest import face_check, pay

PERMITS = {ZHANG: ("zhang_weiming", "C60123458"), LI: ("li_xiuying", "C71234563"), WANG: ("wang_jianguo", "C82345670")}


@pytest.fixture
def permit_sim(pcscd):
    simulator = PermitSimulator(vpcd_port=pcscd[1], pacing=Pacing(bitrate=None))
    yield simulator
    simulator.close()
    wait_until_absent()


@pytest.fixture
def runtime(make_runtime, pcscd):
    return make_runtime(permit="pcsc://", permit_printer="sim://rewritable?instance=t-permit-printer")


def to_permit(runtime, permit_sim, id_number: str, scenario: str = "ok"):
    flow = runtime.start_flow("endorsement")
    assert flow.handle("enter_id_number").step is StepKind.ENTER_ID_NUMBER
    view = flow.handle("submit_id_number", id_number=id_number)
    assert view.step is StepKind.ENTER_PERMIT_NUMBER and "back" in view.intents
    permit_id, number = PERMITS[id_number]
    view = flow.handle("submit_permit_number", permit_number=number.lower())  # typed in lower case: normalised
    assert view.step is StepKind.READ_PERMIT
    permit_sim.present(permit_id, scenario)
    for _ in range(50):  # the screen polls the reader
        view = flow.handle("read_permit")
        if view.step is not StepKind.READ_PERMIT:
            return flow, view
    raise AssertionError("the permit was never read")


def on_chip(permit_sim) -> dict[str, object]:
    """The endorsements the simulated chip holds now, by number."""
    content = bytes(permit_sim.permit.chip.files[FID_ENDORSEMENTS].content)
    return {e.number: e for e in IcaoStyleLayout().parse(content)}


def endorsements(sandbox, permit_number: str) -> list[EndorsementRow]:
    with sandbox.state.sessions() as session:
        return list(session.query(EndorsementRow).filter_by(permit_number=permit_number))


def charged(sandbox) -> int:
    with sandbox.state.sessions() as session:
        return session.query(PaymentOrderRow).filter_by(purpose="endorsement", status="paid").count()


def to_payment(runtime, permit_sim, id_number=ZHANG, scenario="ok"):
    flow, view = to_permit(runtime, permit_sim, id_number, scenario)
    assert view.step is StepKind.CAPTURE_FACE, view.data
    view = face_check(runtime, flow, id_number)
    assert view.step is StepKind.CHOOSE_ENDORSEMENT, view.data
    options = view.data["options"]
    choice = next(o for o in options if (o["destination"], o["type"], o["entries"]) == ("HK", "G", 2))
    confirm = flow.handle("choose_endorsement", option_id=choice["id"])
    assert confirm.step is StepKind.CONFIRM and confirm.data["amount_cents"] == 3000
    assert ["field.destination", "", "place.HK"] in confirm.data["fields"]
    assert flow.handle("confirm").step is StepKind.PAY
    return flow


def test_an_eligible_holder_gets_the_endorsement_on_the_chip_and_the_back(sandbox, runtime, permit_sim):
    flow = to_payment(runtime, permit_sim)
    pay(sandbox, runtime)
    done = flow.handle("check_payment")
    assert done.step is StepKind.DONE, done.data
    assert done.data["take_items"] == ["take.permit", "take.receipt"]
    [row] = [r for r in endorsements(sandbox, "C60123458") if not r.number.startswith("ESEED")]
    assert (row.destination, row.type, row.entries, done.data["document_number"]) == ("HK", "G", 2, row.number)
    assert row.written_at is not None  # the backend was told
    chip = on_chip(permit_sim)
    assert chip[row.number].entries == 2 and chip[row.number].signature  # the backend's signed record
    assert sim_registry.get_instance("t-permit-printer").prints == 1
    order = runtime.journal.get(flow.order.order_id)
    assert (order.state, order.amount_cents, order.document_number) == (OrderState.DONE, 3000, row.number)
    # what the journal keeps of the comparison with the chip's photo: score, threshold, engine - nothing else
    assert order.face_score >= order.face_threshold == runtime.config.face.match_threshold
    assert order.face_engine.startswith("dlib-")
    receipt = "\n".join(sim_registry.get_instance("t-receipt").receipts[-1].text_lines())
    assert "30.00" in receipt and "签注" in receipt


@pytest.mark.parametrize(("holder", "code"), [(LI, "endorsement.state_employee"), (WANG, "endorsement.applied_recently")])
def test_a_holder_who_may_not_apply_here_is_told_why_before_paying(sandbox, runtime, permit_sim, holder, code):
    _flow, view = to_permit(runtime, permit_sim, holder)
    assert view.step is StepKind.FAILED and view.data["error_code"] == code and view.data["next_key"] == "next.counter"
    if holder == WANG:
        assert view.data["retry_on"] > runtime.journal.now().date().isoformat()  # when they may apply again
    assert runtime.journal.recent_orders() == [] and charged(sandbox) == 0


def test_a_wrong_permit_number_for_the_permit_on_the_reader_asks_again(sandbox, runtime, permit_sim):
    flow = runtime.start_flow("endorsement")
    flow.handle("enter_id_number")
    flow.handle("submit_id_number", id_number=ZHANG)
    flow.handle("submit_permit_number", permit_number="C60123458")
    permit_sim.present("li_xiuying")  # someone else's permit on the reader: BAC fails
    view = flow.view()
    for _ in range(50):
        view = flow.handle("read_permit")
        if view.step is not StepKind.READ_PERMIT:
            break
    assert view.step is StepKind.ENTER_PERMIT_NUMBER and view.data["error_key"] == "error.permit_number.mismatch"


def test_a_permit_pulled_out_mid_write_is_finished_at_its_next_visit_without_a_second_charge(sandbox, runtime,
                                                                                             permit_sim):  # fmt: skip
    flow = to_payment(runtime, permit_sim, scenario="removed_mid_write")
    pay(sandbox, runtime)
    failed = flow.handle("check_payment")
    assert failed.step is StepKind.FAILED and failed.data["error_code"] == "endorsement.write_pending"
    assert failed.data["next_key"] == "next.present_permit_again" and "refund" not in failed.data
    first = runtime.journal.get(flow.order.order_id)
    assert first.state is OrderState.PRINT_PENDING  # paid and issued: kept open, not refunded
    runtime.end_session("finished")
    wait_until_absent()
    _again, view = to_permit(runtime, permit_sim, ZHANG)  # the citizen comes back with the permit
    assert view.step is StepKind.DONE, view.data  # no face, no choice, no payment: the same record written
    issued = [r for r in endorsements(sandbox, "C60123458") if not r.number.startswith("ESEED")]
    assert len(issued) == 1 and issued[0].written_at is not None and charged(sandbox) == 1
    assert runtime.journal.get(first.order_id).state is OrderState.DONE
    assert issued[0].number in {e.number for e in on_chip(permit_sim).values()}


@pytest.mark.parametrize("point", ["PAID", "ISSUE_PENDING", "issued", "PRINT_PENDING"])
def test_a_crash_at_every_point_after_payment_ends_with_the_endorsement_or_the_money_back(sandbox, make_runtime,
                                                                                          pcscd, permit_sim,
                                                                                          monkeypatch, point):  # fmt: skip
    from tests.kiosk.reliability.conftest import Crash, abandon, crash_after

    devices = {"permit": "pcsc://", "permit_printer": "sim://rewritable?instance=t-permit-printer"}
    runtime = make_runtime(**devices)
    flow = to_payment(runtime, permit_sim)
    if point == "issued":  # the backend issued, the journal never heard of it
        crash_after(monkeypatch, runtime.backend, "issue_endorsement")
    else:
        crash_after(monkeypatch, runtime.journal, "advance", lambda order: order.state == point)
    pay(sandbox, runtime)
    with pytest.raises(Crash):
        flow.handle("check_payment")
    order_id = flow.order.order_id
    abandon(runtime)
    permit_sim.remove()
    wait_until_absent()
    monkeypatch.undo()
    restarted = make_runtime(**devices)  # start-up reconciliation, the citizen and the permit gone
    after = restarted.journal.get(order_id)
    issued = [r for r in endorsements(sandbox, "C60123458") if not r.number.startswith("ESEED")]
    if point in ("PAID", "ISSUE_PENDING"):  # the issue was never asked: nothing exists, so the money goes back
        assert after.state is OrderState.REFUNDED and issued == []
        return
    assert after.state is OrderState.PRINT_PENDING and len(issued) == 1  # issued: it waits for the permit
    _again, view = to_permit(restarted, permit_sim, ZHANG)
    assert view.step is StepKind.DONE and restarted.journal.get(order_id).state is OrderState.DONE
    assert charged(sandbox) == 1 and len([r for r in endorsements(sandbox, "C60123458")
                                          if not r.number.startswith("ESEED")]) == 1  # fmt: skip
