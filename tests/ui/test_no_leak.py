"""Sessions leave nothing behind: no flow, frame or widget of a finished session stays alive (the 1,000-session
figure is benchmarks/bench_ui.py; this is the quick guard for what it found: PySide kept finished Python
QRunnables, and with them every flow and camera frame their closures held)."""

from __future__ import annotations

import gc

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from kiosk.flows.base import StepKind
from tests.ui.fakes import FakeFlow
from tests.ui.helpers import click, start_service, wait_step

SESSIONS = 4


def session_to_confirmation_then_cancel(qtbot, window) -> None:
    start_service(qtbot, window, "temp_id")
    wait_step(qtbot, window, StepKind.READ_CARD)
    click(qtbot, window.steps[StepKind.READ_CARD].enter_number)
    wait_step(qtbot, window, StepKind.ENTER_ID_NUMBER)
    screen = window.steps[StepKind.ENTER_ID_NUMBER]
    for key in "11010519491231002X":
        screen.press(key)
    click(qtbot, screen.submit)
    wait_step(qtbot, window, StepKind.CAPTURE_FACE)
    face = window.steps[StepKind.CAPTURE_FACE]
    face.next_frame()
    face.take_photo()
    wait_step(qtbot, window, StepKind.CONFIRM)
    click(qtbot, window.cancel)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.attract and not window.controller.busy)
    window.worker.wait_idle()


def live(kind: type) -> int:
    gc.collect()
    return sum(isinstance(obj, kind) for obj in gc.get_objects())


def test_finished_sessions_leave_no_flow_frame_or_widget_alive(qtbot, window, runtime):
    session_to_confirmation_then_cancel(qtbot, window)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    widgets = len(QApplication.allWidgets())
    for _ in range(SESSIONS):
        session_to_confirmation_then_cancel(qtbot, window)
    qtbot.waitUntil(lambda: len(runtime.ended) == SESSIONS + 1)
    runtime.flows.clear()  # the fake runtime's own record; the app must hold none of them
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert live(FakeFlow) == 0
    assert len(QApplication.allWidgets()) == widgets
