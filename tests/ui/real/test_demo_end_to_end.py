"""The real thing by touch: the kiosk window on the real runtime, a sandbox backend on loopback and every
device simulated, driven as a citizen would with the simulator control actions of the demo."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kiosk.flows.base import StepKind
from kiosk.journal.states import OrderState
from server.sandbox.demo_data import ZHANG
from tests.ui.helpers import click, start_service, wait_step
from ui.texts import CATALOG


def zh(key: str) -> str:
    return CATALOG[key]["zh"]




def capture_face(qtbot, window) -> None:
    """The citizen stands before the camera and does what the screen asks (the demo's person blinks and turns):
    the preview streams to the liveness check, then the comparison; the step moves on by itself."""
    qtbot.waitUntil(lambda: window.shown_view is not None and window.shown_view.step != StepKind.CAPTURE_FACE,
                    timeout=30000)  # fmt: skip


def test_certificate_by_card_and_face_prints_on_a4(qtbot, window, env):
    env.place_card(ZHANG)
    env.present_face(ZHANG)
    start_service(qtbot, window, "certificate")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE, timeout=8000)  # the card is read by itself
    capture_face(qtbot, window)
    wait_step(qtbot, window, StepKind.CHOOSE_PURPOSE, timeout=8000)
    click(qtbot, window.steps[StepKind.CHOOSE_PURPOSE].buttons["就业"])
    wait_step(qtbot, window, StepKind.CONFIRM)
    click(qtbot, window.steps[StepKind.CONFIRM].confirm)
    wait_step(qtbot, window, StepKind.DONE, timeout=10000)
    assert len(env.a4_spool().jobs) == 1
    [order] = env.runtime.journal.recent_orders()
    assert order.state is OrderState.DONE and order.document_number in window.steps[StepKind.DONE].number.text()
    click(qtbot, window.steps[StepKind.DONE].finish)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.attract)
    qtbot.waitUntil(lambda: env.runtime.session.is_empty)  # the core wipes in a worker


def test_temporary_id_typed_number_face_and_phone_payment(qtbot, window, env):
    env.present_face(ZHANG)
    start_service(qtbot, window, "temp_id")
    wait_step(qtbot, window, StepKind.ENTER_ID_NUMBER)
    screen = window.steps[StepKind.ENTER_ID_NUMBER]
    for key in ZHANG:
        click(qtbot, screen.keypad.keys[key])
    click(qtbot, screen.submit)
    wait_step(qtbot, window, StepKind.CAPTURE_FACE, timeout=8000)
    capture_face(qtbot, window)
    wait_step(qtbot, window, StepKind.CONFIRM, timeout=8000)
    assert window.steps[StepKind.CONFIRM].amount.text() == "¥10.00"
    click(qtbot, window.steps[StepKind.CONFIRM].confirm)
    wait_step(qtbot, window, StepKind.PAY, timeout=8000)
    assert env.settle_payment("pay").endswith("paid")
    wait_step(qtbot, window, StepKind.DONE, timeout=15000)  # the screen polls the payment by itself
    assert len(env.card_printer_sim().printed) == 1
    assert any("10.00" in line for line in env.receipt_sim().receipts[-1].text_lines())


def test_backend_down_shows_every_service_unavailable_with_the_reason(qtbot, window, env):
    env.set_backend_down(True)
    qtbot.mouseClick(window.attract, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.home
    for service in ("temp_id", "certificate", "traffic"):
        tile = window.home.tiles[service]
        assert not tile.isEnabled()
        assert tile.status.text() == zh("reason.backend_down")
    env.set_backend_down(False)
    window.home.refresh()
    assert window.home.tiles["certificate"].isEnabled()


def test_card_printer_out_of_cards_closes_only_the_temporary_id(qtbot, window, env):
    env.card_printer_sim().empty_hopper()
    env.runtime.devices["card_printer"].refresh_status()
    qtbot.mouseClick(window.attract, Qt.MouseButton.LeftButton)
    assert not window.home.tiles["temp_id"].isEnabled()
    assert window.home.tiles["certificate"].isEnabled() and window.home.tiles["traffic"].isEnabled()


def test_traffic_by_licence_card_handles_and_pays_every_eligible_fine(qtbot, window, env):
    env.place_card(ZHANG)
    env.present_face(ZHANG)
    start_service(qtbot, window, "traffic")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE, timeout=8000)
    capture_face(qtbot, window)
    wait_step(qtbot, window, StepKind.SELECT_ITEMS, timeout=8000)
    items = window.steps[StepKind.SELECT_ITEMS]
    assert sorted(items.selected_ids()) == ["V0001", "V0005", "V0007"]  # the eligible ones, preselected
    click(qtbot, items.submit)
    wait_step(qtbot, window, StepKind.CONFIRM, timeout=8000)
    assert window.steps[StepKind.CONFIRM].amount.text() == "¥775.00"  # 200 + (100 + 75 late) + (200 + 200 late)
    click(qtbot, window.steps[StepKind.CONFIRM].confirm)
    wait_step(qtbot, window, StepKind.PAY, timeout=8000)
    env.settle_payment("pay")
    wait_step(qtbot, window, StepKind.DONE, timeout=15000)
    assert len(env.receipt_sim().receipts) == 3  # one decision summary per violation


def test_traffic_by_plate_pays_a_decided_fine_without_the_card(qtbot, window, env):
    start_service(qtbot, window, "traffic")
    wait_step(qtbot, window, StepKind.READ_CARD)
    click(qtbot, window.steps[StepKind.READ_CARD].by_plate)
    wait_step(qtbot, window, StepKind.ENTER_PLATE, timeout=8000)
    plate = window.steps[StepKind.ENTER_PLATE]
    for char in "京A12345123456":  # plate, then the last 6 of the VIN
        click(qtbot, plate.keyboard.keys[char])
    click(qtbot, plate.submit)
    wait_step(qtbot, window, StepKind.SELECT_ITEMS, timeout=8000)
    items = window.steps[StepKind.SELECT_ITEMS]
    assert items.selected_ids() == ["V0005"]  # decided and unpaid; handling V0001 needs the driver
    click(qtbot, items.submit)
    wait_step(qtbot, window, StepKind.CONFIRM, timeout=8000)
    click(qtbot, window.steps[StepKind.CONFIRM].confirm)
    wait_step(qtbot, window, StepKind.PAY, timeout=8000)
    env.settle_payment("pay")
    wait_step(qtbot, window, StepKind.DONE, timeout=15000)
    assert len(env.receipt_sim().receipts) == 1
