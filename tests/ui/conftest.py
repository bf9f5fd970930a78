"""Kiosk windows (the QML citizen screens) driven by the scripted fake runtime, with short poll intervals so
the suite stays fast. Qt Quick is prepared before pytest-qt makes the QApplication."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from tests.ui.fakes import FakeRuntime
from ui.app import kiosk_font
from ui.catalog import load_core_texts
from ui.quick_env import prepare_environment
from ui.voice import Voice
from ui.window import KioskWindow

prepare_environment()
load_core_texts()  # windows made here show every flow text at once (the kiosk loads them after its first frame)


@pytest.fixture
def runtime(tmp_path) -> FakeRuntime:
    runtime = FakeRuntime(technician_home=tmp_path / "technician-home")
    runtime.availability["traffic"] = (True, None)
    return runtime


def quick(window: KioskWindow) -> KioskWindow:
    """Shorter waits for tests: payment polls, the working poll and the read-again pause."""
    window.shell.controller._working_poll.setInterval(10)
    window.shell.pay_poll.setInterval(20)
    window.shell.read_again.setInterval(10)
    return window


@pytest.fixture
def make_window(qtbot):
    windows: list[KioskWindow] = []
    pools: list[QThreadPool] = []

    def make(runtime: FakeRuntime, size: tuple[int, int] = (1080, 1920), voice: Voice | None = None) -> KioskWindow:
        QApplication.setFont(kiosk_font())
        pool = QThreadPool()
        pools.append(pool)
        window = quick(KioskWindow(runtime, pool=pool, voice=voice or Voice(False), size=size))
        window.show()
        wanted = window.quick.width()  # full screen in kiosk mode: the screen's size
        qtbot.waitUntil(lambda: window.quick.isExposed() and window.quick.contentItem().width() == wanted)
        windows.append(window)
        return window

    yield make
    for window in windows:
        for flow in getattr(window.runtime, "flows", []):
            flow.abort()  # releases any read blocked on a gate
        window.dispose()
    for pool in pools:
        pool.waitForDone(5000)
    QApplication.processEvents()


@pytest.fixture
def window(make_window, runtime) -> KioskWindow:
    return make_window(runtime)
