"""A virtual card on the wire of Debian's vsmartcard-vpcd driver: pcscd's virtual reader listens on TCP
(35963 by default) and the card connects to it. Connecting is inserting the card, disconnecting removes it.

    every message, both ways: 2-byte big-endian length, then the payload
    reader -> card, length 1: 00 power off, 01 power on, 02 reset, 04 "send your ATR" (answered)
    reader -> card, longer:   a command APDU, answered with the response APDU

Pacing: an answer leaves no sooner than the contactless link would carry command and response at
`bitrate` (ISO/IEC 14443 at 424 kbit/s by default, 9 bits per byte with parity) plus `apdu_overhead_s` for
the chip's own processing; pacing is off when bitrate is None (unit tests).
"""

from __future__ import annotations

import logging
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

DEFAULT_PORT = 35963
CTRL_OFF, CTRL_ON, CTRL_RESET, CTRL_ATR = 0, 1, 2, 4
# ISO 14443-4 type A ATR for a contactless card as PC/SC part 3 builds it (no historical bytes meaning).
DEFAULT_ATR = bytes.fromhex("3B8880014F5045524D49543160")  # historical bytes "OPERMIT1", TCK 60
MAX_MESSAGE = 0xFFFF
_QUICKACK: int | None = getattr(socket, "TCP_QUICKACK", None)  # Linux only


class CardPulledNow(Exception):
    """Raised by the answer function: drop the connection instead of answering (the card left the field)."""


@dataclass(frozen=True)
class Pacing:
    bitrate: int | None = 424_000
    bits_per_byte: int = 9
    apdu_overhead_s: float = 0.002

    def seconds(self, command: int, response: int) -> float:
        if not self.bitrate:
            return 0.0
        return (command + response) * self.bits_per_byte / self.bitrate + self.apdu_overhead_s


class VpcdCard:
    """One insertion: a connection to vpcd answering with `answer(apdu) -> response` until removed."""

    def __init__(
        self,
        answer: Callable[[bytes], bytes],
        *,
        host: str = "127.0.0.1",
        port: int = DEFAULT_PORT,
        atr: bytes = DEFAULT_ATR,
        on_power: Callable[[int], None] | None = None,
        pacing: Pacing | None = None,
    ) -> None:
        self._answer = answer
        self.address = (host, port)
        self.atr = atr
        self._on_power = on_power
        self.pacing = pacing or Pacing(bitrate=None)
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.ended = threading.Event()  # the connection is gone (removed, pulled, or the reader closed it)
        self.noticed = threading.Event()  # pcscd has talked to this card (it polled its ATR)
        self.apdus = 0

    @property
    def inserted(self) -> bool:
        return self._socket is not None and not self.ended.is_set()

    def insert(self, timeout: float = 5.0, *, wait_noticed: bool = True) -> None:
        """Connect to vpcd (retrying while pcscd starts); ConnectionError when nothing listens in time.

        With wait_noticed (default) it returns once pcscd has polled the card, so the reader's state says
        "present" from then on (pcscd polls about every 400 ms and may first notice an earlier removal)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._socket = socket.create_connection(self.address, timeout=1.0)
                break
            except OSError as error:
                if time.monotonic() >= deadline:
                    raise ConnectionError(f"no virtual reader listens on {self.address[0]}:{self.address[1]}: {error}") from error
                self._stop.wait(0.05)
        self._socket.settimeout(None)
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._thread = threading.Thread(target=self._serve, name="vpcd-card", daemon=True)
        self._thread.start()
        if wait_noticed and not self.noticed.wait(max(0.1, deadline - time.monotonic())):
            self.remove()
            raise ConnectionError(f"pcscd did not poll the virtual card on {self.address[1]} within {timeout:g} s")

    def remove(self) -> None:
        """Take the card away: close the connection (pcscd sees the card removed)."""
        self._stop.set()
        sock, self._socket = self._socket, None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self.ended.set()

    def _receive(self, sock: socket.socket, size: int) -> bytes:
        data = bytearray()
        while len(data) < size:
            chunk = sock.recv(size - len(data))
            if not chunk:
                raise ConnectionError("vpcd closed the connection")
            data += chunk
            # vpcd writes the length and the APDU in two sends: acknowledge at once, or Nagle on its side
            # waits for our delayed ACK and every APDU costs 40 ms.
            if _QUICKACK is not None:
                sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)
        return bytes(data)

    def _send(self, sock: socket.socket, payload: bytes) -> None:
        sock.sendall(struct.pack(">H", len(payload)) + payload)

    def _serve(self) -> None:
        sock = self._socket
        try:
            while sock is not None and not self._stop.is_set():
                (length,) = struct.unpack(">H", self._receive(sock, 2))
                message = self._receive(sock, length)
                self.noticed.set()
                if length == 1:
                    self._control(sock, message[0])
                elif length > 1:
                    self._apdu(sock, message)
        except (OSError, ConnectionError, CardPulledNow) as error:
            log.debug("virtual card connection ended: %s", type(error).__name__)
        finally:
            if sock is not None and self._socket is sock:
                self._socket = None
                sock.close()
            self.ended.set()

    def _control(self, sock: socket.socket, code: int) -> None:
        if code == CTRL_ATR:
            self._send(sock, self.atr)
        elif self._on_power is not None:
            self._on_power(code)

    def _apdu(self, sock: socket.socket, command: bytes) -> None:
        started = time.perf_counter()
        response = self._answer(command)  # may raise CardPulledNow
        self.apdus += 1
        delay = self.pacing.seconds(len(command), len(response)) - (time.perf_counter() - started)
        if delay > 0 and self._stop.wait(delay):
            return
        self._send(sock, response)
