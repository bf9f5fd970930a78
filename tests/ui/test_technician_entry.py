"""The way to the technician screen from the citizen screens: five taps on the clock, its own window over the
kiosk with its PIN pad, back to service and exit app (both audited), a citizen's visit ended first, an
abandoned login timed out."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.config import TechnicianConfig
from kiosk.flows.base import StepKind
from tests.ui.fakes import TECHNICIAN_PIN, FakeRuntime
from tests.ui.helpers import start_service, tap, wait_page, wait_step
from ui.shell import TECH_TAPS
from ui.technician import TechnicianScreen


def tap_clock(qtbot, window, times: int = TECH_TAPS) -> None:
    for _ in range(times):
        tap(qtbot, window, "clock")


def enter_pin(qtbot, screen: TechnicianScreen, pin: str) -> None:
    for key in pin:
        qtbot.mouseClick(screen.pin_pad.keys[key], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.pin_pad.ok, Qt.MouseButton.LeftButton)


def login(qtbot, window) -> TechnicianScreen:
    tap_clock(qtbot, window)
    screen = window.technician
    assert screen is not None and screen.isVisible()
    enter_pin(qtbot, screen, TECHNICIAN_PIN)
    qtbot.waitUntil(lambda: screen.logged_in, timeout=5000)
    return screen


def test_four_taps_do_nothing_five_show_the_login_over_the_kiosk(qtbot, window):
    tap_clock(qtbot, window, TECH_TAPS - 1)
    assert window.technician is None
    tap_clock(qtbot, window, 1)
    screen = window.technician
    assert screen.isVisible() and screen.isWindow() and not screen.logged_in
    assert screen.geometry() == window.quick.geometry()  # exactly over the citizen screen
    assert screen.pin_pad.isVisible()


def test_a_wrong_pin_is_refused_and_audited_then_the_right_one_logs_in(qtbot, window, runtime):
    tap_clock(qtbot, window)
    screen = window.technician
    enter_pin(qtbot, screen, "999999")
    qtbot.waitUntil(lambda: "(1 failed)" in screen.pin_pad.message.text(), timeout=5000)
    assert not screen.logged_in
    enter_pin(qtbot, screen, TECHNICIAN_PIN)
    qtbot.waitUntil(lambda: screen.logged_in, timeout=5000)
    logins = [entry[3]["result"] for entry in runtime.technician_audit.entries if entry[1] == "technician.login"]
    assert logins == ["wrong", "ok"]
    assert not window.shell.idle.enabled  # the technician session has its own automatic logout


def test_back_to_service_logs_out_and_returns_to_the_attract_screen(qtbot, window, runtime):
    screen = login(qtbot, window)
    with qtbot.waitSignal(screen.closed, timeout=3000):
        qtbot.mouseClick(screen.logout_button, Qt.MouseButton.LeftButton)
    assert not screen.isVisible()
    wait_page(qtbot, window, "attract")
    qtbot.waitUntil(lambda: "technician.logout" in runtime.technician_audit.actions(), timeout=3000)
    tap_clock(qtbot, window)  # the next technician must log in again
    assert screen.isVisible() and not screen.logged_in


def test_exit_app_where_allowed_is_audited_before_the_application_quits(qtbot, make_window, tmp_path, monkeypatch):
    runtime = FakeRuntime(technician_home=tmp_path / "technician-home")
    runtime.config = runtime.config.model_copy(update={"technician": TechnicianConfig(allow_exit_app=True)})
    window = make_window(runtime)
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", lambda *_: quits.append(True))
    screen = login(qtbot, window)
    with qtbot.waitSignal(screen.exit_requested, timeout=3000):
        qtbot.mouseClick(screen.exit_button, Qt.MouseButton.LeftButton)
    assert quits == [True] and window._exit_allowed
    actions = runtime.technician_audit.actions()
    assert actions.index("technician.exit_app") < actions.index("technician.logout")


def test_the_gesture_mid_visit_ends_and_wipes_the_citizen_session(qtbot, window, runtime):
    start_service(qtbot, window, "temp_id")
    wait_step(qtbot, window, StepKind.ENTER_ID_NUMBER)
    tap(qtbot, window, "key_1")
    tap_clock(qtbot, window)
    assert window.technician.isVisible() and window.shell.controller.flow is None
    qtbot.waitUntil(lambda: runtime.ended == ["cancelled"], timeout=3000)
    assert window.shell.id_entry.digits == "" and window.shell.get("page") == "attract"


def test_an_abandoned_login_times_out_to_the_attract_screen(qtbot, window, runtime):
    tap_clock(qtbot, window)
    screen = window.technician
    qtbot.mouseClick(screen.pin_pad.keys["1"], Qt.MouseButton.LeftButton)
    assert window.shell.idle.enabled
    window.shell.idle.idle_ms, window.shell.idle.tick_ms = 30, 5
    window.shell.idle.touch()
    qtbot.waitUntil(lambda: not screen.isVisible(), timeout=3000)
    assert screen.pin_pad.pin.text() == ""  # no typed digit waits for the next person
    assert window.shell.get("page") == "attract"
