"""Byte transports opened by URL through one factory (pyserial's serial_for_url).

Real ports (/dev/ttyUSB0, COM3), socket://host:port, hwgrep://VID:PID and the simulator scheme
sim://NAME?... all come through `open_transport`. A transport only moves bytes; framing lives in each
device's protocol module. Raw I/O is logged at DEBUG here and nowhere else.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import serial

from devices.errors import DeviceUnavailable
from devices.operation import CancelToken, Deadline

log = logging.getLogger(__name__)

SIM_HANDLER_PACKAGE = "devices.sim.urlhandler"
if SIM_HANDLER_PACKAGE not in serial.protocol_handler_packages:
    serial.protocol_handler_packages.append(SIM_HANDLER_PACKAGE)

# Reads poll in small slices so cancellation and deadlines are honoured promptly.
_READ_SLICE_S = 0.05


@dataclass(frozen=True)
class TransportSettings:
    url: str
    baudrate: int = 115200
    # Raw I/O at DEBUG shows frames; card frames carry personal data, so devices may turn this off.
    log_payload: bool = False


class Transport:
    """A byte pipe to one device; raises DeviceUnavailable when the port is gone (e.g. USB unplug)."""

    def __init__(
        self,
        settings: TransportSettings,
        opener: Callable[[TransportSettings], serial.SerialBase] | None = None,
    ) -> None:
        self.settings = settings
        self._opener = opener or _open_serial
        self._port: serial.SerialBase | None = None
        self._lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        return self._port is not None and self._port.is_open

    def open(self) -> None:
        if self.is_open:
            return
        try:
            self._port = self._opener(self.settings)
        except (serial.SerialException, OSError, ValueError) as error:
            self._port = None
            raise DeviceUnavailable(f"cannot open {self.settings.url}: {error}") from error
        log.debug("opened %s", self.settings.url)

    def close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except (serial.SerialException, OSError):
                pass
            log.debug("closed %s", self.settings.url)

    def __enter__(self) -> Transport:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _require_port(self) -> serial.SerialBase:
        if self._port is None or not self._port.is_open:
            raise DeviceUnavailable(f"{self.settings.url} is not open")
        return self._port

    def write(self, data: bytes) -> None:
        port = self._require_port()
        self._log("->", data)
        try:
            port.write(data)
            port.flush()
        except (serial.SerialException, OSError) as error:
            self.close()
            raise DeviceUnavailable(f"write to {self.settings.url} failed: {error}") from error

    def discard_input(self) -> None:
        port = self._require_port()
        try:
            port.reset_input_buffer()
        except (serial.SerialException, OSError) as error:
            self.close()
            raise DeviceUnavailable(f"{self.settings.url}: {error}") from error

    def read_some(self, max_bytes: int, deadline: Deadline, cancel: CancelToken | None = None) -> bytes:
        """Return at least one byte (up to max_bytes) or b"" when the deadline passes."""
        port = self._require_port()
        while True:
            if cancel is not None:
                cancel.raise_if_cancelled()
            remaining = deadline.remaining()
            port.timeout = min(_READ_SLICE_S, remaining) if remaining > 0 else 0
            try:
                waiting = port.in_waiting
                chunk = port.read(max(1, min(max_bytes, waiting)) if waiting else 1)
            except (serial.SerialException, OSError) as error:
                self.close()
                raise DeviceUnavailable(f"read from {self.settings.url} failed: {error}") from error
            if chunk:
                self._log("<-", chunk)
                return chunk
            if remaining <= 0:
                return b""

    def _log(self, direction: str, data: bytes) -> None:
        if log.isEnabledFor(logging.DEBUG):
            shown = data.hex(" ") if self.settings.log_payload else f"{len(data)} bytes"
            log.debug("%s %s %s", self.settings.url, direction, shown)


def _open_serial(settings: TransportSettings) -> serial.SerialBase:
    return serial.serial_for_url(settings.url, baudrate=settings.baudrate, timeout=_READ_SLICE_S)


def open_transport(url: str, baudrate: int = 115200) -> Transport:
    """The one factory: a Transport for any URL pyserial or the simulator handler understands."""
    transport = Transport(TransportSettings(url=url, baudrate=baudrate))
    transport.open()
    return transport


class Reconnector:
    """Reopens a transport after an unplug, with exponential back-off so a dead port is not hammered."""

    def __init__(
        self,
        transport: Transport,
        initial_delay: float = 0.5,
        max_delay: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.transport = transport
        self._initial = initial_delay
        self._max = max_delay
        self._clock = clock
        self._delay = initial_delay
        self._next_attempt = 0.0
        self.failures = 0

    def ensure_open(self) -> None:
        """Open the transport if needed; raises DeviceUnavailable while unplugged or backing off."""
        if self.transport.is_open:
            return
        now = self._clock()
        if now < self._next_attempt:
            raise DeviceUnavailable(
                f"{self.transport.settings.url} unavailable; next reopen in {self._next_attempt - now:.1f} s"
            )
        try:
            self.transport.open()
        except DeviceUnavailable:
            self.failures += 1
            self._next_attempt = now + self._delay
            self._delay = min(self._delay * 2, self._max)
            raise
        self._delay = self._initial
        self._next_attempt = 0.0
        self.failures = 0

    def reset_backoff(self) -> None:
        """Allow an immediate reopen (a technician pressed 'reconnect')."""
        self._delay = self._initial
        self._next_attempt = 0.0
