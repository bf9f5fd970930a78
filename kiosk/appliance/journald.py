"""Logging to the systemd journal in its native protocol (one datagram of fields per record to
/run/systemd/journal/socket), beside the JSON-lines files `kiosk diag logs` reads.

Each record carries MESSAGE, PRIORITY, SYSLOG_IDENTIFIER=police-kiosk and the JSON entry's fields in upper
case (LOGGER, LEVEL, KIOSK_SLOT, CODE_FILE, CODE_LINE, THREAD, EXCEPTION), so `journalctl -u police-kiosk -o json`
is machine-readable. The same redaction as the files applies (kiosk.logs.RedactingFilter) and values are
bounded, so a record always fits one datagram. The journal's own size limits live in the package's
journald.conf.d drop-in.
"""

from __future__ import annotations

import logging
import os
import socket
import struct
from collections.abc import Mapping
from pathlib import Path

from contracts.redaction import redact
from kiosk.logs import RedactingFilter

JOURNAL_SOCKET = Path("/run/systemd/journal/socket")
IDENTIFIER = "police-kiosk"
MAX_MESSAGE = 8 * 1024
MAX_EXCEPTION = 32 * 1024
_PRIORITY = {logging.CRITICAL: 2, logging.ERROR: 3, logging.WARNING: 4, logging.INFO: 6, logging.DEBUG: 7}


def encode_fields(fields: Mapping[str, str]) -> bytes:
    """The native protocol: KEY=value\\n, or KEY\\n<64-bit LE length><value>\\n for values with newlines."""
    out = bytearray()
    for key, value in fields.items():
        data = value.encode("utf-8", "replace")
        if b"\n" in data:
            out += key.encode("ascii") + b"\n" + struct.pack("<Q", len(data)) + data + b"\n"
        else:
            out += key.encode("ascii") + b"=" + data + b"\n"
    return bytes(out)


def decode_fields(datagram: bytes) -> dict[str, str]:
    """The inverse of encode_fields (for tests and for reading a capture)."""
    fields: dict[str, str] = {}
    position = 0
    while position < len(datagram):
        end = datagram.index(b"\n", position)
        line = datagram[position:end]
        if b"=" in line:
            key, _, value = line.partition(b"=")
            fields[key.decode()] = value.decode("utf-8", "replace")
            position = end + 1
        else:
            (length,) = struct.unpack("<Q", datagram[end + 1 : end + 9])
            fields[line.decode()] = datagram[end + 9 : end + 9 + length].decode("utf-8", "replace")
            position = end + 9 + length + 1
    return fields


class JournalHandler(logging.Handler):
    """Never raises into the caller: a journal that is gone only drops records (the files still have them)."""

    def __init__(self, socket_path: Path = JOURNAL_SOCKET, extra: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.socket_path = socket_path
        self.extra = dict(extra or {})
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
        self.addFilter(RedactingFilter())

    def fields(self, record: logging.LogRecord) -> dict[str, str]:
        fields = {
            "MESSAGE": redact(record.getMessage())[:MAX_MESSAGE],
            "PRIORITY": str(_PRIORITY.get(record.levelno, 6)),
            "SYSLOG_IDENTIFIER": IDENTIFIER,
            "LOGGER": record.name[:200],
            "LEVEL": record.levelname,
            "CODE_FILE": record.pathname[-200:],
            "CODE_LINE": str(record.lineno),
            "CODE_FUNC": record.funcName[:100],
            "THREAD": (record.threadName or "")[:100],
            **self.extra,
        }
        if record.exc_info:
            formatter = self.formatter or logging.Formatter()
            fields["EXCEPTION"] = redact(formatter.formatException(record.exc_info))[:MAX_EXCEPTION]
        return fields

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._socket.sendto(encode_fields(self.fields(record)), str(self.socket_path))
        except OSError:
            pass  # journald restarting or absent: the JSON-lines file keeps the record
        except Exception:
            self.handleError(record)

    def close(self) -> None:
        self._socket.close()
        super().close()


def attach_journal(
    root: logging.Logger | None = None, socket_path: Path = JOURNAL_SOCKET, environ: Mapping[str, str] | None = None
) -> JournalHandler | None:
    """Add a JournalHandler to the root logger when a journal socket exists; idempotent."""
    env = os.environ if environ is None else environ
    target = root or logging.getLogger()
    for handler in target.handlers:
        if isinstance(handler, JournalHandler):
            return handler
    if not socket_path.exists():
        return None
    extra = {"KIOSK_SLOT": env["KIOSK_SLOT"]} if env.get("KIOSK_SLOT") else {}
    handler = JournalHandler(socket_path, extra)
    target.addHandler(handler)
    return handler
