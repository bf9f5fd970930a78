"""Kiosk mode (config ui.fullscreen): the window cannot be closed until the technician chose "exit app", and a
keyboard plugged into the cabinet does nothing on the citizen screens."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QApplication

from tests.ui.fakes import FakeRuntime, fake_config


def test_closing_is_refused_until_exit_is_allowed(qtbot, make_window):
    window = make_window(FakeRuntime(config=fake_config(fullscreen=True)))
    refused = QCloseEvent()
    QApplication.sendEvent(window.quick, refused)
    assert not refused.isAccepted() and window.quick.isVisible()
    window._exit_allowed = True  # what the technician's "exit app" sets
    allowed = QCloseEvent()
    QApplication.sendEvent(window.quick, allowed)
    assert allowed.isAccepted() and window._shut_down


def test_keys_do_nothing_in_kiosk_mode_and_pass_otherwise(qtbot, make_window):
    kiosk = make_window(FakeRuntime(config=fake_config(fullscreen=True)))
    key = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
    assert kiosk.guard.eventFilter(kiosk.quick, key) is True
    desk = make_window(FakeRuntime())
    assert desk.guard.eventFilter(desk.quick, key) is False
