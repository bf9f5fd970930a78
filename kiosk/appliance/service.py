"""The appliance thread of the running kiosk: disk and clock guards, crash-loop detection, the nightly
restart and the software update agent, one tick at a time, never on the GUI thread.

    appliance = ApplianceService.for_runtime(ports)   # None unless started by the launcher (KIOSK_SLOT set)
    appliance.start()   # by KioskRuntime.open()
    appliance.stop()    # by KioskRuntime.close(): an orderly exit, so this start is not counted as a crash

Restarts (nightly, into a new slot, back to the old one) are asked of the GUI through ProcessSignals; the
watchdog pinger hands the request to the event loop and systemd's Restart=always starts the app again.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.appliance.clock import ClockGuard
from kiosk.appliance.conditions import ApplianceConditions
from kiosk.appliance.disk import DiskGuard
from kiosk.appliance.journald import attach_journal
from kiosk.appliance.schedule import NightlyRestart, crash_loop, in_quiet_hours
from kiosk.appliance.watchdog import PROCESS, ProcessSignals
from kiosk.config import KioskConfig
from kiosk.home import KioskHome
from kiosk.technician.outofservice import KIOSK, set_out_of_service
from kiosk.update import boot
from kiosk.update.agent import UpdateAgent, UpdatePorts, UpdateSettings
from kiosk.update.boot import Layout

log = logging.getLogger(__name__)
TICK_S = 15.0


@dataclass(frozen=True)
class AppliancePorts:
    """What the appliance needs of the running kiosk (the composition root binds these)."""

    home: KioskHome
    config: Callable[[], KioskConfig]
    visit_in_progress: Callable[[], bool]
    devices: Callable[[], Mapping[str, Any]]  # open devices by kind
    alert: Callable[[str, dict[str, Any]], None]
    update_ports: Callable[[ApplianceService], UpdatePorts | None]  # None: no fleet enrolment


class ApplianceService:
    def __init__(
        self,
        ports: AppliancePorts,
        layout: Layout,
        slot: str,
        *,
        signals: ProcessSignals = PROCESS,
        clock: Callable[[], float] = time.time,
        local_now: Callable[[], datetime] = datetime.now,
        clock_guard: ClockGuard | None = None,
        disk_guard: DiskGuard | None = None,
    ) -> None:
        config = ports.config().appliance
        self.ports, self.layout, self.slot, self.signals = ports, layout, slot, signals
        self._clock, self._local_now = clock, local_now
        self.conditions = ApplianceConditions(ports.home)
        self.clock_guard = clock_guard or ClockGuard(config.clock_max_jump_s)
        self.disk_guard = disk_guard or DiskGuard(ports.home, layout, config.disk_prune_below_mb,
                                                  config.disk_stop_below_mb, self._download_in_use)  # fmt: skip
        self.nightly = NightlyRestart(config.quiet_hours, config.min_uptime_for_restart_h * 3600, local_now().date())
        self.started_at = time.monotonic()
        self.agent: UpdateAgent | None = None
        self._next_update = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def for_runtime(cls, ports: AppliancePorts, environ: Mapping[str, str] | None = None) -> ApplianceService | None:
        env = os.environ if environ is None else environ
        slot = env.get("KIOSK_SLOT")
        if not slot:
            log.info("not started by the appliance launcher: no guards, no software updates")
            return None
        return cls(ports, Layout.from_environment(env), slot)

    # -- lifecycle -------------------------------------------------------------------------------------
    def start(self) -> ApplianceService:
        attach_journal()
        self.check_crash_loop()
        update_ports = self.ports.update_ports(self)
        if update_ports is not None:
            settings = UpdateSettings(health_window_s=self.ports.config().appliance.update_health_window_s)
            self.agent = UpdateAgent(update_ports, settings)
        self.tick()
        self._thread = threading.Thread(target=self._run, name="appliance", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 10.0) -> None:
        self._stop.set()
        if self.agent is not None:
            self.agent.ports.stop.set()
        if self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout_s)
        boot.mark_clean_exit(self.layout)  # an orderly exit is not a crash

    def _run(self) -> None:
        while not self._stop.wait(self._next_wait()):
            try:
                self.tick()
            except Exception:  # the kiosk keeps serving whatever happens here
                log.exception("appliance tick failed")

    def _next_wait(self) -> float:
        """A tick every TICK_S, sooner when the update agent has its next step due (download done: install)."""
        due = self._next_update - time.monotonic() if self.agent is not None else TICK_S
        return min(TICK_S, max(0.0, due))

    # -- one tick --------------------------------------------------------------------------------------
    def tick(self) -> None:
        report = self.disk_guard.check()
        self.conditions.set("disk", report.stop_reason)
        self.conditions.set("clock", self.clock_guard.check())
        self.conditions.apply()
        self._step_update()
        self._maybe_restart_nightly()

    def _step_update(self) -> None:
        if self.agent is None or time.monotonic() < self._next_update:
            return
        outcome = self.agent.step()
        if outcome.kind == "refused":
            self.conditions.set("rollback", "a failed software update cannot be undone: call a technician")
        self._next_update = time.monotonic() + max(0.0, outcome.next_in)

    def _maybe_restart_nightly(self) -> None:
        config = self.ports.config().appliance
        if not config.nightly_restart:
            return
        now = self._local_now()
        if self.nightly.due(now, time.monotonic() - self.started_at, self.ports.visit_in_progress()):
            self.nightly.mark_done(now)
            self.signals.request_exit("nightly restart")

    def check_crash_loop(self) -> None:
        config = self.ports.config().appliance
        loop = crash_loop(boot.read_starts(self.layout), self._clock(), config.crash_loop_restarts,
                          config.crash_loop_minutes)  # fmt: skip
        if loop is None:
            return
        reason = f"crash loop: {loop.restarts} starts in {config.crash_loop_minutes:g} min"
        # A record of its own actor: it stays until a technician has looked (conditions never clear it).
        set_out_of_service(self.ports.home, KIOSK, reason, "appliance:crash_loop")
        self.ports.alert("crash_loop", {"starts": loop.restarts, "minutes": config.crash_loop_minutes,
                                        "slot": loop.slot or self.slot})  # fmt: skip

    # -- for the update agent --------------------------------------------------------------------------
    def quiet_moment(self) -> bool:
        config = self.ports.config().appliance
        if self.ports.visit_in_progress():
            return False
        return config.updates_outside_quiet_hours or in_quiet_hours(config.quiet_hours, self._local_now())

    def request_exit(self, reason: str) -> None:
        self.signals.request_exit(reason)

    def _download_in_use(self) -> str | None:
        release = self.agent.state.release if self.agent is not None else None
        return (release or {}).get("package", {}).get("sha256")
