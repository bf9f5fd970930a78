"""Keeps device statuses fresh between jobs, so the home screen (and the fleet heartbeat) say what is
usable now: a printer that ran out of paper overnight is shown out of service before anyone pays."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any

from devices.errors import DeviceError

log = logging.getLogger(__name__)

# How each device class is asked, in order of preference; a busy device is skipped this round.
_REFRESHERS = ("refresh_status", "query_status", "probe")


def refresh_device(device: Any) -> None:
    for name in _REFRESHERS:
        method: Callable[[], Any] | None = getattr(device, name, None)
        if method is not None:
            try:
                method()
            except DeviceError as error:  # the status already records it; nothing else to do here
                log.debug("status refresh of %s: %s", getattr(device, "name", "?"), error.code)
            return


class DeviceMonitor:
    def __init__(self, devices: Mapping[str, Any], interval_s: float = 15.0) -> None:
        self._devices = devices
        self._interval = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="device-monitor", daemon=True)

    def start(self) -> DeviceMonitor:
        self._thread.start()
        return self

    def refresh_all(self) -> None:
        for device in list(self._devices.values()):
            refresh_device(device)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.refresh_all()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
