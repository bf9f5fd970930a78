"""Building devices from typed settings: which class, which URL, which time-outs.

A kiosk's configuration names a kind and a URL per device, so it alone decides real vs simulated.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from devices.transport import Transport, TransportSettings

# kind -> "module:Class"; the class is built as Class(name, transport, **options).
DEVICE_CLASSES: dict[str, str] = {
    "idcard": "devices.idcard.device:IdCardReader",
    "receipt_printer": "devices.receipt.device:ReceiptPrinter",
    "card_printer": "devices.cardprinter.device:CardPrinter",
}


@dataclass(frozen=True)
class DeviceSettings:
    """One configured device."""

    name: str
    kind: str
    url: str
    baudrate: int = 115200
    options: Mapping[str, Any] = field(default_factory=dict)


def build_device(settings: DeviceSettings) -> Any:
    """Construct (but do not open) the device a settings entry describes."""
    try:
        target = DEVICE_CLASSES[settings.kind]
    except KeyError:
        raise ValueError(f"unknown device kind {settings.kind!r}; known: {sorted(DEVICE_CLASSES)}") from None
    module_name, class_name = target.split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    transport = Transport(TransportSettings(url=settings.url, baudrate=settings.baudrate))
    return cls(settings.name, transport, **dict(settings.options))
