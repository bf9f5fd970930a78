"""What a service is to the rest of the kiosk: a declaration the registry lists (kiosk/services/__init__.py).

A declaration is light (no flow, printing or backend import), so the configuration, the home screen and the
technician tools can list services at start-up. The flow and the crash recovery are named as
"module:attribute" and loaded on first use, like the device classes in devices/registry.py.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from contracts import DocumentKind, PaymentPurpose
from contracts.services import Service


class ServiceSettings(BaseModel):
    """The part of every service's configuration section the core reads itself (kiosk.config: services.NAME)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True


@dataclass(frozen=True)
class ServiceSpec:
    service: Service
    cli_name: str  # `kiosk flow CLI_NAME`
    display_name: str  # printed on receipts and shown to technicians (the UI has its own catalogue)
    devices: tuple[str, ...]  # device kinds it cannot do without (decided before any payment)
    settings: type[ServiceSettings]  # its configuration section
    document_kinds: tuple[DocumentKind, ...]  # what it issues, for recovery and read-back
    flow: str  # "module:Class" of its ServiceFlow
    recovery: str  # "module:Class" of its ServiceRecovery (kiosk/recovery/service.py)
    texts: str = ""  # "module:TEXTS" of its own keys' texts (zh/en)
    payment_purpose: PaymentPurpose | None = None  # None: a free service

    @property
    def name(self) -> str:
        return str(self.service)

    def load_flow(self) -> Any:
        return _resolve(self.flow)

    def load_recovery(self) -> Any:
        return _resolve(self.recovery)()

    def load_texts(self) -> dict[str, dict[str, str]]:
        return dict(_resolve(self.texts)) if self.texts else {}

    def enabled(self, config: Any) -> bool:
        """Is it offered by this configuration (services.NAME.enabled)."""
        return bool(getattr(config.services, self.name).enabled)


def _resolve(target: str) -> Any:
    module_name, attribute = target.split(":")
    return getattr(importlib.import_module(module_name), attribute)
