"""The base of every simulator: bytes in from the host, bytes out in chunks, plug state."""

from __future__ import annotations

import collections
import threading
from typing import Any


class SimulatorEngine:
    """A simulated device. Subclasses implement `receive` and answer through `emit`.

    Output is kept as a queue of chunks so a scenario can dribble a reply byte by byte; a reader gets at
    most one chunk per read, as it would from a slow UART.
    """

    kind = "generic"

    def __init__(self) -> None:
        self._chunks: collections.deque[bytes] = collections.deque()
        self._cond = threading.Condition()
        self._plugged = True
        self.received = bytearray()  # everything the host sent, for tests and the control window

    # -- host side -------------------------------------------------------------------------------
    def receive(self, data: bytes) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def write_from_host(self, data: bytes) -> None:
        with self._cond:
            if not self._plugged:
                raise ConnectionError(f"{self.kind} simulator is unplugged")
            self.received.extend(data)
        self.receive(data)

    def read_to_host(self, max_bytes: int, timeout: float | None) -> bytes:
        """Block up to `timeout` for output; return at most one queued chunk (or part of it)."""
        with self._cond:
            if not self._cond.wait_for(lambda: self._chunks or not self._plugged, timeout):
                return b""
            if not self._plugged:
                raise ConnectionError(f"{self.kind} simulator is unplugged")
            chunk = self._chunks.popleft()
            if len(chunk) > max_bytes:
                self._chunks.appendleft(chunk[max_bytes:])
                chunk = chunk[:max_bytes]
            return chunk

    def pending_output(self) -> int:
        with self._cond:
            return len(self._chunks[0]) if self._chunks else 0

    def discard_output(self) -> None:
        with self._cond:
            self._chunks.clear()

    # -- device side -----------------------------------------------------------------------------
    def emit(self, data: bytes, chunk_size: int | None = None) -> None:
        if not data:
            return
        step = chunk_size or len(data)
        with self._cond:
            for start in range(0, len(data), step):
                self._chunks.append(bytes(data[start : start + step]))
            self._cond.notify_all()

    # -- physical events (tests, the demo's control window) ----------------------------------------
    @property
    def plugged(self) -> bool:
        return self._plugged

    def unplug(self) -> None:
        with self._cond:
            self._plugged = False
            self._chunks.clear()
            self._cond.notify_all()

    def plug(self) -> None:
        with self._cond:
            self._plugged = True
            self._cond.notify_all()

    def describe(self) -> dict[str, Any]:
        """A summary for the control window and `kiosk diag`."""
        return {"kind": self.kind, "plugged": self._plugged}
