"""The way to the technician screen from the kiosk window: the corner gesture, its own PIN pad, back to
service and exit app (both audited), a citizen's session ended first, an abandoned login timed out."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.flows.base import StepKind
from tests.ui.fakes import TECHNICIAN_PIN
from tests.ui.helpers import click, start_service, wait_step
from ui.frame import TECH_TAPS
from ui.technician import TechnicianScreen


def tap_corner(qtbot, window, times: int = TECH_TAPS) -> None:
    for _ in range(times):
        qtbot.mouseClick(window.header.corner, Qt.MouseButton.LeftButton)


def enter_pin(qtbot, screen: TechnicianScreen, pin: str) -> None:
    for key in pin:
        click(qtbot, screen.pin_pad.keys[key])
    click(qtbot, screen.pin_pad.ok)


def login(qtbot, window) -> TechnicianScreen:
    tap_corner(qtbot, window)
    screen = window.technician
    assert screen is not None and window.stack.currentWidget() is screen
    enter_pin(qtbot, screen, TECHNICIAN_PIN)
    qtbot.waitUntil(lambda: screen.logged_in, timeout=5000)
    return screen


def test_four_taps_do_nothing_five_show_the_technician_login(qtbot, window):
    tap_corner(qtbot, window, TECH_TAPS - 1)
    assert window.technician is None and window.stack.currentWidget() is window.attract
    tap_corner(qtbot, window, 1)
    screen = window.technician
    assert window.stack.currentWidget() is screen and not screen.logged_in
    assert screen.pin_pad.isVisible() and not window.footer.isVisible() and not window.prompt.isVisible()


def test_a_wrong_pin_is_refused_and_audited_then_the_right_one_logs_in(qtbot, window, runtime):
    tap_corner(qtbot, window)
    screen = window.technician
    enter_pin(qtbot, screen, "999999")
    qtbot.waitUntil(lambda: "(1 failed)" in screen.pin_pad.message.text(), timeout=5000)
    assert not screen.logged_in
    enter_pin(qtbot, screen, TECHNICIAN_PIN)
    qtbot.waitUntil(lambda: screen.logged_in, timeout=5000)
    logins = [entry[3]["result"] for entry in runtime.technician_audit.entries if entry[1] == "technician.login"]
    assert logins == ["wrong", "ok"]
    assert not window.idle.enabled  # the technician session has its own automatic logout


def test_back_to_service_logs_out_and_returns_to_the_attract_screen(qtbot, window, runtime):
    screen = login(qtbot, window)
    with qtbot.waitSignal(screen.closed, timeout=3000):
        click(qtbot, screen.logout_button)
    assert window.stack.currentWidget() is window.attract
    qtbot.waitUntil(lambda: "technician.logout" in runtime.technician_audit.actions(), timeout=3000)
    tap_corner(qtbot, window)  # the next technician must log in again
    assert window.stack.currentWidget() is screen and not screen.logged_in


def test_exit_app_is_audited_before_the_application_quits(qtbot, window, runtime, monkeypatch):
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", lambda *_: quits.append(True))
    screen = login(qtbot, window)
    with qtbot.waitSignal(screen.exit_requested, timeout=3000):
        click(qtbot, screen.exit_button)
    assert quits == [True] and window._exit_allowed
    actions = runtime.technician_audit.actions()
    assert actions.index("technician.exit_app") < actions.index("technician.logout")


def test_the_gesture_mid_flow_ends_and_wipes_the_citizen_session(qtbot, window, runtime):
    start_service(qtbot, window, "certificate")
    wait_step(qtbot, window, StepKind.READ_CARD)
    click(qtbot, window.steps[StepKind.READ_CARD].enter_number)
    wait_step(qtbot, window, StepKind.ENTER_ID_NUMBER)
    tap_corner(qtbot, window)
    assert window.stack.currentWidget() is window.technician
    assert window.controller.flow is None
    qtbot.waitUntil(lambda: runtime.ended == ["cancelled"], timeout=3000)
    assert runtime.flows[0].aborted.is_set() or runtime.flows[0].intents_sent()[-1] == "cancel"


def test_an_abandoned_login_times_out_to_the_attract_screen(qtbot, window, runtime):
    window.idle.idle_ms, window.idle.tick_ms = 30, 5
    tap_corner(qtbot, window)
    screen = window.technician
    click(qtbot, screen.pin_pad.keys["1"])
    assert window.idle.enabled
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.attract, timeout=3000)
    assert screen.pin_pad.pin.text() == ""  # no typed digit waits for the next person
