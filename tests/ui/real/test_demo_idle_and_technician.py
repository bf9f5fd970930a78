"""On the real runtime (sandbox on loopback, simulated devices, a temp home): a citizen who walks away is
wiped by the idle time-out, at the confirmation and at the payment, and the technician screen reaches the
runtime's own devices and audits to the kiosk's audit log."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTableWidget

from kiosk.audit import AuditLog
from kiosk.demo import DEMO_CITIZENS
from kiosk.flows.base import StepKind
from kiosk.journal.states import OrderState
from kiosk.technician.auth import TechnicianAuth
from server.sandbox.demo_data import ZHANG
from tests.ui.helpers import click, start_service, wait_step
from ui.technician.devices_tab import COLUMNS

PIN = "135790"
PERSONAL_FIELDS = ("field.name", "field.id_number")




def reach_confirmation(qtbot, window, env) -> None:
    env.present_face(ZHANG)
    start_service(qtbot, window, "temp_id")
    wait_step(qtbot, window, StepKind.ENTER_ID_NUMBER)
    screen = window.steps[StepKind.ENTER_ID_NUMBER]
    for key in ZHANG:
        click(qtbot, screen.keypad.keys[key])
    click(qtbot, screen.submit)
    wait_step(qtbot, window, StepKind.CAPTURE_FACE, timeout=8000)
    wait_step(qtbot, window, StepKind.CONFIRM, timeout=30000)  # liveness on the streamed preview, then the match


def personal_strings(window) -> list[str]:
    """What identifies the citizen: card data and every value the confirmation showed (masked or not)."""
    citizen = DEMO_CITIZENS[ZHANG]
    shown = [str(value) for key, value, *_unit in window.shown_view.data["fields"] if key in PERSONAL_FIELDS]
    return [ZHANG, ZHANG[:6] + " " + ZHANG[6:14], citizen.name, citizen.address, *shown]


def widget_texts() -> list[str]:
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # rows of the last view, let go
    texts: list[str] = []
    for widget in QApplication.allWidgets():
        for getter in ("text", "toolTip", "placeholderText", "windowTitle", "accessibleName"):
            value = getattr(widget, getter, None)
            if callable(value):
                try:
                    texts.append(str(value()))
                except TypeError:  # text() with a required argument (e.g. QTabBar.tabText style)
                    continue
        if isinstance(widget, QPlainTextEdit):
            texts.append(widget.toPlainText())
        if isinstance(widget, QTableWidget):
            texts += [widget.item(r, c).text() for r in range(widget.rowCount()) for c in range(widget.columnCount())
                      if widget.item(r, c) is not None]  # fmt: skip
    return texts


def expire_idle(qtbot, window) -> None:
    window.idle.idle_ms, window.idle.tick_ms = 40, 2  # the 20 s warning counts down in 40 ms
    window.idle.touch()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.attract, timeout=5000)


def assert_wiped(qtbot, window, env, personal: list[str]) -> None:
    qtbot.waitUntil(lambda: env.runtime.session.is_empty, timeout=5000)
    assert window.steps[StepKind.CAPTURE_FACE]._frame is None
    texts = widget_texts()
    squeezed = [text.replace(" ", "") for text in texts]
    for value in personal:
        assert not any(value in text or value.replace(" ", "") in text for text in squeezed + texts), value


def test_idle_at_the_confirmation_wipes_session_frames_and_screens(qtbot, window, env):
    reach_confirmation(qtbot, window, env)
    session = env.runtime.session
    flow = env.runtime.active_flow
    assert session.identity and flow is not None and flow._liveness is None  # the face step kept no frame
    personal = personal_strings(window)
    assert any(personal[-1] in text for text in widget_texts())  # the walk does see what is on screen
    expire_idle(qtbot, window)
    assert_wiped(qtbot, window, env, personal)


def test_walking_away_at_the_payment_cancels_the_order_then_idle_wipes(qtbot, window, env):
    reach_confirmation(qtbot, window, env)
    personal = personal_strings(window)
    click(qtbot, window.steps[StepKind.CONFIRM].confirm)
    wait_step(qtbot, window, StepKind.PAY, timeout=8000)
    assert not window.idle.enabled  # the citizen may be paying on the phone
    [order] = env.runtime.journal.recent_orders()
    assert order.state is OrderState.PAYMENT_PENDING
    env.runtime.context.clock = lambda: time.monotonic() + 3600  # the payment's time runs out
    wait_step(qtbot, window, StepKind.FAILED, timeout=8000)  # the pay screen's next poll cancels it
    [order] = env.runtime.journal.recent_orders()
    assert order.state is OrderState.CANCELLED
    assert window.idle.enabled
    expire_idle(qtbot, window)
    assert_wiped(qtbot, window, env, personal)


def test_the_technician_screen_works_on_the_runtime_devices_and_audits(qtbot, window, env):
    with AuditLog.for_home(env.home) as audit:
        TechnicianAuth(env.home, audit, scrypt_n=2**10).set_pin(PIN, actor="cli:test")
    for _ in range(5):
        click(qtbot, window.header.corner)
    screen = window.technician
    for key in PIN:
        click(qtbot, screen.pin_pad.keys[key])
    click(qtbot, screen.pin_pad.ok)
    table = screen.devices_tab.table
    names = set(env.runtime.config.devices)
    qtbot.waitUntil(lambda: screen.logged_in and table.rowCount() == len(names), timeout=8000)
    state = COLUMNS.index("状态 State")
    states = {table.item(row, 0).text(): table.item(row, state).text() for row in range(len(names))}
    assert set(states) == names and {states[n] for n in ("idcard", "receipt", "a4", "card", "camera")} == {"online"}
    service = env.runtime.technician_service()
    assert service._slot("card").device is env.runtime.devices["card_printer"]  # the same open port
    with qtbot.waitSignal(screen.closed, timeout=5000):
        click(qtbot, screen.logout_button)
    assert window.stack.currentWidget() is window.attract
    screen.wait_idle()
    actions = [entry.action for entry in service.audit.entries()]
    assert {"technician.login", "technician.logout"} <= set(actions)
