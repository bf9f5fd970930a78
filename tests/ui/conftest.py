"""Windows driven by the scripted fake runtime, with short poll intervals so the suite stays fast."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from kiosk.flows.base import StepKind
from tests.ui.fakes import FakeRuntime
from ui.app import kiosk_font
from ui.voice import Voice
from ui.window import KioskWindow


@pytest.fixture(autouse=True)
def _silent_windows(monkeypatch):
    """Windows made by tests do not talk to a speech engine (tests/ui/test_voice.py does, hermetically)."""
    monkeypatch.setattr("ui.window.Voice", lambda _enabled: Voice(False))


@pytest.fixture
def runtime(tmp_path) -> FakeRuntime:
    runtime = FakeRuntime(technician_home=tmp_path / "technician-home")
    runtime.availability["traffic"] = (True, None)
    return runtime


@pytest.fixture
def make_window(qtbot):
    windows: list[KioskWindow] = []
    pools: list[QThreadPool] = []

    def make(runtime: FakeRuntime, size: tuple[int, int] = (1080, 1920)) -> KioskWindow:
        QApplication.setFont(kiosk_font())
        pool = QThreadPool()
        pools.append(pool)
        window = KioskWindow(runtime, pool=pool)
        window.resize(*size)
        window.controller._working_poll.setInterval(10)
        window.steps[StepKind.PAY].poll_ms = 20
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        for flow in window.runtime.flows:
            flow.abort()  # releases any read blocked on a gate
        if window.technician is not None:
            window.technician.wait_idle(5000)
    for pool in pools:
        pool.waitForDone(5000)


@pytest.fixture
def window(make_window, runtime) -> KioskWindow:
    return make_window(runtime)
