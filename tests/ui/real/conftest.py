"""Fixtures for tests on the real runtime: the demo environment (sandbox on loopback, every device
simulated) in a temporary home, and the QML kiosk window on it. They override the fake-runtime `window` of
tests/ui/conftest.py for the tests in this folder."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.demo import DemoEnvironment
from kiosk.home import KioskHome
from tests.ui.conftest import quick
from ui.app import kiosk_font
from ui.voice import Voice
from ui.window import KioskWindow


@pytest.fixture
def env(tmp_path):
    environment = DemoEnvironment.start(KioskHome(tmp_path / "home"))
    yield environment
    environment.stop()


@pytest.fixture
def window(qtbot, env):
    QApplication.setFont(kiosk_font())
    win = quick(KioskWindow(env.runtime, voice=Voice(False)))
    win.shell.pay_poll.setInterval(300)
    win.show()
    qtbot.waitUntil(lambda: win.quick.isExposed() and win.quick.contentItem().width() == 1080)
    yield win
    win.shell.worker.wait_idle(5000)  # let a wipe or a flow call started in a worker finish before teardown
    assert win.shell.tr.missing == set(), "the real flows sent keys the catalogue has no text for"
    win.dispose()
