"""The watchdog glue the UI calls on its GUI thread (no Qt here; ui/ owns the QTimer and the first-frame hook):

    pinger = WatchdogPinger.for_runtime(runtime)
    window's first frame painted  -> pinger.first_frame()        # READY=1 + STATUS=<state>
    QTimer every pinger.interval_ms -> if not pinger.ping(): app.exit(pinger.exit_code)

Pings come from the GUI thread on purpose: a hung event loop stops them and systemd restarts the app. The
appliance thread (kiosk.appliance.service) never pings; it asks the GUI to quit (nightly restart, switch to a
new software slot) through ProcessSignals, and the next ping hands that request to the event loop.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kiosk.appliance.notify import SystemdNotifier
from kiosk.appliance.status import kiosk_status

log = logging.getLogger(__name__)
DEFAULT_INTERVAL_S = 5.0  # without a watchdog the timer still keeps STATUS= current
MIN_INTERVAL_S = 0.05


@dataclass
class ProcessSignals:
    """What the GUI thread and the appliance thread tell each other about this process."""

    ready: threading.Event = field(default_factory=threading.Event)  # the first frame was painted
    ready_at: float | None = None  # time.monotonic() of the first frame
    exit_reason: str | None = None
    exit_code: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def mark_ready(self, at: float) -> None:
        with self._lock:
            if self.ready_at is None:
                self.ready_at = at
        self.ready.set()

    def request_exit(self, reason: str, code: int = 0) -> None:
        """Ask the event loop to quit (systemd's Restart=always starts the app again)."""
        with self._lock:
            if self.exit_reason is None:
                self.exit_reason, self.exit_code = reason, code
        log.info("exit requested: %s", reason)

    @property
    def exit_requested(self) -> bool:
        return self.exit_reason is not None


PROCESS = ProcessSignals()  # one per process: the UI's pinger and the runtime's appliance service share it


class WatchdogPinger:
    """READY at the first frame, WATCHDOG=1 and STATUS= at every ping; call only on the GUI thread."""

    def __init__(
        self,
        notifier: SystemdNotifier,
        status: Callable[[], str],
        *,
        signals: ProcessSignals = PROCESS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.notifier = notifier
        self.signals = signals
        self._status = status
        self._clock = clock
        self._last_status: str | None = None
        self.pings = 0

    @classmethod
    def for_runtime(cls, runtime: Any, *, signals: ProcessSignals = PROCESS) -> WatchdogPinger:
        """The pinger of the running kiosk: systemd's socket from the environment, STATUS from the runtime."""
        return cls(SystemdNotifier.from_environment(), lambda: kiosk_status(runtime), signals=signals)

    @property
    def interval_ms(self) -> int:
        seconds = self.notifier.watchdog_interval_s or DEFAULT_INTERVAL_S
        return max(int(MIN_INTERVAL_S * 1000), int(seconds * 1000))

    @property
    def exit_code(self) -> int:
        return self.signals.exit_code

    def _current_status(self) -> str:
        try:
            return self._status()
        except Exception as error:  # a status that cannot be read must never stop the pings
            return f"status unavailable ({type(error).__name__})"

    def first_frame(self) -> None:
        """The attract screen is on the glass: the service is up."""
        if self.signals.ready.is_set():
            return
        self.signals.mark_ready(self._clock())
        status = self._current_status()
        self._last_status = status
        self.notifier.ready(status)
        log.info("first frame painted; READY sent (%s)", "systemd" if self.notifier.enabled else "no systemd")

    def ping(self) -> bool:
        """One watchdog ping (plus STATUS= when it changed). False once the process was asked to exit."""
        fields = {"WATCHDOG": "1"} if self.notifier.watchdog_interval_s else {}
        status = self._current_status()
        if status != self._last_status:
            fields["STATUS"] = status
            self._last_status = status
        if fields:
            self.notifier.send(fields)
        self.pings += 1
        if self.signals.exit_requested:
            self.notifier.stopping(f"restarting: {self.signals.exit_reason}")
            return False
        return True
