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
    "rewritable_printer": "devices.rewritable.device:RewritablePrinter",
}
# kind -> "module:function" for devices that are not on a byte transport (CUPS queues, cameras): the
# function is called as factory(name, url, **options).
URL_DEVICE_FACTORIES: dict[str, str] = {
    "document_printer": "devices.docprinter:build_document_printer",
    "camera": "devices.registry:build_camera",
    "permit_reader": "devices.permit:build_permit_reader",  # pcsc:// or pcsc://READER%20NAME
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
    if settings.kind in URL_DEVICE_FACTORIES:
        factory = _resolve(URL_DEVICE_FACTORIES[settings.kind])
        return factory(settings.name, settings.url, **dict(settings.options))
    try:
        target = DEVICE_CLASSES[settings.kind]
    except KeyError:
        known = sorted([*DEVICE_CLASSES, *URL_DEVICE_FACTORIES])
        raise ValueError(f"unknown device kind {settings.kind!r}; known: {known}") from None
    cls = _resolve(target)
    transport = Transport(TransportSettings(url=settings.url, baudrate=settings.baudrate))
    return cls(settings.name, transport, **dict(settings.options))


def _resolve(target: str) -> Any:
    module_name, attribute = target.split(":")
    return getattr(importlib.import_module(module_name), attribute)


def build_camera(name: str, url: str, **options: Any) -> Any:
    from devices.camera.device import Camera

    return Camera.from_settings(name, url, options)
