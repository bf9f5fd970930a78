"""Disk nearly full: prune what can go, in this order, and only then go out of service.

  1. rotated log files (kiosk.log.N, oldest first; the live file stays)
  2. database copies kept before a migration (*.before-REV), all but the newest of each database
  3. update downloads no release is waiting for
  4. a software slot nobody boots (neither primary, previous nor on trial), then the previous slot
The journal and the print spool are never pruned: they are what must keep working. When free space stays
under the stop threshold the kiosk goes out of service (kiosk.appliance.conditions) with the reason.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from kiosk.home import KioskHome
from kiosk.logs import LOG_FILE_NAME
from kiosk.update.boot import SLOTS, Layout, read_boot_state, write_boot_state
from kiosk.update.download import downloads_dir

log = logging.getLogger(__name__)
MB = 1024 * 1024


class Usage(NamedTuple):
    total: int
    used: int
    free: int


@dataclass(frozen=True)
class DiskReport:
    free_mb: float
    pruned: tuple[str, ...] = ()
    stop_reason: str | None = None


@dataclass
class DiskGuard:
    home: KioskHome
    layout: Layout | None
    prune_below_mb: int
    stop_below_mb: int
    download_in_use: Callable[[], str | None] = lambda: None  # sha256 of a package the updater still needs
    usage: Callable[[Path], Usage] = field(default=shutil.disk_usage)  # type: ignore[assignment]

    def free_mb(self) -> float:
        return self.usage(self.home.root).free / MB

    def check(self) -> DiskReport:
        free = self.free_mb()
        if free >= self.prune_below_mb:
            return DiskReport(free)
        pruned: list[str] = []
        for prune in (self._old_logs, self._migration_copies, self._downloads, self._slots):
            pruned += prune()
            free = self.free_mb()
            if free >= self.prune_below_mb:
                break
        if pruned:
            log.warning("disk nearly full: pruned %d item(s), %.0f MB free now", len(pruned), free)
        stop = f"disk nearly full ({free:.0f} MB free)" if free < self.stop_below_mb else None
        return DiskReport(free, tuple(pruned), stop)

    def _old_logs(self) -> list[str]:
        rotated = sorted(self.home.log_dir.glob(f"{LOG_FILE_NAME}.*"), key=_rotation, reverse=True)
        return [_remove(path) for path in rotated if _rotation(path) > 0]

    def _migration_copies(self) -> list[str]:
        removed = []
        for database in ("journal.sqlite3", "audit.sqlite3"):
            copies = sorted(self.home.root.glob(f"{database}.before-*"), key=lambda p: p.stat().st_mtime)
            removed += [_remove(path) for path in copies[:-1]]
        return removed

    def _downloads(self) -> list[str]:
        if self.layout is None or not downloads_dir(self.layout.update_dir).is_dir():
            return []
        keep = self.download_in_use()
        return [_remove(path) for path in downloads_dir(self.layout.update_dir).iterdir()
                if keep is None or not path.name.startswith(keep)]  # fmt: skip

    def _slots(self) -> list[str]:
        if self.layout is None:
            return []
        state = read_boot_state(self.layout)
        busy = {state.primary, (state.trying or {}).get("slot")}
        unused = [slot for slot in SLOTS if slot not in busy and slot != state.previous]
        removed = [_remove(self.layout.slot_dir(slot)) for slot in unused if self.layout.slot_dir(slot).exists()]
        if self.free_mb() < self.prune_below_mb and state.previous in SLOTS and state.previous not in busy:
            state.previous, slot = None, state.previous
            write_boot_state(self.layout, state)  # forgotten first, so nothing boots a half-removed tree
            removed.append(_remove(self.layout.slot_dir(slot)))
        return removed


def _rotation(path: Path) -> int:
    suffix = path.name.rsplit(".", 1)[-1]
    return int(suffix) if suffix.isdigit() else 0


def _remove(path: Path) -> str:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
    return path.name
