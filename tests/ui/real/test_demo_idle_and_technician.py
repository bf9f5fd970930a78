"""On the real runtime (sandbox on loopback, simulated devices, a temp home): a citizen who walks away is wiped
by the idle time-out, at the confirmation and at the payment (no value of theirs is left in any QML text), and
the technician screen reaches the runtime's own devices and audits to the kiosk's audit log."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt

from kiosk.audit import AuditLog
from kiosk.demo import DEMO_CITIZENS
from kiosk.flows.base import StepKind
from kiosk.journal.states import OrderState
from kiosk.technician.auth import TechnicianAuth
from server.sandbox.demo_data import ZHANG
from tests.ui.helpers import all_texts, start_service, tap, texts, type_keys, wait_page, wait_step
from ui.technician.devices_tab import COLUMNS

PIN = "135790"
PERSONAL_FIELDS = ("field.name", "field.id_number")


def reach_confirmation(qtbot, window, env) -> None:
    env.present_face(ZHANG)
    start_service(qtbot, window, "temp_id")
    wait_step(qtbot, window, StepKind.ENTER_ID_NUMBER)
    type_keys(qtbot, window, ZHANG)
    tap(qtbot, window, "submitButton")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE, timeout=8000)
    wait_step(qtbot, window, StepKind.CONFIRM, timeout=30000)  # liveness on the streamed preview, then the match


def personal_strings(window) -> list[str]:
    """What identifies the citizen: card data and every value the confirmation showed (masked or not)."""
    citizen = DEMO_CITIZENS[ZHANG]
    shown = [str(value) for key, value, *_unit in window.shell.view.data["fields"] if key in PERSONAL_FIELDS]
    return [ZHANG, ZHANG[:6] + " " + ZHANG[6:14], ZHANG[:6], citizen.name, citizen.address, *shown]


def expire_idle(qtbot, window) -> None:
    window.shell.idle.idle_ms, window.shell.idle.tick_ms = 40, 2  # the 20 s warning counts down in 40 ms
    window.shell.idle.touch()
    wait_page(qtbot, window, "attract", timeout=5000)


def assert_wiped(qtbot, window, env, personal: list[str]) -> None:
    qtbot.waitUntil(lambda: env.runtime.session.is_empty, timeout=5000)
    camera = window.shell.camera
    assert camera.frame is None and camera.image is None
    held = all_texts(window)
    squeezed = [text.replace(" ", "") for text in held]
    for value in personal:
        assert not any(value in text or value.replace(" ", "") in text for text in held + squeezed), value
    assert window.shell.id_entry.digits == "" and window.shell.view is None


def test_idle_at_the_confirmation_wipes_session_frames_and_screens(qtbot, window, env):
    reach_confirmation(qtbot, window, env)
    session = env.runtime.session
    flow = env.runtime.active_flow
    assert session.identity and flow is not None and flow._liveness is None  # the face step kept no frame
    personal = personal_strings(window)
    assert any(personal[-1] in text for text in texts(window))  # the walk does see what is on screen
    expire_idle(qtbot, window)
    assert_wiped(qtbot, window, env, personal)


def test_walking_away_at_the_payment_cancels_the_order_then_idle_wipes(qtbot, window, env):
    reach_confirmation(qtbot, window, env)
    personal = personal_strings(window)
    tap(qtbot, window, "confirmButton")
    wait_step(qtbot, window, StepKind.PAY, timeout=8000)
    assert not window.shell.idle.enabled  # the citizen may be paying on the phone
    [order] = env.runtime.journal.recent_orders()
    assert order.state is OrderState.PAYMENT_PENDING
    env.runtime.context.clock = lambda: time.monotonic() + 3600  # the payment's time runs out
    wait_step(qtbot, window, StepKind.FAILED, timeout=8000)  # the pay screen's next poll cancels it
    [order] = env.runtime.journal.recent_orders()
    assert order.state is OrderState.CANCELLED
    assert window.shell.idle.enabled
    expire_idle(qtbot, window)
    assert_wiped(qtbot, window, env, personal)


def test_the_technician_screen_works_on_the_runtime_devices_and_audits(qtbot, window, env):
    with AuditLog.for_home(env.home) as audit:
        TechnicianAuth(env.home, audit, scrypt_n=2**10).set_pin(PIN, actor="cli:test")
    for _ in range(5):
        tap(qtbot, window, "clock")
    screen = window.technician
    assert screen.isVisible()
    for key in PIN:
        qtbot.mouseClick(screen.pin_pad.keys[key], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.pin_pad.ok, Qt.MouseButton.LeftButton)
    table = screen.devices_tab.table
    names = set(env.runtime.config.devices)
    qtbot.waitUntil(lambda: screen.logged_in and table.rowCount() == len(names), timeout=8000)
    state = COLUMNS.index("状态 State")
    states = {table.item(row, 0).text(): table.item(row, state).text() for row in range(len(names))}
    assert set(states) == names and {states[n] for n in ("idcard", "receipt", "a4", "card", "camera")} == {"online"}
    service = env.runtime.technician_service()
    assert service._slot("card").device is env.runtime.devices["card_printer"]  # the same open port
    with qtbot.waitSignal(screen.closed, timeout=5000):
        qtbot.mouseClick(screen.logout_button, Qt.MouseButton.LeftButton)
    wait_page(qtbot, window, "attract")
    screen.wait_idle()
    actions = [entry.action for entry in service.audit.entries()]
    assert {"technician.login", "technician.logout"} <= set(actions)
