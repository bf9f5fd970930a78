"""Paper and ribbon counters that survive restarts: what was used since the technician last replaced it.

Drivers count pages/cards in memory from their start; the store folds those raw counters into persisted
totals (the delta since the last sync; a raw value lower than last seen means the driver restarted) and a
technician resets a consumable's total when he loads a new roll, stack or ribbon.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.home import KioskHome
from kiosk.trust.atomic import atomic_write_bytes

# device kind -> consumable -> candidate raw counter names (first one the driver has is used)
CONSUMABLES: dict[str, dict[str, tuple[str, ...]]] = {
    "document_printer": {"paper": ("pages_printed",)},
    "card_printer": {"ribbon": ("cards_printed",), "cards": ("cards_printed",)},
    # the receipt driver counts only operations (print jobs; status polls are not operations)
    "receipt_printer": {"paper": ("paper_mm", "receipts_printed", "receipts", "jobs", "operations")},
}
MAX_OWNERS = 8


def consumables_for(kind: str) -> tuple[str, ...]:
    return tuple(CONSUMABLES.get(kind, {}))


class ConsumableCounters:
    """{device: {consumable: {"used", "reset_at", "raw"}}} in technician/consumables.json."""

    def __init__(self, home: KioskHome) -> None:
        self.path: Path = home.root / "technician" / "consumables.json"
        self._lock = threading.Lock()

    def _load(self) -> dict[str, dict[str, dict[str, Any]]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _save(self, data: dict[str, Any]) -> None:
        atomic_write_bytes(self.path, json.dumps(data, sort_keys=True, indent=1).encode("utf-8"))

    def sync(self, device: str, kind: str, raw_counters: dict[str, int], owner: str) -> dict[str, int]:
        """Fold the raw counters of one driver instance (`owner`, unique per instance: the app's and a CLI's
        drivers count separately) in; returns consumable -> used since the last reset."""
        wanted = CONSUMABLES.get(kind, {})
        with self._lock:
            data = self._load()
            entry = data.setdefault(device, {})
            for consumable, candidates in wanted.items():
                source = next((name for name in candidates if name in raw_counters), None)
                record = entry.setdefault(consumable, {"used": 0, "reset_at": None})
                if source is None:
                    continue
                raw, seen = int(raw_counters[source]), dict(record.get("raw_by_owner", {}))
                previous = int(seen.pop(owner, 0))
                delta = raw - previous if raw >= previous else raw
                seen[owner] = raw  # newest last; keep a few owners only
                record.update(
                    used=int(record.get("used", 0)) + delta,
                    raw_by_owner=dict(list(seen.items())[-MAX_OWNERS:]),
                    unit=source,
                )
            self._save(data)
            return {name: int(record.get("used", 0)) for name, record in entry.items()}

    def used(self, device: str) -> dict[str, int]:
        return {name: int(record.get("used", 0)) for name, record in self._load().get(device, {}).items()}

    def reset_info(self, device: str) -> dict[str, str | None]:
        return {name: record.get("reset_at") for name, record in self._load().get(device, {}).items()}

    def reset(self, device: str, consumable: str, now: datetime | None = None) -> int:
        """Zero one consumable's total (a new roll or ribbon); returns the total before the reset."""
        with self._lock:
            data = self._load()
            record = data.setdefault(device, {}).setdefault(consumable, {"used": 0})
            before = int(record.get("used", 0))
            record.update(used=0, reset_at=(now or datetime.now(UTC)).isoformat(timespec="seconds"))
            self._save(data)
            return before
