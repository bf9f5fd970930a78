"""Back-off after failed technician logins, counted on the monotonic clock and kept across restarts.

Two back-offs (kiosk.technician.auth decides which an attempt feeds):
  pin     wrong PINs - what anyone at the screen can cause. It never blocks a correct PIN + TOTP pair.
  factor  a right PIN with a wrong TOTP code - someone who knows the PIN is guessing codes: this blocks all.
Each lock lasts 30 s after the 5th failure in a row, doubling with each further one, never more than the
configured maximum.

Why this clock: the wall clock can be moved (a year forward skipped the lock, a year back locked for a
year), so a lock is a deadline on CLOCK_MONOTONIC, which no one can set and which every process of one
boot shares, so a restarted kiosk keeps the same deadline. A new boot starts a new monotonic clock: the
file also stores the remaining time when it was written, and under a new boot id that remainder resumes
from the first look at it (the time the kiosk was off does not count; a reboot cannot shorten a lock).

lockout.json (0600): {"format": 2, "boot_id": ..., "pin": LOCK, "factor": LOCK, "last_totp_step": N}
with LOCK = {"failures": n, "remaining_s": r, "deadline": monotonic s}. Every read-modify-write holds an
flock, so two processes never lose each other's failures. A file that cannot be parsed, or holds any
value out of range, counts as a PIN lock of the full maximum (and TOTP codes of the current window are
refused); nothing in it can crash a login.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import math
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from kiosk.trust.atomic import atomic_write_bytes

MAX_FAILURES = 5
BASE_LOCK_S = 30.0
DEFAULT_MAX_LOCK_S = 900.0
FORMAT = 2
BOOT_ID_FILE = Path("/proc/sys/kernel/random/boot_id")
_MAX_COUNT = 1_000_000

Clock = Callable[[], float]


def read_boot_id() -> str:
    try:
        return BOOT_ID_FILE.read_text(encoding="ascii").strip()[:64]
    except OSError:
        return "unknown"  # every reading is then "a new boot": locks resume from their remainder


def lock_seconds(failures: int, max_lock_s: float = DEFAULT_MAX_LOCK_S) -> float:
    """How long a back-off lasts after `failures` consecutive failures (0 below the limit)."""
    if failures < MAX_FAILURES:
        return 0.0
    return min(BASE_LOCK_S * 2 ** min(failures - MAX_FAILURES, 30), max_lock_s)


@dataclass(frozen=True)
class Lock:
    failures: int = 0
    remaining_s: float = 0.0  # lock time left when written (resumes after a reboot)
    deadline: float = 0.0  # monotonic seconds, meaningful within the boot that wrote it


@dataclass(frozen=True)
class LockoutState:
    boot_id: str
    pin: Lock = Lock()
    factor: Lock = Lock()
    last_totp_step: int = -1  # TOTP codes of this step and before were used (or refused after damage)
    damaged: bool = False


def _lock_from(data: Any, max_lock_s: float) -> Lock:
    failures, remaining, deadline = data["failures"], data["remaining_s"], data["deadline"]
    if not isinstance(failures, int) or isinstance(failures, bool) or not 0 <= failures <= _MAX_COUNT:
        raise ValueError("failures out of range")
    for number in (remaining, deadline):
        if not isinstance(number, int | float) or isinstance(number, bool) or not math.isfinite(number):
            raise ValueError("not a finite number")
    if remaining < 0:
        raise ValueError("negative remaining time")
    return Lock(failures, min(float(remaining), max_lock_s), float(deadline))


def _from_format_1(data: dict[str, Any], max_lock_s: float) -> LockoutState:
    """The wall-clock file of earlier versions: its count is kept, its lock restarts at the nominal length."""
    failures, step = data["failures"], data.get("last_totp_step", -1)
    if not isinstance(failures, int) or isinstance(failures, bool) or not 0 <= failures <= _MAX_COUNT:
        raise ValueError("failures out of range")
    if not isinstance(step, int) or isinstance(step, bool) or not -1 <= step <= 2**40:
        raise ValueError("last_totp_step out of range")
    wait = lock_seconds(failures, max_lock_s)
    return LockoutState("format-1", pin=Lock(failures, wait, 0.0), last_totp_step=step)


def _state_from(data: Any, max_lock_s: float) -> LockoutState:
    if isinstance(data, dict) and "format" not in data and "locked_until" in data:
        return _from_format_1(data, max_lock_s)
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("boot_id"), str):
        raise ValueError("not a lockout file")
    step = data["last_totp_step"]
    if not isinstance(step, int) or isinstance(step, bool) or not -1 <= step <= 2**40:
        raise ValueError("last_totp_step out of range")
    return LockoutState(
        data["boot_id"][:64], _lock_from(data["pin"], max_lock_s), _lock_from(data["factor"], max_lock_s), step
    )


class Lockout:
    def __init__(
        self,
        path: Path,
        *,
        monotonic: Clock = time.monotonic,
        boot_id: Callable[[], str] = read_boot_id,
        max_lock_s: float = DEFAULT_MAX_LOCK_S,
        totp_floor: Callable[[], int] = lambda: -1,
    ) -> None:
        """totp_floor(): the TOTP step up to which codes are refused after the file was found damaged
        (the current window, so a code seen before the damage cannot be replayed)."""
        self.path = path
        self.monotonic = monotonic
        self.boot_id = boot_id
        self.max_lock_s = max_lock_s
        self.totp_floor = totp_floor

    def remaining(self, lock: Lock) -> float:
        """Seconds left on `lock` (read from a state of this boot: see load())."""
        if lock.remaining_s <= 0:
            return 0.0
        return max(0.0, min(lock.deadline - self.monotonic(), lock.remaining_s, self.max_lock_s))

    def failed(self, lock: Lock) -> Lock:
        failures = min(lock.failures + 1, _MAX_COUNT)
        wait = lock_seconds(failures, self.max_lock_s)
        return Lock(failures, wait, self.monotonic() + wait)

    def _damaged(self, boot: str) -> LockoutState:
        wait = self.max_lock_s
        pin = Lock(MAX_FAILURES, wait, self.monotonic() + wait)
        return LockoutState(boot, pin=pin, last_totp_step=self.totp_floor(), damaged=True)

    def _rebased(self, lock: Lock) -> Lock:
        """A lock written under another boot: its remainder starts counting now."""
        left = min(lock.remaining_s, self.max_lock_s)
        return Lock(lock.failures, left, self.monotonic() + left) if left > 0 else Lock(lock.failures)

    def _read(self) -> tuple[LockoutState, bool]:
        """The state, and whether it must be written back (damaged, or from another boot)."""
        boot = self.boot_id()
        try:
            raw = self.path.read_bytes()[:4096]
        except FileNotFoundError:
            return LockoutState(boot), False
        except OSError:
            return self._damaged(boot), True
        try:
            state = _state_from(json.loads(raw), self.max_lock_s)
        except (ValueError, KeyError, TypeError, RecursionError):
            return self._damaged(boot), True
        if state.boot_id == boot:
            return state, False
        return replace(state, boot_id=boot, pin=self._rebased(state.pin), factor=self._rebased(state.factor)), True

    def write(self, state: LockoutState) -> None:
        data = {"format": FORMAT, "boot_id": state.boot_id, "pin": asdict(state.pin),
                "factor": asdict(state.factor), "last_totp_step": state.last_totp_step}  # fmt: skip
        atomic_write_bytes(self.path, json.dumps(data, sort_keys=True).encode("utf-8"), mode=0o600)

    @contextlib.contextmanager
    def locked(self) -> Iterator[LockoutState]:
        """The state under an exclusive flock (held until the block ends); a state that was damaged or
        written under another boot is rewritten first, so its maximum or remainder counts once, from now."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path.with_name(".lockout.lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            state, rewrite = self._read()
            if rewrite:
                self.write(state)
            yield state
        finally:
            os.close(fd)

    def peek(self) -> LockoutState:
        with self.locked() as state:
            return state
