"""The sd_notify protocol spoken directly: one datagram of "KEY=value" lines to the socket systemd names in
NOTIFY_SOCKET (a path, or "@name" for the abstract namespace). No library: the protocol is a few lines and
the kiosk must start without libsystemd.

    notifier = SystemdNotifier.from_environment()   # a no-op notifier when not run by systemd
    notifier.ready("attract")                       # READY=1 + STATUS=attract
    notifier.watchdog()                             # WATCHDOG=1
    notifier.watchdog_interval_s                    # half of WATCHDOG_USEC, or None when no watchdog

The kiosk runs as cage's client, so its PID is not the service's main PID: the unit has NotifyAccess=all and
the launcher (kiosk.update.boot) sets WATCHDOG_PID to the app's own PID before it execs the app.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass

log = logging.getLogger(__name__)
MAX_STATUS = 200  # systemctl status shows one line; keep it short and bounded


class NotifyError(OSError):
    """The notification socket refused a datagram (systemd gone, socket full)."""


def _address(raw: str) -> str | bytes:
    if raw.startswith("@"):
        return b"\0" + raw[1:].encode()
    if not raw.startswith("/"):
        raise ValueError(f"NOTIFY_SOCKET {raw!r} is neither an absolute path nor an abstract '@name'")
    return raw


def watchdog_usec(environ: Mapping[str, str], pid: int) -> int | None:
    """WATCHDOG_USEC when it is meant for this process (WATCHDOG_PID absent or equal to `pid`)."""
    usec = environ.get("WATCHDOG_USEC", "")
    owner = environ.get("WATCHDOG_PID", "")
    if not usec.isdigit() or int(usec) == 0:
        return None
    if owner and (not owner.isdigit() or int(owner) != pid):
        return None
    return int(usec)


def _clean(value: str) -> str:
    """One line, bounded: a newline would start another assignment in the datagram."""
    return " ".join(str(value).split())[:MAX_STATUS]


@dataclass
class SystemdNotifier:
    """Sends sd_notify datagrams; every method is a silent no-op when `address` is None."""

    address: str | bytes | None
    watchdog_interval_s: float | None = None  # ping at least this often (half the timeout, as sd_watchdog_enabled)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> SystemdNotifier:
        env = os.environ if environ is None else environ
        raw = env.get("NOTIFY_SOCKET", "")
        address = _address(raw) if raw else None
        usec = watchdog_usec(env, os.getpid())
        return cls(address, usec / 2e6 if usec else None)

    @property
    def enabled(self) -> bool:
        return self.address is not None

    def send(self, fields: Mapping[str, str]) -> bool:
        """One datagram with every field; False (logged once at DEBUG) when it cannot be delivered."""
        if self.address is None:
            return False
        payload = "".join(f"{key}={_clean(value)}\n" for key, value in fields.items()).encode("utf-8")
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            try:
                sock.connect(self.address)
                sock.sendall(payload)
            except OSError as error:  # systemd restarting or the socket gone: the next ping tries again
                log.debug("sd_notify %s not delivered: %s", ",".join(fields), error)
                return False
        return True

    def ready(self, status: str | None = None) -> bool:
        fields = {"READY": "1"}
        if status:
            fields["STATUS"] = status
        return self.send(fields)

    def watchdog(self) -> bool:
        return self.send({"WATCHDOG": "1"})

    def status(self, text: str) -> bool:
        return self.send({"STATUS": text})

    def stopping(self, status: str | None = None) -> bool:
        fields = {"STOPPING": "1"}
        if status:
            fields["STATUS"] = status
        return self.send(fields)

    def extend_timeout(self, seconds: float) -> bool:
        """Ask for more start-up time (e.g. while the launcher downgrades a database before the app starts)."""
        return self.send({"EXTEND_TIMEOUT_USEC": str(int(seconds * 1e6))})
