"""Visits leave nothing behind: no flow or camera frame of a finished visit stays alive, and the scene holds the
same items after a few visits as after the first (pages are made once and reused; the 10,000-visit figure is
benchmarks/bench_ui.py)."""

from __future__ import annotations

import gc
import weakref

import numpy as np
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from kiosk.flows.base import StepKind
from tests.ui.helpers import descendants, start_service, tap, type_keys, wait_page, wait_step

VISITS = 3


def visit_to_confirmation_then_leave(qtbot, window) -> None:
    start_service(qtbot, window, "temp_id")
    wait_step(qtbot, window, StepKind.ENTER_ID_NUMBER)
    type_keys(qtbot, window, "11010519491231002X")
    tap(qtbot, window, "submitButton")
    wait_step(qtbot, window, StepKind.CAPTURE_FACE)
    wait_step(qtbot, window, StepKind.CONFIRM, timeout=5000)  # frames streamed until the liveness passed
    tap(qtbot, window, "homeButton")
    wait_page(qtbot, window, "home")
    qtbot.waitUntil(lambda: not window.shell.controller.busy)
    window.shell.worker.wait_idle()


def settle() -> None:
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


def test_finished_visits_leave_no_flow_frame_or_item_alive(qtbot, window, runtime):
    visit_to_confirmation_then_leave(qtbot, window)
    settle()
    items = sum(1 for _ in descendants(window.quick.contentItem()))
    for _ in range(VISITS):
        visit_to_confirmation_then_leave(qtbot, window)
    qtbot.waitUntil(lambda: len(runtime.ended) == VISITS + 1)
    flows = [weakref.ref(flow) for flow in runtime.flows]
    runtime.flows.clear()  # the fake runtime's own record; the app must hold none of them
    settle()
    gc.collect()
    assert len(flows) == VISITS + 1 and all(flow() is None for flow in flows)
    assert window.shell.camera.frame is None and window.shell.camera.image is None
    frames = [obj for obj in gc.get_objects() if isinstance(obj, np.ndarray) and obj.shape == runtime.frame.shape]
    assert len(frames) <= 1  # the fake camera's own picture only
    assert sum(1 for _ in descendants(window.quick.contentItem())) == items
