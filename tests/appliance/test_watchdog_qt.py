"""The watchdog on a real Qt event loop, against a test NOTIFY_SOCKET: READY once the first frame is
painted, WATCHDOG=1 at the timer's pace, no ping while the GUI thread is blocked (other threads running),
pings again once it is free, and a restart request quits the event loop with its code. Then the real
kiosk app (`python -m ui`, offscreen) under the same socket: READY with its state, then regular pings."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from PySide6.QtCore import QObject

from kiosk.appliance.watchdog import PROCESS
from tests.appliance.notify_socket import NotifySocket
from ui.watchdog import start_watchdog

INTERVAL_S = 0.1  # WATCHDOG_USEC / 2


class Collector(threading.Thread):
    """Receives on the socket in the background, stamping each message with its arrival time."""

    def __init__(self, server: NotifySocket) -> None:
        super().__init__(daemon=True)
        self.server, self.running = server, True

    def run(self) -> None:
        while self.running:
            self.server.receive(0.05)

    def fields(self, key: str) -> list[dict[str, str]]:
        return [m.fields for m in list(self.server.messages) if key in m.fields]

    def pings_between(self, start: float, end: float) -> int:
        return sum(1 for m in list(self.server.messages) if "WATCHDOG" in m.fields and start <= m.at <= end)


@pytest.fixture
def notify(tmp_path, monkeypatch):
    server = NotifySocket(tmp_path / "notify")
    monkeypatch.setenv("NOTIFY_SOCKET", str(server.path))
    monkeypatch.setenv("WATCHDOG_USEC", str(int(INTERVAL_S * 2e6)))
    monkeypatch.setenv("WATCHDOG_PID", str(os.getpid()))
    collector = Collector(server)
    collector.start()
    yield collector
    collector.running = False
    collector.join(2)
    server.close()


class Runtime:
    ready = threading.Event()

    def service_availability(self):
        return {"temp_id": (True, None)}


class App(QObject):
    """The QApplication's exit(), recorded: a nested test event loop must not be told to quit."""

    def __init__(self) -> None:
        super().__init__()
        self.exit_codes: list[int] = []

    def exit(self, code: int) -> None:
        self.exit_codes.append(code)


def test_pings_come_from_the_gui_thread_and_stop_while_it_is_blocked(qtbot, notify):
    Runtime.ready.set()
    app = App()
    pinger, timer = start_watchdog(app, Runtime())
    assert timer.interval() == 100
    pinger.first_frame()
    qtbot.waitUntil(lambda: notify.fields("READY") == [{"READY": "1", "STATUS": "attract"}], timeout=5000)
    qtbot.waitUntil(lambda: notify.pings_between(0, time.monotonic()) >= 5, timeout=5000)
    blocked_from = time.monotonic()
    threading.Event().wait(1.0)  # the GUI thread is stuck (a hung slot); the collector thread keeps running
    blocked_to = time.monotonic()
    assert notify.pings_between(blocked_from + INTERVAL_S, blocked_to) == 0
    qtbot.waitUntil(lambda: notify.pings_between(blocked_to, time.monotonic()) >= 3, timeout=5000)
    after = [m.at for m in list(notify.server.messages) if "WATCHDOG" in m.fields and m.at > blocked_to]
    assert all(b - a < INTERVAL_S * 5 for a, b in itertools.pairwise(after))  # regular again


def test_a_restart_request_quits_the_event_loop_at_the_next_ping(qtbot, notify):
    app = App()
    _pinger, timer = start_watchdog(app, Runtime())
    try:
        PROCESS.request_exit("nightly restart", code=0)
        qtbot.waitUntil(lambda: app.exit_codes == [0], timeout=5000)
        assert not timer.isActive()
        qtbot.waitUntil(lambda: [f["STATUS"] for f in notify.fields("STOPPING")] == ["restarting: nightly restart"],
                        timeout=5000)  # fmt: skip
    finally:
        PROCESS.exit_reason, PROCESS.exit_code = None, 0


def test_the_real_kiosk_app_sends_ready_and_pings(tmp_path):
    server = NotifySocket(tmp_path / "notify")
    env = {**os.environ, "NOTIFY_SOCKET": str(server.path), "WATCHDOG_USEC": "400000", "QT_QPA_PLATFORM": "offscreen",
           "KIOSK_HOME": str(tmp_path / "home")}  # fmt: skip
    env.pop("WATCHDOG_PID", None)
    process = subprocess.Popen([sys.executable, "-m", "ui", "--home", str(tmp_path / "home")], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    try:
        ready = server.wait_for("READY", timeout=60)
        assert ready.fields["STATUS"] == "starting" or ready.fields["STATUS"].startswith("attract")
        pings = [server.wait_for("WATCHDOG", timeout=10) for _ in range(4)]
        assert all(b.at - a.at < 2.0 for a, b in itertools.pairwise(pings))
        server.wait_for("STATUS", timeout=60)  # the core came up after the first frame: the state changed
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
        server.close()
