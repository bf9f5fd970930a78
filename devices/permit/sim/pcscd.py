"""A private pcscd with the vsmartcard-vpcd virtual reader, for tests and the demo.

pcsc-lite 1.9 always puts its socket at /run/pcscd/pcscd.comm (clients honour PCSCLITE_CSOCK_NAME, the
daemon does not), so a private daemon runs in its own mount namespace (`unshare --mount`, root only) with a
scratch directory bound over /run/pcscd: its socket appears in the scratch directory, clients reach it with
PCSCLITE_CSOCK_NAME, and a system pcscd is never disturbed. Without unshare (not root) it falls back to the
system location when no other pcscd runs there.

The reader configuration is written to a private reader.conf.d: `DEVICENAME /dev/null:PORT` makes vpcd
listen on PORT (slot 0, reader "Virtual PCD 00 00") and PORT+1 (slot 1) on all interfaces.

    python -m devices.permit.sim.pcscd start [--port N]   prints KEY=VALUE lines (socket, port, reader, pid, dir)
    python -m devices.permit.sim.pcscd stop DIR
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
SYSTEM_SOCKET = Path("/run/pcscd/pcscd.comm")
READER_NAME = "Virtual PCD 00 00"
FIRST_PORT = 35963


class PcscdUnavailable(RuntimeError):
    """pcscd or the vpcd driver is missing, or the daemon did not come up."""


@dataclass(frozen=True)
class RunningPcscd:
    socket_path: Path
    vpcd_port: int
    reader: str
    pid: int
    workdir: Path

    def environment(self) -> dict[str, str]:
        return {
            "PCSCLITE_CSOCK_NAME": str(self.socket_path),
            "KIOSK_TEST_PCSC_SOCKET": str(self.socket_path),
            "KIOSK_TEST_VPCD_PORT": str(self.vpcd_port),
            "KIOSK_TEST_PCSC_READER": self.reader,
            "KIOSK_TEST_PCSCD_PID": str(self.pid),
            "KIOSK_TEST_PCSCD_DIR": str(self.workdir),
        }

    def stop(self) -> None:
        stop(self.workdir)


def _port_pair_free(port: int) -> bool:
    for candidate in (port, port + 1):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("0.0.0.0", candidate))
            except OSError:
                return False
    return True


def free_port_pair(start: int = FIRST_PORT, tries: int = 200) -> int:
    for port in range(start, start + 2 * tries, 2):
        if _port_pair_free(port):
            return port
    raise PcscdUnavailable(f"no two free TCP ports from {start}")


def _can_unshare() -> bool:
    return os.geteuid() == 0 and shutil.which("unshare") is not None


def _command(conf: Path, run_dir: Path, private: bool) -> list[str]:
    pcscd = shutil.which("pcscd") or "/usr/sbin/pcscd"
    daemon = f"exec {pcscd} --foreground --info -c {conf}"
    if not private:
        return ["sh", "-c", daemon]
    script = f"mount --bind {run_dir} /run/pcscd && {daemon}"
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", script]


def start(port: int | None = None, timeout: float = 10.0) -> RunningPcscd:
    """Start a pcscd with one vpcd reader pair; returns when the daemon's socket accepts clients."""
    if not VPCD_DRIVER.exists() or not (shutil.which("pcscd") or Path("/usr/sbin/pcscd").exists()):
        raise PcscdUnavailable("pcscd and vsmartcard-vpcd are needed: apt-get install pcscd vsmartcard-vpcd")
    port = port or free_port_pair()
    workdir = Path(tempfile.mkdtemp(prefix="kiosk-pcscd-"))
    conf, run_dir = workdir / "reader.conf.d", workdir / "run"
    conf.mkdir()
    run_dir.mkdir()
    (conf / "vpcd").write_text(
        f'FRIENDLYNAME "Virtual PCD"\nDEVICENAME   /dev/null:{port}\nLIBPATH      {VPCD_DRIVER}\nCHANNELID    {port}\n'
    )
    private = _can_unshare()
    if private:
        Path("/run/pcscd").mkdir(parents=True, exist_ok=True)
        socket_path = run_dir / "pcscd.comm"
    else:
        if SYSTEM_SOCKET.exists():
            raise PcscdUnavailable("a system pcscd runs and a private one needs root (unshare)")
        socket_path = SYSTEM_SOCKET
    log = (workdir / "pcscd.log").open("wb")
    process = subprocess.Popen(_command(conf, run_dir, private), stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    (workdir / "daemon.pid").write_text(str(process.pid))
    _wait_ready(process, socket_path, workdir / "pcscd.log", timeout)
    return RunningPcscd(socket_path, port, READER_NAME, process.pid, workdir)


def _wait_ready(process: subprocess.Popen[bytes], socket_path: Path, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise PcscdUnavailable(f"pcscd exited ({process.returncode}): {log.read_text(errors='replace')[-400:]}")
        if socket_path.exists() and b"daemon ready" in log.read_bytes():
            return
        time.sleep(0.05)
    process.kill()
    raise PcscdUnavailable(f"pcscd did not become ready in {timeout:g} s")


def stop(workdir: Path) -> None:
    """Stop the daemon started in `workdir` (by its pid) and remove the directory."""
    pid_file = workdir / "daemon.pid"
    if pid_file.exists():
        pid = int(pid_file.read_text())
        try:
            os.kill(pid, signal.SIGTERM)
            for _ in range(100):
                os.kill(pid, 0)
                time.sleep(0.02)
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
    shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devices.permit.sim.pcscd")
    commands = parser.add_subparsers(dest="command", required=True)
    start_parser = commands.add_parser("start")
    start_parser.add_argument("--port", type=int, default=None, help="vpcd port (default: first free pair from 35963)")
    stop_parser = commands.add_parser("stop")
    stop_parser.add_argument("workdir", type=Path)
    args = parser.parse_args(argv)
    if args.command == "stop":
        stop(args.workdir)
        return 0
    try:
        running = start(args.port)
    except PcscdUnavailable as error:
        print(f"pcscd: {error}", file=sys.stderr)
        return 1
    for key, value in running.environment().items():
        print(f"{key}={value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
