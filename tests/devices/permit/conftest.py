"""Fixtures for the permit tests: a real pcscd with the vpcd virtual reader, the simulated permit on it and
a PermitReader on pcsc://.

scripts/test.sh starts the daemon and exports KIOSK_TEST_PCSC_SOCKET / KIOSK_TEST_VPCD_PORT; a targeted
pytest run without them starts a private one here (it needs pcscd and vsmartcard-vpcd, which setup.sh
installs), so these tests never skip.
"""

from __future__ import annotations

import pytest

from devices.permit.sim.control import PermitSimulator
from devices.permit.sim.issuer import demo_authority
from devices.permit.sim.vpcd import Pacing


@pytest.fixture
def permit_sim(pcscd):
    simulator = PermitSimulator(vpcd_port=pcscd[1], pacing=Pacing(bitrate=None))
    yield simulator
    simulator.close()


def wait_until_absent(timeout: float = 5.0) -> None:
    """pcscd polls its readers (about every 400 ms): wait until it has seen the card go."""
    import threading
    import time

    from devices.permit.pcsc import PcscPort, PcscUrl

    port = PcscPort(PcscUrl(None))
    port.open()
    try:
        deadline = time.monotonic() + timeout
        while any(port.card_states().values()):
            assert time.monotonic() < deadline, "pcscd still shows a card"
            threading.Event().wait(0.02)
    finally:
        port.close()


@pytest.fixture
def make_reader(pcscd):
    from devices.permit.device import PermitReader
    from devices.permit.pcsc import PcscPort, PcscUrl

    opened = []

    def make(reader: str | None = "Virtual PCD 00 00", **options) -> PermitReader:
        options.setdefault("trust_anchors", [demo_authority()[0]])
        options.setdefault("poll_interval_s", 0.05)
        url = PcscUrl(reader)
        device = PermitReader("permit", PcscPort(url), monitor_port=PcscPort(url), **options)
        device.open()
        opened.append(device)
        return device

    yield make
    for device in opened:
        device.close()


@pytest.fixture
def reader(make_reader):
    return make_reader()
