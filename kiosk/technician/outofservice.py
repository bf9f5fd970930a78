"""Services (or the whole kiosk) a technician took out of service, with the reason; persisted in the data dir.

The core's availability reads `load_out_of_service(home)`: {"temp_id": "printer being repaired", ...}, where the
key "kiosk" means every service is unavailable. The file is replaced atomically, so a reader never sees half.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from contracts.redaction import redact
from kiosk.home import KioskHome
from kiosk.services import service_names
from kiosk.trust.atomic import atomic_write_bytes

KIOSK = "kiosk"
SERVICES: tuple[str, ...] = service_names()
TARGETS: tuple[str, ...] = (*SERVICES, KIOSK)
MAX_REASON = 200
FILE_NAME = "out_of_service.json"


def out_of_service_path(home: KioskHome) -> Path:
    return home.root / FILE_NAME


def _read(home: KioskHome) -> dict[str, dict[str, Any]]:
    path = out_of_service_path(home)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        # An unreadable file must not silently bring services back: treat the kiosk as out of service.
        return {KIOSK: {"reason": "out-of-service file unreadable", "since": "", "by": "system"}}
    if not isinstance(data, dict):
        return {KIOSK: {"reason": "out-of-service file unreadable", "since": "", "by": "system"}}
    return {str(k): v for k, v in data.items() if isinstance(v, dict)}


def load_out_of_service(home: KioskHome) -> dict[str, str]:
    """Target ("temp_id", "certificate", "traffic" or "kiosk") -> reason, for everything out of service."""
    return {target: str(entry.get("reason", "")) for target, entry in _read(home).items()}


def load_out_of_service_records(home: KioskHome) -> dict[str, dict[str, Any]]:
    """As load_out_of_service, with who set it and since when (for the technician screen and CLI)."""
    return _read(home)


def clean_reason(reason: str) -> str:
    text = " ".join(reason.split())
    if not text:
        raise ValueError("a reason is required")
    return redact(text)[:MAX_REASON]


def check_target(target: str) -> str:
    if target not in TARGETS:
        raise ValueError(f"unknown service {target!r}; one of: {', '.join(TARGETS)}")
    return target


def set_out_of_service(home: KioskHome, target: str, reason: str, actor: str, now: datetime | None = None) -> str:
    """Mark `target` out of service; returns the stored (cleaned) reason."""
    check_target(target)
    text = clean_reason(reason)
    records = _read(home)
    records[target] = {"reason": text, "since": (now or datetime.now(UTC)).isoformat(timespec="seconds"), "by": actor}
    _write(home, records)
    return text


def clear_out_of_service(home: KioskHome, target: str) -> bool:
    """Bring `target` back into service; returns whether it was out."""
    check_target(target)
    records = _read(home)
    was_out = records.pop(target, None) is not None
    _write(home, records)
    return was_out


def _write(home: KioskHome, records: dict[str, dict[str, Any]]) -> None:
    data = json.dumps(records, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
    atomic_write_bytes(out_of_service_path(home), data, mode=0o644)
