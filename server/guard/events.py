"""Security events counted in memory (per kind, source address and hour, bounded), for a server that keeps
no table of them: every event is counted, and reaching the alert threshold in an hour is logged once
as a WARNING "security alert" line for the operators' log monitoring.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger("server.security")


@dataclass
class Counted:
    kind: str
    source: str
    hour: int  # hours since the epoch
    count: int = 0
    alerted: bool = False

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "source": self.source, "hour_start": self.hour * 3600, "count": self.count,
                "alert": self.alerted}  # fmt: skip


class SecurityCounters:
    def __init__(
        self, alert_after: int, *, max_entries: int = 10_000, clock: Callable[[], float] = time.time
    ) -> None:
        self.alert_after, self._max, self._clock = alert_after, max_entries, clock
        self._counts: OrderedDict[tuple[str, str, int], Counted] = OrderedDict()
        self._lock = threading.Lock()

    def record(self, kind: str, source: str) -> Counted:
        hour = int(self._clock() // 3600)
        with self._lock:
            entry = self._counts.setdefault((kind, source, hour), Counted(kind, source, hour))
            self._counts.move_to_end((kind, source, hour))
            while len(self._counts) > self._max:
                self._counts.popitem(last=False)
            entry.count += 1
            if entry.count >= self.alert_after and not entry.alerted:
                entry.alerted = True
                log.warning("security alert: %d x %s from %s this hour", entry.count, kind, source)
            return entry

    def snapshot(self, limit: int = 500) -> list[dict[str, object]]:
        """The newest counts first."""
        with self._lock:
            entries = list(self._counts.values())[-limit:]
        return [entry.to_json() for entry in reversed(entries)]
