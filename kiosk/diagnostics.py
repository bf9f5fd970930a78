"""Device survey for technicians: build each configured device, open it, report its state, close it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine

from devices.registry import build_device
from kiosk.home import KioskHome
from kiosk.migrations import AUDIT, JOURNAL, schema_status
from kiosk.trust import load_verified_config

_STATE_OF_SCHEMA = {"current": "online", "upgrade_pending": "starting", "too_new": "hardware_error"}


def survey_databases(home: KioskHome) -> list[dict[str, Any]]:
    """The journal's and the audit log's schema revision, as rows shaped like the devices' (read only)."""
    rows = []
    for schema, path in ((JOURNAL, home.root / "journal.sqlite3"), (AUDIT, home.audit_file)):
        row: dict[str, Any] = {"name": schema.name, "kind": "database", "url": f"sqlite:///{path}"}
        if not path.exists():
            rows.append({**row, "state": "starting", "detail": {"schema": "created at first start"},
                         "last_error": None})  # fmt: skip
            continue
        engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
        try:
            status = schema_status(engine, schema)
        finally:
            engine.dispose()
        detail = {"revision": status["revision"] or "unversioned", "head": status["head"], "schema": status["state"]}
        error = "schema_too_new" if status["state"] == "too_new" else None
        rows.append({**row, "state": _STATE_OF_SCHEMA[status["state"]], "detail": detail, "last_error": error})
    return rows


def survey_devices(home: str | None) -> list[dict[str, Any]]:
    kiosk_home = KioskHome.resolve(home)
    config = load_verified_config(kiosk_home).config
    rows = survey_databases(kiosk_home)
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
