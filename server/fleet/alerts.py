"""Alerts derived from each kiosk's latest heartbeat and reports, computed when asked (never stored), so
they can never go stale: a kiosk that comes back is no longer silent the moment it reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from server.fleet.models import Kiosk
from server.fleet.settings import FleetSettings

DOWN_STATES = frozenset({"offline", "no_device", "hardware_error"})
OUT_VALUES = frozenset({"out", "empty"})


@dataclass(frozen=True)
class Alert:
    kind: str  # silent | device_down | <consumable>_low | <consumable>_out | service_unavailable | config_<status>
    subject: str  # device or service name, or "" for the kiosk as a whole
    detail: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "subject": self.subject, "detail": self.detail}


def _device_alerts(name: str, status: object, consumables: tuple[str, ...]) -> list[Alert]:
    if not isinstance(status, dict):
        return []
    alerts = []
    state = status.get("state")
    if state in DOWN_STATES:
        alerts.append(Alert("device_down", name, f"{state} ({status.get('last_error') or 'no error code'})"))
    detail = status.get("detail") if isinstance(status.get("detail"), dict) else {}
    for consumable in consumables:
        level = detail.get(consumable)
        if level == "low":
            alerts.append(Alert(f"{consumable}_low", name, f"{consumable} low"))
        elif level in OUT_VALUES:
            alerts.append(Alert(f"{consumable}_out", name, f"{consumable} out"))
    return alerts


def kiosk_alerts(kiosk: Kiosk, now: datetime, settings: FleetSettings) -> list[Alert]:
    silent_after = timedelta(seconds=settings.poll_interval_s * settings.silent_after_intervals)
    last = kiosk.last_heartbeat
    if last is None or now - last > silent_after:
        seen = "never" if last is None else f"last heartbeat {last.isoformat(timespec='seconds')}"
        alerts = [Alert("silent", "", f"no heartbeat for over {int(silent_after.total_seconds())} s ({seen})")]
    else:
        alerts = []
    for name, status in sorted((kiosk.device_states or {}).items()):
        alerts.extend(_device_alerts(name, status, settings.consumables))
    for service, available in sorted((kiosk.availability or {}).items()):
        if available is False:
            alerts.append(Alert("service_unavailable", service, "out of service"))
    if kiosk.last_status in ("rejected", "rolled_back"):
        alerts.append(Alert(f"config_{kiosk.last_status}", "", kiosk.last_reason or ""))
    return alerts
