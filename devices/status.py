"""The device status model (after CEN/XFS4IoT) and change-only publication of status events."""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


class DeviceState(enum.StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    NO_DEVICE = "no_device"
    HARDWARE_ERROR = "hardware_error"
    USER_ERROR = "user_error"
    BUSY = "busy"
    STARTING = "starting"

    @property
    def usable(self) -> bool:
        """A device in this state can take a new operation (busy ones will, once free)."""
        return self in (DeviceState.ONLINE, DeviceState.BUSY)


def _frozen(detail: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(detail or {}))


@dataclass(frozen=True)
class DeviceStatus:
    """A snapshot of one device: its state, class-specific detail and the last error's code."""

    state: DeviceState
    detail: Mapping[str, Any] = field(default_factory=lambda: _frozen(None))
    last_error: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "detail", _frozen(self.detail))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DeviceStatus):
            return NotImplemented
        return (self.state, dict(self.detail), self.last_error) == (
            other.state,
            dict(other.detail),
            other.last_error,
        )

    def __hash__(self) -> int:
        return hash((self.state, tuple(sorted(self.detail.items())), self.last_error))

    def to_json(self) -> dict[str, Any]:
        return {"state": self.state.value, "detail": dict(self.detail), "last_error": self.last_error}


StatusListener = Callable[[str, DeviceStatus], None]


class StatusPublisher:
    """Holds a device's current status and tells listeners only when it really changes."""

    def __init__(self, device_name: str, initial: DeviceStatus | None = None) -> None:
        self._name = device_name
        self._status = initial or DeviceStatus(DeviceState.STARTING)
        self._listeners: list[StatusListener] = []
        self._lock = threading.Lock()

    @property
    def current(self) -> DeviceStatus:
        return self._status

    def subscribe(self, listener: StatusListener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def publish(self, status: DeviceStatus) -> bool:
        """Set the status; returns True (and notifies) only if it differs from the current one."""
        with self._lock:
            if status == self._status:
                return False
            self._status = status
            listeners = list(self._listeners)
        for listener in listeners:
            listener(self._name, status)
        return True

    def update(self, state: DeviceState | None = None, *, last_error: str | None = None, **detail: Any) -> bool:
        """Publish a status derived from the current one: a new state and/or merged detail."""
        current = self._status
        merged = dict(current.detail)
        merged.update(detail)
        return self.publish(
            DeviceStatus(state or current.state, merged, last_error if last_error is not None else current.last_error)
        )
