"""The common shape of a device: a transport joined by composition, a status publisher, one operation at a
time with a deadline and cancellation, and recovery from unplug by reopening with back-off."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

from devices.errors import DeviceBusy, DeviceError, DeviceTimeout, DeviceUnavailable
from devices.operation import CancelToken, Deadline
from devices.status import DeviceState, DeviceStatus, StatusListener, StatusPublisher
from devices.transport import Reconnector, Transport

log = logging.getLogger(__name__)


class StatusOwner:
    """Status plumbing every device shares: the current status, subscriptions, and state changes that
    remember the last non-busy state (to return to after an operation)."""

    kind = "generic"
    name: str

    def _init_status(self, name: str) -> None:
        self._status = StatusPublisher(name)
        self._idle_state = DeviceState.STARTING

    @property
    def status(self) -> DeviceStatus:
        return self._status.current

    def subscribe(self, listener: StatusListener) -> Callable[[], None]:
        return self._status.subscribe(listener)

    def _set_state(self, state: DeviceState, *, error: str | None = None, **detail: Any) -> None:
        if state is not DeviceState.BUSY:
            self._idle_state = state
        if self._status.update(state, last_error=error, **detail):
            log.debug("%s %s: %s (%s)", self.kind, self.name, state.value, error or "ok")


class SerialDevice(StatusOwner):
    """Base for devices on a byte transport. Subclasses add the domain API (read_card, print_receipt...)."""

    def __init__(self, name: str, transport: Transport, *, reconnector: Reconnector | None = None) -> None:
        self.name = name
        self.transport = transport
        self._reconnector = reconnector or Reconnector(transport)
        self._init_status(name)
        self._lock = threading.Lock()
        self.counters: dict[str, int] = {"operations": 0, "errors": 0, "reconnects": 0}

    # -- status ----------------------------------------------------------------------------------
    def capabilities(self) -> dict[str, Any]:
        return {}

    # -- lifecycle -------------------------------------------------------------------------------
    def open(self) -> None:
        """Open the port and probe the device; never raises for a missing device, it shows in the status."""
        self._probe_into_status(missing=DeviceState.NO_DEVICE)

    def refresh_status(self) -> DeviceStatus:
        """Ask the device again (between jobs); never raises. A device in use keeps its current status."""
        if self._lock.acquire(blocking=False):
            try:
                self._probe_into_status(missing=DeviceState.OFFLINE)
            finally:
                self._lock.release()
        return self.status

    def _probe_into_status(self, missing: DeviceState) -> None:
        try:
            self._reconnector.ensure_open()
            self.probe()
        except DeviceUnavailable as error:
            self._set_state(missing, error=error.code)
        except DeviceTimeout as error:  # the port opened but nothing answers: switched off or wrong port
            self._set_state(DeviceState.OFFLINE, error=error.code)
        except DeviceError as error:
            self._set_state(DeviceState.HARDWARE_ERROR, error=error.code)

    def probe(self) -> None:
        """Ask the device whether it is well; subclasses override. Default: an open port means online."""
        self._set_state(DeviceState.ONLINE)

    def close(self) -> None:
        self.transport.close()
        self._set_state(DeviceState.OFFLINE)

    def reconnect_now(self) -> None:
        self._reconnector.reset_backoff()
        self.transport.close()
        self.open()

    def __enter__(self) -> SerialDevice:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- operations ------------------------------------------------------------------------------
    @contextlib.contextmanager
    def operation(self, timeout: float, cancel: CancelToken | None = None) -> Iterator[Deadline]:
        """Run one operation: exclusive, with a deadline; an unplug marks the device offline.

        A device that was unplugged is reopened here (with back-off), so it recovers without a restart.
        """
        if not self._lock.acquire(blocking=False):
            raise DeviceBusy(f"{self.name} is busy")
        try:
            if cancel is not None:
                cancel.raise_if_cancelled()
            was_open = self.transport.is_open
            try:
                self._reconnector.ensure_open()
                if not was_open:
                    self.counters["reconnects"] += 1
                    self.probe()
            except DeviceUnavailable as error:
                self._set_state(DeviceState.OFFLINE, error=error.code)
                raise
            self.counters["operations"] += 1
            self._status.update(DeviceState.BUSY)
            try:
                yield Deadline(timeout)
            except DeviceUnavailable as error:
                self.counters["errors"] += 1
                self._set_state(DeviceState.OFFLINE, error=error.code)
                raise
            except DeviceError as error:
                self.counters["errors"] += 1
                self._status.update(self._idle_state, last_error=error.code)
                raise
            else:
                self._status.update(self._idle_state)
        finally:
            self._lock.release()
