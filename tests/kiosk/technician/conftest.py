"""Fresh simulated printers and cameras per test (their simulators are shared by name in-process)."""

from __future__ import annotations

import pytest

from tests.kiosk.technician.helpers import FakeClock


@pytest.fixture(autouse=True)
def _fresh_named_simulators():
    from devices.camera import sim as camera_sim
    from devices.docprinter import spool

    yield
    spool.forget_spools()
    camera_sim.forget_all()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
