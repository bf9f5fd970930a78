"""Fixtures for tests on the real runtime: the demo environment (sandbox on loopback, every device
simulated) in a temporary home, and the kiosk window on it. They override the fake-runtime `window` of tests/ui/conftest.py for the tests in this folder."""

from __future__ import annotations

import pytest

from kiosk.demo import DemoEnvironment
from kiosk.home import KioskHome
from ui.app import create_window


@pytest.fixture
def env(tmp_path):
    environment = DemoEnvironment.start(KioskHome(tmp_path / "home"))
    yield environment
    environment.stop()


@pytest.fixture
def window(qtbot, env):
    win = create_window(env.runtime)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.worker.wait_idle(5000)  # let a wipe or a flow call started in a worker finish before teardown
    if win.technician is not None:
        win.technician.wait_idle(5000)
