"""The GUI thread's side of systemd's watchdog (the logic is kiosk.appliance.watchdog): READY=1 when the first
frame is on the glass, WATCHDOG=1 from a QTimer, so a blocked event loop stops the pings; a restart the
appliance asks for (nightly, new software slot) quits the event loop here."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer

from kiosk.appliance.watchdog import WatchdogPinger


def start_watchdog(app: QCoreApplication, runtime: Any) -> tuple[WatchdogPinger, QTimer]:
    """Ping from now on; call pinger.first_frame() once the first frame is painted."""
    pinger = WatchdogPinger.for_runtime(runtime)
    timer = QTimer(app)
    timer.setInterval(pinger.interval_ms)

    def tick() -> None:
        if not pinger.ping():
            timer.stop()
            app.exit(pinger.exit_code)

    timer.timeout.connect(tick)
    timer.start()
    return pinger, timer
