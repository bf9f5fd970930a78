"""A stand-in for systemd for the appliance benchmark (this machine has no systemd as PID 1): it reads the
installed police-kiosk.service, starts its ExecStart as the kiosk user with the unit's environment, a notify
socket and WATCHDOG_USEC, follows READY/WATCHDOG/STATUS like systemd does with NotifyAccess=all, kills the
whole session when the pings stop for WatchdogSec, and restarts it when it ends (Restart=always). cage
runs on wlroots' headless backend (no display here); everything else is the installed package."""

from __future__ import annotations

import os
import pwd
import shlex
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

UNIT = Path("/usr/lib/systemd/system/police-kiosk.service")
RUN = Path("/run/police-kiosk-bench")


@dataclass
class Event:
    at: float
    kind: str  # start | ready | status | watchdog_timeout | exit
    detail: str = ""


def unit_settings(unit: Path = UNIT) -> tuple[list[str], dict[str, str]]:
    """ExecStart= and the Environment= assignments of the installed unit."""
    command: list[str] = []
    environment: dict[str, str] = {}
    for line in unit.read_text().splitlines():
        if line.startswith("ExecStart="):
            command = shlex.split(line.removeprefix("ExecStart="))
        elif line.startswith("Environment="):
            for assignment in shlex.split(line.removeprefix("Environment=")):
                key, _, value = assignment.partition("=")
                environment[key] = value
    return command, environment


@dataclass
class Supervisor:
    watchdog_s: float = 10.0
    restart_s: float = 1.0
    events: list[Event] = field(default_factory=list)
    process: subprocess.Popen | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _last_ping: float = 0.0
    _ready: bool = False

    def __post_init__(self) -> None:
        user = pwd.getpwnam("kiosk")
        RUN.mkdir(mode=0o755, parents=True, exist_ok=True)
        self.runtime_dir = RUN / "xdg"
        self.runtime_dir.mkdir(mode=0o700, exist_ok=True)
        os.chown(self.runtime_dir, user.pw_uid, user.pw_gid)
        self.socket_path = RUN / "notify"
        self.socket_path.unlink(missing_ok=True)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(self.socket_path))
        self.socket_path.chmod(0o666)  # NotifyAccess=all: the app, cage's child, sends to it
        self.sock.settimeout(0.2)
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> Supervisor:
        self._spawn()
        self._thread.start()
        return self

    def _spawn(self) -> None:
        command, environment = unit_settings()
        environment.update({
            "NOTIFY_SOCKET": str(self.socket_path), "WATCHDOG_USEC": str(int(self.watchdog_s * 1e6)),
            "XDG_RUNTIME_DIR": str(self.runtime_dir), "HOME": "/var/lib/police-kiosk", "PATH": "/usr/bin:/bin",
            "WLR_BACKENDS": "headless", "WLR_RENDERER": "pixman", "WLR_LIBINPUT_NO_DEVICES": "1",
            "LANG": "C.UTF-8",
        })  # fmt: skip
        env_args = [f"{key}={value}" for key, value in environment.items()]
        argv = ["runuser", "-u", "kiosk", "--", "env", "-i", *env_args, *command]
        self._ready, self._last_ping = False, time.monotonic()
        self.process = subprocess.Popen(argv, start_new_session=True, stdout=subprocess.DEVNULL,
                                        stderr=open(RUN / "session.log", "ab"))  # fmt: skip
        self.events.append(Event(time.monotonic(), "start"))

    def _kill(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGABRT)  # systemd's WatchdogSignal, then SIGKILL
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._receive()
            now = time.monotonic()
            if self.process is not None and self.process.poll() is not None:
                self.events.append(Event(now, "exit", str(self.process.returncode)))
                self._stop.wait(self.restart_s)
                if not self._stop.is_set():
                    self._spawn()
            elif self._ready and now - self._last_ping > self.watchdog_s:
                self.events.append(Event(now, "watchdog_timeout"))
                self._kill()

    def _receive(self) -> None:
        try:
            data = self.sock.recv(65536).decode("utf-8", "replace")
        except TimeoutError:
            return
        fields = dict(line.split("=", 1) for line in data.splitlines() if "=" in line)
        now = time.monotonic()
        if fields.get("READY") == "1":
            self._ready, self._last_ping = True, now
            self.events.append(Event(now, "ready", fields.get("STATUS", "")))
        if fields.get("WATCHDOG") == "1":
            self._last_ping = now
        if "STATUS" in fields and fields.get("READY") != "1":
            self.events.append(Event(now, "status", fields["STATUS"]))

    def wait_for(self, kind: str, after: float, timeout: float) -> Event:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in list(self.events):
                if event.kind == kind and event.at >= after:
                    return event
            self._stop.wait(0.1)
        raise TimeoutError(f"no {kind} within {timeout} s; events {[(e.kind, e.detail) for e in self.events[-8:]]}")

    def app_pid(self) -> int:
        """The kiosk app (cage's child): the kiosk user's process running `python -m ui`."""
        uid = pwd.getpwnam("kiosk").pw_uid
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                cmdline = (entry / "cmdline").read_bytes().split(b"\0")
                owner = entry.stat().st_uid
            except OSError:
                continue
            if owner == uid and b"-m" in cmdline and b"ui" in cmdline:
                return int(entry.name)
        raise LookupError("the kiosk app is not running")

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._kill()
        self.sock.close()
        self.socket_path.unlink(missing_ok=True)
