"""Suite-wide setup: Qt offscreen, a fresh data home per test, no simulator state shared between tests."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _fresh_simulators():
    from devices.camera.sim import forget_all as forget_cameras
    from devices.docprinter.spool import forget_spools
    from devices.sim import registry

    for forget in (registry.forget_all, forget_spools, forget_cameras):
        forget()
    yield
    for forget in (registry.forget_all, forget_spools, forget_cameras):
        forget()


@pytest.fixture
def kiosk_home(tmp_path, monkeypatch):
    """A throwaway KIOSK_HOME; everything the kiosk writes during the test lands here."""
    home = tmp_path / "kiosk-home"
    monkeypatch.setenv("KIOSK_HOME", str(home))
    return home


def pytest_addoption(parser):
    parser.addoption("--device-url", default=None, help="URL of real hardware for hardware-marked tests")


@pytest.fixture
def device_url(request):
    url = request.config.getoption("--device-url")
    if not url:
        pytest.skip("no --device-url given: hardware tests run only on request")
    return url
