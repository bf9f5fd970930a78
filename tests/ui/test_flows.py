"""Each service from the attract screen to done (or failed) by simulated touches, with the scripted flows."""

from __future__ import annotations

import threading

import numpy as np
from PySide6.QtCore import Qt

from kiosk.flows.base import StepKind
from tests.ui.fakes import FakeRuntime
from tests.ui.helpers import click, start_service, wait_step
from ui.texts import CATALOG


def zh(key: str) -> str:
    return CATALOG[key]["zh"]


def capture(qtbot, window) -> None:
    screen = window.steps[StepKind.CAPTURE_FACE]
    screen.auto_capture = False
    qtbot.waitUntil(lambda: screen._frame is not None and screen.preview.image is not None)
    click(qtbot, screen.capture)


def pay_and_finish(qtbot, window, runtime) -> None:
    wait_step(qtbot, window, StepKind.PAY)
    assert window.steps[StepKind.PAY].qr.matrix, "a QR code is drawn"
    wait_step(qtbot, window, StepKind.DONE)
    click(qtbot, window.steps[StepKind.DONE].finish)
    qtbot.waitUntil(lambda: runtime.ended == ["finished"])
    assert window.stack.currentWidget() is window.attract


def test_temporary_id_with_the_card(qtbot, window, runtime):
    start_service(qtbot, window, "temp_id")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE)  # the card is read by itself, no touch needed
    assert window.prompt.text() == zh("prompt.capture_face")
    assert window.steps[StepKind.CAPTURE_FACE].guidance.text() == zh("guidance.face_not_centred")
    capture(qtbot, window)
    wait_step(qtbot, window, StepKind.CONFIRM)
    assert window.steps[StepKind.CONFIRM].amount.text() == "¥10.00"
    click(qtbot, window.steps[StepKind.CONFIRM].confirm)
    pay_and_finish(qtbot, window, runtime)
    flow = runtime.flows[0]
    assert flow.intents_sent() == ["read_card", "capture_face", "confirm", "check_payment", "finish"]
    frame = flow.calls[1][1]["frame"]
    assert isinstance(frame, np.ndarray) and frame.shape == runtime.frame.shape


def test_temporary_id_by_typing_the_number_while_the_reader_waits(qtbot, window, runtime):
    runtime.flow_options["read_gate"] = threading.Event()  # no card ever arrives
    start_service(qtbot, window, "temp_id")
    wait_step(qtbot, window, StepKind.READ_CARD)
    qtbot.waitUntil(lambda: window.controller.busy)  # a read is in flight
    click(qtbot, window.steps[StepKind.READ_CARD].enter_number)
    wait_step(qtbot, window, StepKind.ENTER_ID_NUMBER)
    screen = window.steps[StepKind.ENTER_ID_NUMBER]
    for key in "110105194912310021":  # wrong check digit
        click(qtbot, screen.keypad.keys[key])
    assert screen.status.text() == zh("id.error.bad_check_digit")
    assert not screen.submit.isEnabled()
    click(qtbot, screen.keypad.keys["⌫"])
    click(qtbot, screen.keypad.keys["X"])
    assert screen.field.text() == "110105 19491231 002X"
    click(qtbot, screen.submit)
    wait_step(qtbot, window, StepKind.CAPTURE_FACE)
    click(qtbot, window.cancel)
    qtbot.waitUntil(lambda: runtime.ended == ["cancelled"])
    assert window.stack.currentWidget() is window.attract
    assert runtime.flows[0].intents_sent()[-2:] == ["submit_id_number", "cancel"]
    assert runtime.flows[0].calls[-2][1] == {"id_number": "11010519491231002X"}


def test_certificate(qtbot, window, runtime):
    start_service(qtbot, window, "certificate")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE)
    capture(qtbot, window)
    wait_step(qtbot, window, StepKind.CHOOSE_PURPOSE)
    click(qtbot, window.steps[StepKind.CHOOSE_PURPOSE].buttons["就业"])
    wait_step(qtbot, window, StepKind.CONFIRM)
    assert window.steps[StepKind.CONFIRM].amount.text() == zh("confirm.free")
    click(qtbot, window.steps[StepKind.CONFIRM].confirm)
    wait_step(qtbot, window, StepKind.DONE)
    done = window.steps[StepKind.DONE]
    assert done.number.text() == "编号：BJ-2024-000321"
    assert done.take.text() == "请取走您的证明"
    click(qtbot, done.finish)
    qtbot.waitUntil(lambda: runtime.ended == ["finished"])
    assert ("submit_purpose", {"purpose": "就业"}) in runtime.flows[0].calls


def test_traffic_by_plate(qtbot, window, runtime):
    start_service(qtbot, window, "traffic")
    wait_step(qtbot, window, StepKind.ENTER_PLATE)
    plate = window.steps[StepKind.ENTER_PLATE]
    for char in "京A12345A1B2C3":
        click(qtbot, plate.keyboard.keys[char])
    click(qtbot, plate.submit)
    wait_step(qtbot, window, StepKind.SELECT_ITEMS)
    items = window.steps[StepKind.SELECT_ITEMS]
    assert items.selected_ids() == ["v1", "v2"]  # the ineligible one is not offered
    assert not items.rows[2].check.isEnabled()
    qtbot.mouseClick(items.rows[1], Qt.MouseButton.LeftButton)  # the whole row is the target
    assert items.selected_ids() == ["v1"]
    assert items.summary.text() == "已选 1 条，合计 ¥200.00，记 1 分"
    click(qtbot, items.submit)
    wait_step(qtbot, window, StepKind.CONFIRM)
    click(qtbot, window.steps[StepKind.CONFIRM].confirm)
    pay_and_finish(qtbot, window, runtime)
    calls = dict(runtime.flows[0].calls)
    assert calls["submit_plate"] == {"plate": "京A12345", "plate_type": "02", "vin6": "A1B2C3"}
    assert calls["select_items"] == {"ids": ["v1"]}


def test_payment_is_polled_until_the_flow_moves_on(qtbot, make_window):
    runtime = FakeRuntime()
    runtime.availability["traffic"] = (True, None)
    runtime.flow_options["pay_polls"] = 3
    window = make_window(runtime)
    start_service(qtbot, window, "temp_id")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE)
    capture(qtbot, window)
    wait_step(qtbot, window, StepKind.CONFIRM)
    click(qtbot, window.steps[StepKind.CONFIRM].confirm)
    wait_step(qtbot, window, StepKind.PAY)
    assert not window.idle.enabled  # the citizen is paying on the phone
    wait_step(qtbot, window, StepKind.DONE)
    assert runtime.flows[0].intents_sent().count("check_payment") == 3


def test_failed_view_says_what_next_and_can_retry(qtbot, window, runtime):
    runtime.flow_options["fail_at"] = StepKind.CAPTURE_FACE
    start_service(qtbot, window, "temp_id")
    wait_step(qtbot, window, StepKind.FAILED)
    failed = window.steps[StepKind.FAILED]
    assert failed.error.text() == "原因：" + zh("error.face_mismatch")
    assert failed.next.text() == "下一步：" + zh("next.counter")
    assert not window.footer.isVisible()
    click(qtbot, failed.retry)
    wait_step(qtbot, window, StepKind.FAILED)  # the script fails again after the card read
    click(qtbot, failed.finish)
    qtbot.waitUntil(lambda: runtime.ended == ["finished"])
    assert "retry" in runtime.flows[0].intents_sent()


def test_a_crash_in_the_flow_becomes_a_failed_screen(qtbot, window, runtime):
    runtime.flow_options["raise_on"] = "confirm"
    start_service(qtbot, window, "temp_id")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE)
    capture(qtbot, window)
    wait_step(qtbot, window, StepKind.CONFIRM)
    click(qtbot, window.steps[StepKind.CONFIRM].confirm)
    wait_step(qtbot, window, StepKind.FAILED)
    failed = window.steps[StepKind.FAILED]
    assert zh("error.internal") in failed.error.text()
    assert not failed.retry.isVisible()
    click(qtbot, failed.finish)
    qtbot.waitUntil(lambda: runtime.ended == ["finished"])
    assert runtime.flows[0].aborted.is_set()  # a flow in an unknown state is aborted, not asked to finish


def test_a_flow_that_cannot_start_becomes_a_failed_screen(qtbot, window, runtime):
    runtime.broken_start = True
    start_service(qtbot, window, "certificate")
    wait_step(qtbot, window, StepKind.FAILED)
    click(qtbot, window.steps[StepKind.FAILED].finish)
    qtbot.waitUntil(lambda: runtime.ended == ["finished"])


def test_a_refused_intent_shows_why_and_keeps_the_screen(qtbot, window, runtime):
    runtime.flow_options["refuse_on"] = "confirm"
    start_service(qtbot, window, "temp_id")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE)
    capture(qtbot, window)
    wait_step(qtbot, window, StepKind.CONFIRM)
    click(qtbot, window.steps[StepKind.CONFIRM].confirm)
    qtbot.waitUntil(lambda: window.banner.isVisible())
    assert window.banner.text() == zh("error.bad_input")
    assert window.stack.currentWidget() is window.steps[StepKind.CONFIRM]
    assert not window.controller.busy


def test_unavailable_services_say_why_and_cannot_be_chosen(qtbot, make_window):
    runtime = FakeRuntime()  # traffic: backend down
    window = make_window(runtime)
    qtbot.mouseClick(window.attract, Qt.MouseButton.LeftButton)
    tile = window.home.tiles["traffic"]
    assert not tile.isEnabled()
    assert tile.status.text() == zh("reason.backend_down")
    assert window.home.tiles["endorsement"].status.text() == zh("status.coming_soon")
    assert window.home.tiles["temp_id"].status.text() == zh("status.available")
