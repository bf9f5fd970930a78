"""What kiosk.trust needs of its collaborators, as protocols (kiosk.audit.AuditLog is the audit trail), so
the audit log may use kiosk.trust (device key, signed heads) without an import circle."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class AuditTrail(Protocol):
    def append(self, actor: str, action: str, target: str = "", detail: Mapping[str, Any] | None = None) -> Any: ...
