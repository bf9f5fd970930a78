"""Each service from the attract screen to done (or failed) by touches on the QML items, with scripted flows."""

from __future__ import annotations

import threading

from kiosk.flows.base import StepKind
from tests.ui.fakes import FakeRuntime
from tests.ui.helpers import item, start_service, tap, texts, type_keys, wait_page, wait_step
from ui.catalog import catalog

CATALOG = catalog()  # the screens' texts and the core's (loaded by tests/ui/conftest.py)

ID_NUMBER = "11010519491231002X"


def zh(key: str, **values: object) -> str:
    return CATALOG[key]["zh"].format(**values)


def look(qtbot, window) -> None:
    """The citizen looks at the camera and does what is asked: the preview streams to the flow by itself."""
    qtbot.waitUntil(lambda: window.shell.view is not None and window.shell.view.step != StepKind.CAPTURE_FACE,
                    timeout=5000)  # fmt: skip


def finish(qtbot, window, runtime) -> None:
    tap(qtbot, window, "finishButton")
    qtbot.waitUntil(lambda: runtime.ended == ["finished"])
    wait_page(qtbot, window, "attract")


def test_temporary_id_by_number_face_and_phone_payment(qtbot, window, runtime):
    start_service(qtbot, window, "temp_id")
    wait_step(qtbot, window, StepKind.ENTER_ID_NUMBER)
    assert not item(window, "submitButton").isEnabled()
    type_keys(qtbot, window, ID_NUMBER)
    assert zh("id.ok") in texts(window)
    tap(qtbot, window, "submitButton")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE)
    look(qtbot, window)
    wait_step(qtbot, window, StepKind.CONFIRM)
    assert "¥10.00" in texts(window) and "张*" in texts(window)
    window.shell.pay_poll.setInterval(300)
    tap(qtbot, window, "confirmButton")
    wait_step(qtbot, window, StepKind.PAY)
    assert item(window, "qr").property("text").startswith("https://pay.example.cn/o/")
    wait_step(qtbot, window, StepKind.DONE, timeout=5000)  # the shell polls the payment by itself
    assert zh("done.take", items=zh("take.temp_id_card") + zh("take.last") + zh("take.receipt")) in texts(window)
    finish(qtbot, window, runtime)
    flow = runtime.flows[0]
    sent = [intent for index, intent in enumerate(flow.intents_sent()) if intent != flow.intents_sent()[index - 1]]
    assert sent == ["submit_id_number", "capture_face", "confirm", "check_payment", "finish"]
    assert flow.calls[0][1] == {"id_number": ID_NUMBER}
    frames = [payload for intent, payload in flow.calls if intent == "capture_face"]
    assert len(frames) == 6 and all(payload["frame"].shape == runtime.frame.shape for payload in frames)
    assert [payload["t"] for payload in frames] == sorted(payload["t"] for payload in frames)  # streamed in order


def test_certificate_by_card_purpose_and_free_confirmation(qtbot, window, runtime):
    start_service(qtbot, window, "certificate")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE)  # the card is read by itself, no touch needed
    look(qtbot, window)
    wait_step(qtbot, window, StepKind.CHOOSE_PURPOSE)
    assert "出国（境）" in texts(window)  # full-width brackets
    tap(qtbot, window, "purpose_就业")
    wait_step(qtbot, window, StepKind.CONFIRM)
    shown = texts(window)
    assert zh("confirm.free") in shown and zh("confirm.amount") not in shown  # 免费 alone, never 应缴金额 免费
    tap(qtbot, window, "confirmButton")
    wait_step(qtbot, window, StepKind.DONE, timeout=5000)
    assert zh("done.number", number="BJ-2024-000321") in texts(window)
    finish(qtbot, window, runtime)
    assert ("submit_purpose", {"purpose": "就业"}) in runtime.flows[0].calls


def test_traffic_by_plate_chooses_violations_and_pays(qtbot, window, runtime):
    runtime.flow_options["read_gate"] = threading.Event()  # no card on the reader: the plate is the way in
    start_service(qtbot, window, "traffic")
    wait_step(qtbot, window, StepKind.READ_CARD)
    tap(qtbot, window, "byPlateButton")
    wait_step(qtbot, window, StepKind.ENTER_PLATE)
    type_keys(qtbot, window, "京A12345A1B2C3")
    tap(qtbot, window, "submitButton")
    wait_step(qtbot, window, StepKind.SELECT_ITEMS)
    assert window.shell.selection.selected_ids() == ["v1", "v2"]  # the ineligible one is not offered
    tap(qtbot, window, "item_v2")  # the whole row is the target
    assert window.shell.selection.selected_ids() == ["v1"]
    assert zh("items.total", count=1, yuan="200.00", points=1) in texts(window)
    tap(qtbot, window, "item_v3")  # cannot be handled here: nothing changes
    assert window.shell.selection.selected_ids() == ["v1"]
    tap(qtbot, window, "submitButton")
    wait_step(qtbot, window, StepKind.CONFIRM)
    tap(qtbot, window, "confirmButton")
    wait_step(qtbot, window, StepKind.DONE, timeout=5000)
    finish(qtbot, window, runtime)
    calls = dict(runtime.flows[0].calls)
    assert calls["submit_plate"] == {"plate": "京A12345", "plate_type": "02", "vin6": "A1B2C3"}
    assert calls["select_items"] == {"ids": ["v1"]}


def test_typing_the_number_while_a_card_read_is_in_flight(qtbot, window, runtime):
    runtime.flow_options["read_gate"] = threading.Event()  # no card ever arrives
    start_service(qtbot, window, "certificate")
    wait_step(qtbot, window, StepKind.READ_CARD)
    qtbot.waitUntil(lambda: window.shell.controller.busy)  # a read is in flight: its own page stays usable
    tap(qtbot, window, "enterNumberButton")
    wait_step(qtbot, window, StepKind.ENTER_ID_NUMBER)
    type_keys(qtbot, window, "110105194912310021")  # wrong check digit
    assert zh("id.error.bad_check_digit") in texts(window)
    assert not item(window, "submitButton").isEnabled()
    type_keys(qtbot, window, "⌫X")
    tap(qtbot, window, "submitButton")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE)
    tap(qtbot, window, "homeButton")  # leave the visit: back to the home screen, wiped
    qtbot.waitUntil(lambda: runtime.ended == ["cancelled"])
    wait_page(qtbot, window, "home")
    sent = runtime.flows[0].intents_sent()
    assert sent[-1] == "cancel" and sent[sent.index("submit_id_number") + 1:-1] == ["capture_face"] * (len(sent) - sent.index("submit_id_number") - 2)


def test_back_goes_one_step_back_where_the_flow_offers_it(qtbot, window, runtime):
    start_service(qtbot, window, "certificate")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE)
    assert not item(window, "backButton").isVisible()  # the face step offers no way back
    look(qtbot, window)
    wait_step(qtbot, window, StepKind.CHOOSE_PURPOSE)
    tap(qtbot, window, "backButton")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE)
    assert "back" in runtime.flows[0].intents_sent()


def test_paid_then_working_shows_paid_and_the_time_left_at_once(qtbot, make_window):
    runtime, printed = FakeRuntime(), threading.Event()
    runtime.flow_options["progress_gate"] = printed  # the flow publishes "paid, printing" while it prints
    window = make_window(runtime)
    start_service(qtbot, window, "temp_id")
    wait_step(qtbot, window, StepKind.ENTER_ID_NUMBER)
    type_keys(qtbot, window, ID_NUMBER)
    tap(qtbot, window, "submitButton")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE)
    look(qtbot, window)
    wait_step(qtbot, window, StepKind.CONFIRM)
    tap(qtbot, window, "confirmButton")
    wait_step(qtbot, window, StepKind.WORKING)  # while check_payment is still in flight
    assert window.shell.controller.busy and not window.shell.get("inputBlocked")
    shown = texts(window)
    assert zh("working.paid", yuan="10.00") in shown and zh("working.eta", s=20) in shown
    assert not item(window, "homeButton").isVisible()  # paid: no leaving the visit
    printed.set()
    wait_step(qtbot, window, StepKind.DONE, timeout=5000)


def test_payment_is_polled_until_the_flow_moves_on(qtbot, window, runtime):
    runtime.flow_options["pay_polls"] = 3
    runtime.flow_options["read_gate"] = threading.Event()
    start_service(qtbot, window, "traffic")
    wait_step(qtbot, window, StepKind.READ_CARD)
    tap(qtbot, window, "byPlateButton")
    wait_step(qtbot, window, StepKind.ENTER_PLATE)
    type_keys(qtbot, window, "京A12345A1B2C3")
    tap(qtbot, window, "submitButton")
    wait_step(qtbot, window, StepKind.SELECT_ITEMS)
    tap(qtbot, window, "submitButton")
    wait_step(qtbot, window, StepKind.CONFIRM)
    window.shell.pay_poll.setInterval(300)
    tap(qtbot, window, "confirmButton")
    wait_step(qtbot, window, StepKind.PAY)
    assert not window.shell.idle.enabled  # the citizen is paying on the phone
    wait_step(qtbot, window, StepKind.DONE, timeout=5000)
    assert runtime.flows[0].intents_sent().count("check_payment") == 3


def test_failed_view_explains_and_can_retry(qtbot, window, runtime):
    runtime.flow_options["fail_at"] = StepKind.CAPTURE_FACE
    start_service(qtbot, window, "certificate")
    wait_step(qtbot, window, StepKind.FAILED)
    shown = texts(window)
    assert zh("error.face_no_match") in shown and zh("next.counter") in shown and "!" not in shown
    assert zh("failed.help", phone="010-12345678") in shown
    assert not item(window, "homeButton").isVisible()
    tap(qtbot, window, "retryButton")
    sent = runtime.flows[0].intents_sent
    qtbot.waitUntil(lambda: "retry" in sent() and "read_card" in sent()[sent().index("retry"):])
    wait_step(qtbot, window, StepKind.FAILED)  # the script fails again after the card read
    qtbot.waitUntil(lambda: not window.shell.controller.busy)
    finish(qtbot, window, runtime)
    assert "retry" in runtime.flows[0].intents_sent()


def test_a_crash_in_the_flow_becomes_a_failed_screen_without_retry(qtbot, window, runtime):
    runtime.flow_options["raise_on"] = "confirm"
    start_service(qtbot, window, "certificate")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE)
    look(qtbot, window)
    wait_step(qtbot, window, StepKind.CHOOSE_PURPOSE)
    tap(qtbot, window, "purpose_入学")
    wait_step(qtbot, window, StepKind.CONFIRM)
    tap(qtbot, window, "confirmButton")
    wait_step(qtbot, window, StepKind.FAILED)
    assert zh("error.internal") in texts(window)
    assert not item(window, "retryButton").isVisible()
    finish(qtbot, window, runtime)
    assert runtime.flows[0].aborted.is_set()  # a flow in an unknown state is aborted, not asked to finish


def test_a_flow_that_cannot_start_becomes_a_failed_screen(qtbot, window, runtime):
    runtime.broken_start = True
    start_service(qtbot, window, "certificate")
    wait_step(qtbot, window, StepKind.FAILED)
    finish(qtbot, window, runtime)


def test_a_refused_intent_says_why_and_keeps_the_screen(qtbot, window, runtime):
    runtime.flow_options["refuse_on"] = "submit_purpose"
    start_service(qtbot, window, "certificate")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE)
    look(qtbot, window)
    wait_step(qtbot, window, StepKind.CHOOSE_PURPOSE)
    tap(qtbot, window, "purpose_收养")
    qtbot.waitUntil(lambda: item(window, "banner").isVisible())
    assert zh("banner.refused", text=zh("error.bad_input")) in texts(window)
    assert window.shell.get("page") == "choose_purpose" and not window.shell.controller.busy


def test_unavailable_services_say_why_and_what_to_do_and_cannot_start(qtbot, make_window):
    runtime = FakeRuntime()  # traffic: backend down; endorsement: not offered here
    window = make_window(runtime)
    tap(qtbot, window, "attractTouch")
    wait_page(qtbot, window, "home")
    shown = texts(window)
    assert zh("reason.backend_down") in shown and zh("reason.not_offered") in shown
    assert shown.count(zh("tile.available")) == 2
    tap(qtbot, window, "tile_traffic")
    wait_page(qtbot, window, "guide")
    assert not item(window, "startButton").isEnabled()
    assert zh("tile.instead") in texts(window)
    tap(qtbot, window, "backButton")
    wait_page(qtbot, window, "home")
    assert runtime.flows == []


def test_the_please_wait_layer_blocks_header_and_footer_too(qtbot, window, runtime):
    gate = threading.Event()
    original = runtime.start_flow
    runtime.start_flow = lambda service: (gate.wait(5), original(service))[1]
    start_service(qtbot, window, "certificate")
    qtbot.waitUntil(lambda: window.shell.get("inputBlocked"))
    for name in ("helpButton", "backButton", "languageButton"):
        try:
            tap(qtbot, window, name)
        except AssertionError as covered:
            assert "covered by 'busyOverlay'" in str(covered)
        else:
            raise AssertionError(f"{name} could be touched while the kiosk was busy")
    qtbot.waitUntil(lambda: item(window, "busyOverlay").property("visible") and window.shell.get("busyVisible"))
    gate.set()
    wait_step(qtbot, window, StepKind.CAPTURE_FACE)  # the card was on the reader
    assert window.shell.get("helpState") == "" and window.shell.tr.language == "zh"


def test_endorsement_by_card_permit_number_reader_face_and_choice(qtbot, window, runtime):
    runtime.availability["endorsement"] = (True, None)
    runtime.flow_options["read_gate"] = threading.Event()  # the permit is put on the reader when the test says
    start_service(qtbot, window, "endorsement")
    wait_step(qtbot, window, StepKind.READ_CARD)
    runtime.flow_options["read_gate"].set()
    wait_step(qtbot, window, StepKind.ENTER_PERMIT_NUMBER, timeout=5000)
    assert window.item("key_1") is None and item(window, "key_C").isEnabled()  # a letter first
    type_keys(qtbot, window, "C12345678")
    assert zh("permit.ok") in texts(window)
    tap(qtbot, window, "submitButton")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE, timeout=5000)  # the permit was already on the reader
    assert zh("liveness.blink") in texts(window)  # the action to perform, drawn and said
    look(qtbot, window)
    wait_step(qtbot, window, StepKind.CHOOSE_ENDORSEMENT)
    assert zh("place.MO") in texts(window) and "¥30.00" in texts(window)
    tap(qtbot, window, "option_1")
    wait_step(qtbot, window, StepKind.CONFIRM)
    shown = texts(window)
    assert zh("place.HK") in shown and zh("value.with_unit", value="3", unit=zh("unit.months")) in shown
    tap(qtbot, window, "confirmButton")
    wait_step(qtbot, window, StepKind.DONE, timeout=5000)
    assert zh("done.take", items=zh("take.permit") + zh("take.last") + zh("take.receipt")) in texts(window)
    finish(qtbot, window, runtime)
    calls = dict(runtime.flows[0].calls)
    assert calls["submit_permit_number"] == {"permit_number": "C12345678"}
    assert calls["choose_endorsement"] == {"option_id": "1"}
