"""When the kiosk may disturb nobody: quiet hours, the nightly restart, crash loops.

  in_quiet_hours("02:00-05:00", local_now)          a window may wrap midnight ("23:30-04:00")
  NightlyRestart(...).due(local_now, uptime_s, visit)  once per night, in the quiet hours, nobody mid-visit
  crash_loop(starts, now, restarts=5, minutes=10)   unplanned starts in the window (kiosk.update.boot records them)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any


def quiet_window(text: str) -> tuple[time, time]:
    start, _, end = text.partition("-")
    return time.fromisoformat(start), time.fromisoformat(end)


def in_quiet_hours(window: str, local_now: datetime) -> bool:
    start, end = quiet_window(window)
    now = local_now.time()
    if start <= end:
        return start <= now < end
    return now >= start or now < end  # wraps midnight


def quiet_night(window: str, local_now: datetime) -> date:
    """The date a quiet window started on (the night of 23:30-04:00 at 01:00 belongs to the day before)."""
    start, end = quiet_window(window)
    if start > end and local_now.time() < end:
        return date.fromordinal(local_now.date().toordinal() - 1)
    return local_now.date()


@dataclass
class NightlyRestart:
    """Restart once per quiet night after enough uptime (fresh memory, reopened devices, a clean start)."""

    window: str
    min_uptime_s: float
    done_for: date | None = None  # the night this process was started in or already restarted for

    def due(self, local_now: datetime, uptime_s: float, visit_in_progress: bool) -> bool:
        if not in_quiet_hours(self.window, local_now) or visit_in_progress or uptime_s < self.min_uptime_s:
            return False
        return quiet_night(self.window, local_now) != self.done_for

    def mark_done(self, local_now: datetime) -> None:
        self.done_for = quiet_night(self.window, local_now)


@dataclass(frozen=True)
class CrashLoop:
    restarts: int  # unplanned starts within the window, this one included
    window_s: float
    slot: str | None


def crash_loop(starts: Sequence[dict[str, Any]], now: float, restarts: int, minutes: float) -> CrashLoop | None:
    """A crash loop when the last `restarts` starts all came within `minutes` and none before this one was
    a planned exit (a planned exit marks its start clean: kiosk.update.boot.mark_clean_exit)."""
    window_s = minutes * 60.0
    recent = [entry for entry in starts if now - float(entry.get("at", 0.0)) <= window_s]
    if len(recent) < restarts:
        return None
    earlier = recent[:-1]  # the current start has not ended yet
    if any(entry.get("clean") for entry in earlier[-(restarts - 1) :]):
        return None
    return CrashLoop(len(recent), window_s, recent[-1].get("slot"))
