"""What technician code needs from the audit log, and the default: the kiosk's hash-chained AuditLog."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from kiosk.home import KioskHome


class AuditSink(Protocol):
    def append(self, actor: str, action: str, target: str = "", detail: Mapping[str, Any] | None = None) -> Any: ...


def default_audit(home: KioskHome) -> AuditSink:
    from kiosk.audit import AuditLog

    return AuditLog.for_home(home)


class MemoryAudit:
    """An in-memory sink (tests, tools that must not write); entries as (actor, action, target, detail)."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, str, str, dict[str, Any]]] = []

    def append(self, actor: str, action: str, target: str = "", detail: Mapping[str, Any] | None = None) -> None:
        self.entries.append((actor, action, target, dict(detail or {})))

    def actions(self) -> list[str]:
        return [entry[1] for entry in self.entries]
