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


# -- skips: only hardware tests may skip in the full run (scripts/test.sh sets KIOSK_STRICT_SKIPS=1) ---------
_unexpected_skips: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and "hardware" not in report.keywords:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _unexpected_skips.append(f"{report.nodeid}: {reason}")


def pytest_terminal_summary(terminalreporter):
    if _unexpected_skips:
        terminalreporter.write_line(f"{len(_unexpected_skips)} tests skipped that are not hardware tests:", red=True)
        for line in _unexpected_skips:
            terminalreporter.write_line(f"  {line}")


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("KIOSK_STRICT_SKIPS") == "1" and _unexpected_skips and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def _strict_text_keys(monkeypatch):
    """Every view a flow shows in a test carries only declared text keys (the catalogue is complete by
    construction); production logs an undeclared key instead of failing the visit."""
    from kiosk.flows.common import ServiceFlow

    monkeypatch.setattr(ServiceFlow, "strict_keys", True)


@pytest.fixture(scope="session")
def pcscd():
    """(socket path, vpcd port) of a running pcscd with the virtual reader."""
    socket_path, port = os.environ.get("KIOSK_TEST_PCSC_SOCKET"), os.environ.get("KIOSK_TEST_VPCD_PORT")
    running = None
    if not socket_path or not port:
        from devices.permit.sim import pcscd as private

        running = private.start()
        socket_path, port = str(running.socket_path), str(running.vpcd_port)
        os.environ["KIOSK_TEST_PCSC_SOCKET"], os.environ["KIOSK_TEST_VPCD_PORT"] = socket_path, port
    os.environ["PCSCLITE_CSOCK_NAME"] = socket_path  # before this process's first PC/SC call
    yield socket_path, int(port)
    if running is not None:
        running.stop()
