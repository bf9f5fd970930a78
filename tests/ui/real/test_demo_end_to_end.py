"""The real thing by touch: the QML kiosk window on the real runtime, a sandbox backend on loopback and every
device simulated, driven as a citizen would (touches on the QML items), with the simulator actions of the
demo's control window playing the card, the face and the phone."""

from __future__ import annotations

from kiosk.flows.base import StepKind
from kiosk.journal.states import OrderState
from server.sandbox.demo_data import ZHANG
from tests.ui.helpers import item, start_service, tap, texts, type_keys, wait_page, wait_step
from ui.catalog import CATALOG


def zh(key: str, **values: object) -> str:
    return CATALOG[key]["zh"].format(**values)


def photo(qtbot, window) -> None:
    camera = window.shell.camera
    camera.auto_capture = False
    qtbot.waitUntil(lambda: camera.get("hasFrame") and camera.get("canCapture"), timeout=5000)
    tap(qtbot, window, "captureButton")


def finish(qtbot, window, env) -> None:
    tap(qtbot, window, "finishButton")
    wait_page(qtbot, window, "attract")
    qtbot.waitUntil(lambda: env.runtime.session.is_empty)  # the core wipes in a worker


def test_certificate_by_card_and_face_prints_on_a4(qtbot, window, env):
    env.place_card(ZHANG)
    env.present_face(ZHANG)
    start_service(qtbot, window, "certificate")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE, timeout=8000)  # the card is read by itself
    photo(qtbot, window)
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
    photo(qtbot, window)
    wait_step(qtbot, window, StepKind.CONFIRM, timeout=8000)
    assert "¥10.00" in texts(window)
    tap(qtbot, window, "confirmButton")
    wait_step(qtbot, window, StepKind.PAY, timeout=8000)
    assert item(window, "qr").property("text")
    assert env.settle_payment("pay").endswith("paid")
    wait_step(qtbot, window, StepKind.DONE, timeout=15000)  # the shell polls the payment by itself
    assert len(env.card_printer_sim().printed) == 1
    assert any("10.00" in line for line in env.receipt_sim().receipts[-1].text_lines())
    assert zh("done.take", items=zh("take.card") + zh("take.last") + zh("take.receipt")) in texts(window)
    finish(qtbot, window, env)


def test_the_face_step_guides_a_citizen_in_the_dark(qtbot, window, env):
    env.camera_scenario("too_dark")
    start_service(qtbot, window, "temp_id")
    wait_step(qtbot, window, StepKind.ENTER_ID_NUMBER)
    type_keys(qtbot, window, ZHANG)
    tap(qtbot, window, "submitButton")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE, timeout=8000)
    photo(qtbot, window)
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
    assert shown.count(zh("reason.backend_down")) == 3 and zh("tile.available") not in shown
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
    photo(qtbot, window)
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
