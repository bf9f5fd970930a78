"""Logging for the kiosk process: rotating JSON-lines files under KioskHome.log_dir, with redaction.

Every record becomes one line {"ts", "level", "logger", "message"} (plus "exc" for a traceback). Names are
never logged by design; as a second line of defence anything shaped like an ID number (18 digits, the last
may be X, or an old 15-digit one) keeps only its first 3 and last 4 characters, and mobile numbers (11
digits starting 13-19, optionally +86 and separators) keep first 3 / last 4. The export for technicians
(`export_logs`) applies the same redaction again, so lines written before a rule existed are masked too.
"""

from __future__ import annotations

import gzip
import json
import logging
import logging.handlers
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from contracts.redaction import redact
from kiosk.home import KioskHome

LOG_FILE_NAME = "kiosk.log"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_BACKUPS = 10

class RedactingFilter(logging.Filter):
    """Masks personal numbers in the formatted message (args merged in first, so none slips through)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a broken %-format: keep what we can, masked
            message = f"{record.msg} {record.args}"
        record.msg, record.args = redact(message), ()
        return True


class JsonLineFormatter(logging.Formatter):
    """One JSON object per line; the timestamp is UTC ISO 8601 with milliseconds."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        if record.exc_info:
            entry["exc"] = redact(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exc"] = redact(record.exc_text)
        return json.dumps(entry, ensure_ascii=False)


class _KioskFileHandler(logging.handlers.RotatingFileHandler):
    """Marks the handler this module installed, so a second setup replaces it instead of doubling lines."""

    def _open(self) -> TextIO:  # log files may hold masked references only, still keep them owner-only
        stream = super()._open()
        os.chmod(self.baseFilename, 0o600)
        return stream


def log_file(home: KioskHome) -> Path:
    return home.log_dir / LOG_FILE_NAME


def setup_logging(
    home: KioskHome,
    *,
    level: int = logging.INFO,
    max_bytes: int = DEFAULT_MAX_BYTES,
    backups: int = DEFAULT_BACKUPS,
    root: logging.Logger | None = None,
) -> logging.Handler:
    """Send the process's logs (root logger by default) to rotating JSON-lines files; idempotent."""
    home.log_dir.mkdir(parents=True, exist_ok=True)
    target = root or logging.getLogger()
    for old in [h for h in target.handlers if isinstance(h, _KioskFileHandler)]:
        target.removeHandler(old)
        old.close()
    handler = _KioskFileHandler(log_file(home), maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
    handler.setFormatter(JsonLineFormatter())
    handler.addFilter(RedactingFilter())
    target.addHandler(handler)
    if target.level == logging.NOTSET or target.level > level:
        target.setLevel(level)
    return handler


# -- reading back and export ---------------------------------------------------------------------------
@dataclass(frozen=True)
class LogExport:
    path: Path
    lines: int
    skipped: int  # lines without a readable timestamp (not exported: their age is unknown)
    compressed: bool


def _files_oldest_first(home: KioskHome) -> list[Path]:
    base = log_file(home)
    rotated = sorted(home.log_dir.glob(f"{LOG_FILE_NAME}.*"), key=lambda p: _rotation_index(p), reverse=True)
    return [p for p in rotated if _rotation_index(p) > 0] + ([base] if base.exists() else [])


def _rotation_index(path: Path) -> int:
    suffix = path.name.rsplit(".", 1)[-1]
    return int(suffix) if suffix.isdigit() else 0


def _parse_ts(text: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _redact_entry(entry: dict[str, Any]) -> dict[str, Any]:
    return {key: redact(value) if isinstance(value, str) else value for key, value in entry.items()}


def iter_recent_entries(home: KioskHome, hours: float, now: datetime | None = None) -> Iterator[dict[str, Any] | None]:
    """Redacted entries of the last `hours`, oldest first; None for a line whose time cannot be read."""
    since = (now or datetime.now(UTC)) - timedelta(hours=hours)
    for path in _files_oldest_first(home):
        with path.open(encoding="utf-8", errors="replace") as stream:
            for line in stream:
                if not line.strip():
                    continue
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    yield None
                    continue
                moment = _parse_ts(entry.get("ts")) if isinstance(entry, dict) else None
                if moment is None:
                    yield None
                elif moment >= since:
                    yield _redact_entry(entry)


def recent_entries(
    home: KioskHome, hours: float, limit: int = 1000, now: datetime | None = None
) -> list[dict[str, Any]]:
    """The newest `limit` redacted entries of the last `hours` (for the technician screen)."""
    entries = [e for e in iter_recent_entries(home, hours, now) if e is not None]
    return entries[-limit:] if limit > 0 else entries


def export_logs(
    home: KioskHome,
    hours: float,
    out: Path,
    *,
    compress: bool | None = None,
    now: datetime | None = None,
) -> LogExport:
    """Write the last `hours` of logs, redacted again, to `out` (gzip when asked or when it ends in .gz)."""
    if hours <= 0:
        raise ValueError("hours must be positive")
    compress = out.suffix == ".gz" if compress is None else compress
    out.parent.mkdir(parents=True, exist_ok=True)
    opener: Callable[..., Any] = gzip.open if compress else open
    lines = skipped = 0
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    with opener(out, "wt", encoding="utf-8") as sink:
        for entry in iter_recent_entries(home, hours, now):
            if entry is None:
                skipped += 1
                continue
            sink.write(json.dumps(entry, ensure_ascii=False) + "\n")
            lines += 1
    return LogExport(out, lines, skipped, compress)
