"""The kiosk's open devices by kind, the monitor that keeps their statuses fresh, and replacing some of them
when a configuration changes (close the old one, open the new one in its place)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from devices.registry import DeviceSettings, build_device
from kiosk.config import KioskConfig
from kiosk.monitor import DeviceMonitor

log = logging.getLogger(__name__)


@dataclass
class DeviceSwap:
    reopened: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (name, why)


class DeviceSet:
    def __init__(self) -> None:
        self.by_kind: dict[str, Any] = {}  # shared with the flows' context: replaced devices show at once
        self.monitor: DeviceMonitor | None = None

    def open(self, settings: Iterable[DeviceSettings]) -> DeviceSet:
        for entry in settings:
            self._open(entry)
        return self

    def start_monitor(self) -> None:
        self.monitor = DeviceMonitor(self.by_kind).start()

    def close(self) -> None:
        self._stop_monitor()
        for device in self.by_kind.values():
            device.close()

    def _stop_monitor(self) -> DeviceMonitor | None:
        monitor, self.monitor = self.monitor, None
        if monitor is not None:
            monitor.stop()
        return monitor

    def swap(self, old: KioskConfig, new: KioskConfig, names: Iterable[str]) -> DeviceSwap:
        """Close the old device, open the new one in its place; the monitor is paused meanwhile so it never
        reopens a device that was just closed."""
        monitor = self._stop_monitor()
        result = DeviceSwap()
        try:
            for name in names:
                if name in old.devices and self._close(name, old.devices[name].kind):
                    result.closed.append(name)
                if name in new.devices:
                    entry = next(s for s in new.device_settings() if s.name == name)
                    error = self._open(entry)
                    if error:
                        result.failed.append((name, error))
                    else:
                        result.reopened.append(name)
        finally:
            if monitor is not None:
                self.start_monitor()
        return result

    def _close(self, name: str, kind: str) -> bool:
        device = self.by_kind.get(kind)
        if device is None or getattr(device, "name", name) != name:
            return False  # another device of this kind is the one in use
        del self.by_kind[kind]
        try:
            device.close()
        except Exception as error:  # a device that fails to close is gone either way
            log.warning("closing device %s failed: %s", name, type(error).__name__)
        return True

    def _open(self, settings: DeviceSettings) -> str | None:
        """None when built and opened (opening never raises for a missing device: it shows in the status)."""
        try:
            device = build_device(settings)
        except (ValueError, ImportError) as error:
            log.error("device %s (%s) has no driver: %s", settings.name, settings.kind, error)
            return str(error)
        device.open()
        self.by_kind[settings.kind] = device
        return None
