"""Device survey for technicians: build each configured device, open it, report its state, close it."""

from __future__ import annotations

from typing import Any

from devices.registry import build_device
from kiosk.config import load_config
from kiosk.home import KioskHome


def survey_devices(home: str | None) -> list[dict[str, Any]]:
    config = load_config(KioskHome.resolve(home).config_file)
    rows = []
    for settings in config.device_settings():
        row: dict[str, Any] = {"name": settings.name, "kind": settings.kind, "url": settings.url}
        try:
            device = build_device(settings)
        except (ValueError, ImportError) as error:
            rows.append({**row, "state": "no_driver", "detail": {}, "last_error": str(error)})
            continue
        try:
            device.open()
            status = device.status
            rows.append({**row, **status.to_json()})
        finally:
            device.close()
    return rows
