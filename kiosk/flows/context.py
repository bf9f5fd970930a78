"""What a service flow works with: configuration, backend, journal, the citizen's session, devices and
face checks. Built once by the composition root (kiosk/runtime.py) and shared by every flow."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from devices.status import DeviceState
from kiosk.backend.client import BackendClient
from kiosk.config import KioskConfig
from kiosk.journal.journal import Journal
from kiosk.services import SERVICES
from kiosk.session import CitizenSession


@dataclass
class ServiceContext:
    config: KioskConfig
    backend: BackendClient
    journal: Journal
    session: CitizenSession
    devices: dict[str, Any] = field(default_factory=dict)  # by kind: idcard, receipt_printer, ...
    quality: Any = None  # kiosk.face.FaceQualityChecker
    verifier: Any = None  # kiosk.face.FaceVerifier
    clock: Callable[[], float] = time.monotonic
    out_of_service: Callable[[], dict[str, str]] = dict  # technician switches: service|"kiosk" -> reason
    spooler: Any = None  # kiosk.spooler.Spooler: durable print jobs with retries; None prints directly
    alert: Callable[[str, dict[str, Any]], None] = lambda code, detail: None  # technician alert (audit + fleet)
    # One read attempt; the UI asks again while the card step is shown, so cancel and typing stay responsive.
    card_read_timeout_s: float = 3.0

    def device(self, kind: str) -> Any | None:
        return self.devices.get(kind)


def device_usable(device: Any | None) -> bool:
    return device is not None and DeviceState(device.status.state) in (DeviceState.ONLINE, DeviceState.BUSY)


def service_availability(context: ServiceContext, backend_ok: bool) -> dict[str, tuple[bool, str | None]]:
    """service -> (available, reason key). Checked on the home screen and again before taking money."""
    switched_off = context.out_of_service()
    result: dict[str, tuple[bool, str | None]] = {}
    for spec in SERVICES:
        service = spec.name
        if "kiosk" in switched_off or service in switched_off:
            result[service] = (False, "reason.out_of_service")
        elif not spec.enabled(context.config):
            result[service] = (False, "reason.not_offered")
        elif not backend_ok:
            result[service] = (False, "reason.backend_down")
        else:
            missing = [kind for kind in spec.devices if not device_usable(context.device(kind))]
            result[service] = (False, f"reason.device.{missing[0]}") if missing else (True, None)
    return result
