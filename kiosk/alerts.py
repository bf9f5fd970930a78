"""Alerts for people: what went wrong that a technician must look at (a refund the platform keeps refusing, a
flow that met an unexpected error). Each is written to the audit log and shown to the fleet in the heartbeat
as the state of a pseudo-device "kiosk_alerts", so the fleet server's device alerts reach the admins."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from devices.status import DeviceState, DeviceStatus

log = logging.getLogger(__name__)
RECENT_S = 3600.0  # an alert keeps the pseudo-device in error for an hour


@dataclass(frozen=True)
class Alert:
    code: str
    detail: dict[str, Any]
    at: float


@dataclass
class KioskAlerts:
    audit: Callable[[str, dict[str, Any]], None] = lambda code, detail: None
    clock: Callable[[], float] = time.monotonic
    recent: deque[Alert] = field(default_factory=lambda: deque(maxlen=50))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def raise_alert(self, code: str, detail: dict[str, Any]) -> None:
        """Never raises: an alert that cannot be written is logged."""
        with self._lock:
            self.recent.append(Alert(code, dict(detail), self.clock()))
        log.warning("alert %s: %s", code, detail)
        try:
            self.audit(code, detail)
        except Exception as error:
            log.error("alert %s not audited: %s", code, type(error).__name__)

    def status(self) -> DeviceStatus:
        with self._lock:
            live = [alert for alert in self.recent if self.clock() - alert.at < RECENT_S]
        if not live:
            return DeviceStatus(DeviceState.ONLINE)
        codes = sorted({alert.code for alert in live})
        return DeviceStatus(DeviceState.HARDWARE_ERROR, {"alerts": ",".join(codes), "count": len(live)}, codes[0])

    def as_devices(self) -> dict[str, Any]:
        """For the fleet heartbeat: the alerts as one more device, by name."""
        return {"kiosk_alerts": _AlertDevice(self)}


@dataclass(frozen=True)
class _AlertDevice:
    alerts: KioskAlerts
    name: str = "kiosk_alerts"

    @property
    def status(self) -> DeviceStatus:
        return self.alerts.status()
