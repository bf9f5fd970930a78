"""The real thing by touch: the QML kiosk window on the real runtime, a sandbox backend on loopback and every
device simulated, driven as a citizen would (touches on the QML items), with the simulator actions of the
demo's control window playing the card, the face and the phone."""

from __future__ import annotations

from kiosk.flows.base import StepKind
from kiosk.journal.states import OrderState
from server.sandbox.demo_data import ZHANG
from tests.ui.helpers import item, start_service, tap, texts, type_keys, wait_page, wait_step
from ui.catalog import catalog

CATALOG = catalog()  # the screens' texts and the core's (loaded by tests/ui/conftest.py)


def zh(key: str, **values: object) -> str:
    return CATALOG[key]["zh"].format(**values)


def look(qtbot, window) -> None:
    """The citizen stands before the camera and does what the screen asks (the demo's person blinks and turns):
    the preview streams to the liveness check, then the comparison; the step moves on by itself."""
    qtbot.waitUntil(lambda: window.shell.view is not None and window.shell.view.step != StepKind.CAPTURE_FACE,
                    timeout=30000)  # fmt: skip
    assert window.shell.camera.streamed > 0


def finish(qtbot, window, env) -> None:
    tap(qtbot, window, "finishButton")
    wait_page(qtbot, window, "attract")
    qtbot.waitUntil(lambda: env.runtime.session.is_empty)  # the core wipes in a worker


def test_certificate_by_card_and_face_prints_on_a4(qtbot, window, env):
    env.place_card(ZHANG)
    env.present_face(ZHANG)
    start_service(qtbot, window, "certificate")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE, timeout=8000)  # the card is read by itself
    look(qtbot, window)
    wait_step(qtbot, window, StepKind.CHOOSE_PURPOSE, timeout=8000)
    tap(qtbot, window, "purpose_就业")
    wait_step(qtbot, window, StepKind.CONFIRM)
    assert zh("confirm.free") in texts(window) and zh("confirm.amount") not in texts(window)
    tap(qtbot, window, "confirmButton")
    wait_step(qtbot, window, StepKind.DONE, timeout=10000)
    assert len(env.a4_spool().jobs) == 1
    [order] = env.runtime.journal.recent_orders()
    assert order.state is OrderState.DONE
    assert zh("done.number", number=order.document_number) in texts(window)
    assert zh("done.take", items=zh("take.certificate")) in texts(window)
    finish(qtbot, window, env)


def test_temporary_id_typed_number_face_and_phone_payment(qtbot, window, env):
    env.present_face(ZHANG)
    start_service(qtbot, window, "temp_id")
    wait_step(qtbot, window, StepKind.ENTER_ID_NUMBER)
    type_keys(qtbot, window, ZHANG)
    tap(qtbot, window, "submitButton")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE, timeout=8000)
    look(qtbot, window)
    wait_step(qtbot, window, StepKind.CONFIRM, timeout=8000)
    assert "¥10.00" in texts(window)
    tap(qtbot, window, "confirmButton")
    wait_step(qtbot, window, StepKind.PAY, timeout=8000)
    assert item(window, "qr").property("text")
    assert env.settle_payment("pay").endswith("paid")
    wait_step(qtbot, window, StepKind.DONE, timeout=15000)  # the shell polls the payment by itself
    assert len(env.card_printer_sim().printed) == 1
    assert any("10.00" in line for line in env.receipt_sim().receipts[-1].text_lines())
    assert zh("done.take", items=zh("take.temp_id_card") + zh("take.last") + zh("take.receipt")) in texts(window)
    finish(qtbot, window, env)


def test_the_face_step_guides_a_citizen_in_the_dark(qtbot, window, env):
    env.camera_scenario("too_dark")
    start_service(qtbot, window, "temp_id")
    wait_step(qtbot, window, StepKind.ENTER_ID_NUMBER)
    type_keys(qtbot, window, ZHANG)
    tap(qtbot, window, "submitButton")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE, timeout=8000)
    qtbot.waitUntil(lambda: (window.shell.view.data.get("guidance_key") or "") == "guidance.too_dark", timeout=8000)
    assert zh("guidance.too_dark") == "光线太暗，请到亮处或靠近屏幕" and zh("guidance.too_dark") in texts(window)
    tap(qtbot, window, "homeButton")
    wait_page(qtbot, window, "home")
    qtbot.waitUntil(lambda: env.runtime.session.is_empty)


def test_backend_down_shows_every_service_unavailable_with_the_reason(qtbot, window, env):
    env.set_backend_down(True)
    tap(qtbot, window, "attractTouch")
    wait_page(qtbot, window, "home")
    shown = texts(window)
    assert shown.count(zh("reason.backend_down")) == 4 and zh("tile.available") not in shown  # all four services
    tap(qtbot, window, "tile_certificate")
    wait_page(qtbot, window, "guide")
    assert not item(window, "startButton").isEnabled()
    env.set_backend_down(False)
    qtbot.waitUntil(lambda: item(window, "startButton").isEnabled(), timeout=5000)  # the guide follows the core


def test_card_printer_out_of_cards_closes_only_the_temporary_id(qtbot, window, env):
    env.card_printer_sim().empty_hopper()
    env.runtime.devices["card_printer"].refresh_status()
    tap(qtbot, window, "attractTouch")
    wait_page(qtbot, window, "home")
    availability = {tile["name"]: tile["available"] for tile in window.shell.get("services")}
    assert availability["temp_id"] is False and availability["certificate"] and availability["traffic"]
    assert zh("reason.device.card_printer") in texts(window)


def test_traffic_by_licence_card_handles_and_pays_every_eligible_fine(qtbot, window, env):
    env.place_card(ZHANG)
    env.present_face(ZHANG)
    start_service(qtbot, window, "traffic")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE, timeout=8000)
    look(qtbot, window)
    wait_step(qtbot, window, StepKind.SELECT_ITEMS, timeout=8000)
    assert sorted(window.shell.selection.selected_ids()) == ["V0001", "V0005", "V0007"]  # eligible, preselected
    tap(qtbot, window, "submitButton")
    wait_step(qtbot, window, StepKind.CONFIRM, timeout=8000)
    assert "¥775.00" in texts(window)  # 200 + (100 + 75 late) + (200 + 200 late)
    tap(qtbot, window, "confirmButton")
    wait_step(qtbot, window, StepKind.PAY, timeout=8000)
    env.settle_payment("pay")
    wait_step(qtbot, window, StepKind.DONE, timeout=15000)
    assert len(env.receipt_sim().receipts) == 3  # one decision summary per violation
    finish(qtbot, window, env)


def test_traffic_by_plate_pays_a_decided_fine_without_the_card(qtbot, window, env):
    # Touched before the first card read starts: after a read finds no card, the core's read view drops
    # lookup_by_plate (kiosk/flows/common.py on_read_card), so a touch queued behind the read is refused.
    window.shell.read_again.setInterval(3000)
    start_service(qtbot, window, "traffic")
    wait_step(qtbot, window, StepKind.READ_CARD)
    tap(qtbot, window, "byPlateButton")
    wait_step(qtbot, window, StepKind.ENTER_PLATE, timeout=8000)
    type_keys(qtbot, window, "京A12345123456")  # the plate, then the last 6 of the VIN
    tap(qtbot, window, "submitButton")
    wait_step(qtbot, window, StepKind.SELECT_ITEMS, timeout=8000)
    assert window.shell.selection.selected_ids() == ["V0005"]  # decided and unpaid; V0001 needs the driver
    assert zh("reason.traffic.needs_driver") in texts(window)
    tap(qtbot, window, "submitButton")
    wait_step(qtbot, window, StepKind.CONFIRM, timeout=8000)
    tap(qtbot, window, "confirmButton")
    wait_step(qtbot, window, StepKind.PAY, timeout=8000)
    env.settle_payment("pay")
    wait_step(qtbot, window, StepKind.DONE, timeout=15000)
    assert len(env.receipt_sim().receipts) == 1
    finish(qtbot, window, env)


def test_endorsement_by_card_permit_chip_face_choice_and_payment(qtbot, window, env):
    tap(qtbot, window, "attractTouch")
    wait_page(qtbot, window, "home")
    available = {tile["name"]: tile["available"] for tile in window.shell.get("services")}
    assert available["endorsement"], "the simulated permit reader (pcscd with vsmartcard) is not up"
    env.place_card(ZHANG)
    env.present_face(ZHANG)
    start_service(qtbot, window, "endorsement")
    wait_step(qtbot, window, StepKind.ENTER_PERMIT_NUMBER, timeout=8000)  # the ID card was read by itself
    type_keys(qtbot, window, "C60123458")  # 张伟明's permit, as printed on it
    tap(qtbot, window, "submitButton")
    wait_step(qtbot, window, StepKind.READ_PERMIT, timeout=8000)
    env.present_permit(ZHANG)
    wait_step(qtbot, window, StepKind.CAPTURE_FACE, timeout=15000)  # the chip was opened with the number
    look(qtbot, window)
    wait_step(qtbot, window, StepKind.CHOOSE_ENDORSEMENT, timeout=8000)
    options = window.shell.view.data["options"]
    assert options and zh("place." + options[0]["destination"]) in texts(window)
    tap(qtbot, window, f"option_{options[0]['id']}")
    wait_step(qtbot, window, StepKind.CONFIRM, timeout=8000)
    tap(qtbot, window, "confirmButton")
    wait_step(qtbot, window, StepKind.PAY, timeout=8000)
    env.settle_payment("pay")
    wait_step(qtbot, window, StepKind.DONE, timeout=40000)  # the chip written and the back printed
    assert any(zh("take.permit") in text and text.startswith("请取走") for text in texts(window))
    [order] = env.runtime.journal.recent_orders()
    assert order.state is OrderState.DONE and zh("done.number", number=order.document_number) in texts(window)
    finish(qtbot, window, env)
