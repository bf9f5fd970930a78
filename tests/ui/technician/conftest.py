"""A technician screen over simulated devices, a hand-driven clock and the real audit log."""

from __future__ import annotations

import pytest

from kiosk.audit import AuditLog
from kiosk.technician import TechnicianService
from kiosk.technician.auth import TechnicianAuth
from tests.kiosk.technician.helpers import FAST_SCRYPT_N, PIN, FakeClock, sim_devices, write_config
from ui.technician import TechnicianScreen


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


@pytest.fixture
def make_screen(qtbot, tmp_path, clock):
    made: list[tuple[TechnicianScreen, TechnicianService, AuditLog]] = []

    def make(devices=None, *, totp_secret: bytes | None = None) -> TechnicianScreen:
        home = write_config(tmp_path / f"home{len(made)}", devices or sim_devices())
        audit = AuditLog.for_home(home)
        auth = TechnicianAuth(home, audit, clock=clock, scrypt_n=FAST_SCRYPT_N)
        auth.set_pin(PIN, actor="cli:test", totp_secret=totp_secret)
        service = TechnicianService(home, audit=audit, auth=auth, require_login=True, clock=clock)
        screen = TechnicianScreen(service)
        screen.resize(1080, 1400)
        qtbot.addWidget(screen)
        screen.show()
        made.append((screen, service, audit))
        return screen

    yield make
    for screen, service, audit in made:
        screen.wait_idle()
        service.close()
        audit.close()
