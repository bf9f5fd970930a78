"""A test NOTIFY_SOCKET: a datagram socket bound where systemd would listen, collecting what the kiosk sends,
with the arrival time of each message (waits are bounded by deadlines, never sleeps)."""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Message:
    at: float  # time.monotonic() on arrival
    fields: dict[str, str]


class NotifySocket:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.messages: list[Message] = []

    def close(self) -> None:
        self.sock.close()
        self.path.unlink(missing_ok=True)

    def receive(self, timeout: float) -> Message | None:
        self.sock.settimeout(max(timeout, 0.001))
        try:
            data = self.sock.recv(65536)
        except TimeoutError:
            return None
        fields = dict(line.split("=", 1) for line in data.decode().splitlines() if "=" in line)
        message = Message(time.monotonic(), fields)
        self.messages.append(message)
        return message

    def wait_for(self, key: str, value: str | None = None, timeout: float = 10.0) -> Message:
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            message = self.receive(remaining)
            if message is not None and key in message.fields and (value is None or message.fields[key] == value):
                return message
        raise AssertionError(f"no {key}={value or '*'} within {timeout} s; got {[m.fields for m in self.messages]}")

    def collect(self, duration: float) -> list[Message]:
        """Everything that arrives during `duration` seconds (used to show that pings STOP)."""
        got = []
        deadline = time.monotonic() + duration
        while (remaining := deadline - time.monotonic()) > 0:
            message = self.receive(remaining)
            if message is not None:
                got.append(message)
        return got
