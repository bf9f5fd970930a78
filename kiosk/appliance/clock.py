"""Is the wall clock fit to date documents and check certificate validity?

Two signals, checked every appliance tick:
- synchronisation: the kernel's NTP state (adjtimex STA_UNSYNC - exactly what `timedatectl`'s NTPSynchronized
  reports, kept by chrony or systemd-timesyncd), or chrony's own view (`chronyc -c tracking`, leap status);
- jumps: the wall clock moving against the monotonic clock by more than clock_max_jump_s between two ticks
  (a dead RTC battery after a power cut, a manual change). A jump is trusted once time sync confirms the
  clock (a manual change makes the kernel report unsynchronised until NTP has checked it again).
While either holds the kiosk issues no dated documents: it goes out of service with the reason
(kiosk.appliance.conditions), shown on the technician screen.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass

STA_UNSYNC = 0x0040
TIME_ERROR = 5


class _Timex(ctypes.Structure):
    # struct timex on Linux: modes, then longs offset/freq/maxerror/esterror, then int status; the rest
    # (a dozen longs and padding) is reserved space the kernel may write into.
    _fields_ = [("modes", ctypes.c_uint), ("offset", ctypes.c_long), ("freq", ctypes.c_long),
                ("maxerror", ctypes.c_long), ("esterror", ctypes.c_long), ("status", ctypes.c_int),
                ("_reserved", ctypes.c_byte * 256)]  # fmt: skip


@dataclass(frozen=True)
class ClockSync:
    synchronised: bool | None  # None: no source could tell
    source: str
    detail: str = ""


def kernel_sync() -> ClockSync:
    """adjtimex(2) with modes=0 only reads; needs no privilege and no daemon."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    timex = _Timex()
    state = libc.adjtimex(ctypes.byref(timex))
    if state < 0:
        return ClockSync(None, "kernel", f"adjtimex failed: errno {ctypes.get_errno()}")
    synced = not (timex.status & STA_UNSYNC) and state != TIME_ERROR
    return ClockSync(synced, "kernel", f"maxerror {timex.maxerror} us")


def parse_chrony_tracking(csv_line: str) -> ClockSync:
    """`chronyc -c tracking`: the 14th field is the leap status (Normal, Insert second, Delete second, Not
    synchronised)."""
    fields = csv_line.strip().split(",")
    if len(fields) < 14:
        return ClockSync(None, "chrony", "unreadable tracking output")
    leap = fields[13]
    return ClockSync(leap != "Not synchronised", "chrony", f"leap status {leap}, reference {fields[1]}")


def chrony_sync(run: Callable[..., subprocess.CompletedProcess] = subprocess.run) -> ClockSync:
    if shutil.which("chronyc") is None:
        return ClockSync(None, "chrony", "chronyc not installed")
    try:
        result = run(["chronyc", "-c", "-n", "tracking"], capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return ClockSync(None, "chrony", type(error).__name__)
    if result.returncode != 0:
        return ClockSync(None, "chrony", "chronyd does not answer")
    return parse_chrony_tracking(result.stdout)


def system_sync() -> ClockSync:
    """chrony when it answers (it knows best), else the kernel's flag."""
    chrony = chrony_sync()
    return chrony if chrony.synchronised is not None else kernel_sync()


@dataclass
class ClockGuard:
    max_jump_s: float
    sync: Callable[[], ClockSync] = system_sync
    wall: Callable[[], float] = time.time
    monotonic: Callable[[], float] = time.monotonic
    _offset: float | None = None
    _jumped_by: float | None = None

    def check(self) -> str | None:
        """None when the clock can be trusted, else the reason (for the out-of-service record)."""
        offset = self.wall() - self.monotonic()
        if self._offset is not None and abs(offset - self._offset) > self.max_jump_s:
            self._jumped_by = offset - self._offset
        self._offset = offset
        state = self.sync()
        if state.synchronised is False:
            return f"clock not synchronised ({state.source}: {state.detail})"[:200]
        if self._jumped_by is not None:
            if state.synchronised:
                self._jumped_by = None  # trusted again: synchronised after the jump
                return None
            return f"clock jumped by {self._jumped_by:+.0f} s and is not confirmed by time sync"
        if state.synchronised is None:
            return f"clock synchronisation unknown ({state.detail})"[:200]
        return None
