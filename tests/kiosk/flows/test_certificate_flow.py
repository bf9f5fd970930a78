"""无犯罪记录证明 end to end: card, face, own record, purpose, A4 certificate with a verifiable number."""

from __future__ import annotations

import io

from pypdf import PdfReader

from devices.idcard.sim import IdCardSimulator
from kiosk.flows.base import StepKind
from kiosk.journal.states import OrderState
from server.sandbox.demo_data import LI, WANG, ZHANG
from tests.kiosk.flows.conftest import face_check, sim, spool


def to_purpose(runtime, id_number):
    flow = runtime.start_flow("certificate")
    assert flow.view().step is StepKind.READ_CARD
    flow.handle("enter_id_number")
    flow.handle("submit_id_number", id_number=id_number)
    return flow, face_check(runtime, flow, id_number)


def test_clean_record_prints_a_certificate_that_verifies(sandbox, runtime):
    flow, view = to_purpose(runtime, ZHANG)
    assert view.step is StepKind.CHOOSE_PURPOSE and "就业" in view.data["purposes"]
    confirm = flow.handle("submit_purpose", purpose="就业")
    assert confirm.step is StepKind.CONFIRM and confirm.data["amount_cents"] == 0  # certificates are free
    done = flow.handle("confirm")
    assert done.step is StepKind.DONE, done.data
    number = done.data["document_number"]
    pdf = spool().jobs[-1].pdf if hasattr(spool().jobs[-1], "pdf") else spool().jobs[-1]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(pdf))).pages)
    assert "无犯罪记录证明" in text and number in text and "就业" in text
    order = runtime.journal.get(flow.order.order_id)
    assert (order.state, order.amount_cents, order.document_number) == (OrderState.DONE, 0, number)


def test_a_record_is_referred_to_the_counter_without_details(sandbox, runtime):
    _, view = to_purpose(runtime, LI)
    assert view.step is StepKind.FAILED
    assert (view.data["error_code"], view.data["next_key"]) == ("certificate.refer_to_counter", "next.counter")
    assert not spool().jobs


def test_undecidable_record_gets_an_acceptance_receipt(sandbox, runtime):
    flow, _view = to_purpose(runtime, WANG)
    flow.handle("submit_purpose", purpose="出国（境）")
    done = flow.handle("confirm")
    assert done.step is StepKind.DONE and done.data["document_key"] == "doc.acceptance_receipt"
    receipt = "\n".join(sim("t-receipt").receipts[-1].text_lines())
    assert done.data["document_number"] in receipt and "受理" in receipt
    assert runtime.journal.get(flow.order.order_id).state is OrderState.REFERRED


def test_yearly_cap(sandbox, runtime):
    for _ in range(3):
        flow, _ = to_purpose(runtime, ZHANG)
        flow.handle("submit_purpose", purpose="其他")
        assert flow.handle("confirm").step is StepKind.DONE
        runtime.end_session("finished")
    _, view = to_purpose(runtime, ZHANG)
    assert view.data["error_code"] == "certificate.yearly_cap"


def test_reading_the_card_identifies_the_citizen(sandbox, runtime):
    reader_sim = sim("t-idcard")
    assert isinstance(reader_sim, IdCardSimulator)
    reader_sim.cards["demo"] = {**reader_sim.cards["zhang_san"], "portrait": "p1"}
    reader_sim.cards["demo"]["fields"] = {**reader_sim.cards["zhang_san"]["fields"], "id_number": ZHANG,
                                          "birth_date": ZHANG[6:14]}  # fmt: skip
    reader_sim.place_card("demo")
    flow = runtime.start_flow("certificate")
    assert flow.handle("read_card").step is StepKind.CAPTURE_FACE
    assert face_check(runtime, flow, ZHANG).step is StepKind.CHOOSE_PURPOSE


def test_a4_printer_offline_before_issuing_creates_no_order(sandbox, make_runtime):
    runtime = make_runtime(a4="spool://t-a4?scenario=offline")
    flow, _ = to_purpose(runtime, ZHANG)
    flow.handle("submit_purpose", purpose="就业")
    view = flow.handle("confirm")
    assert view.step is StepKind.FAILED and view.data["error_code"] == "device.document_printer_unavailable"
    assert runtime.journal.recent_orders() == []
