"""The kiosk as an appliance, measured on this machine with the real package (run as root; it installs the
package system-wide and purges it at the end):

  package      build time and size of the full package (and of the core variant CI installs)
  install      dpkg -i time
  start        service start (ExecStart of the installed unit, cage on wlroots' headless backend) to READY=1
  hang         the app's event loop stopped (SIGSTOP): watchdog timeout, kill, restart, READY again
  update       a new release from a fleet server on loopback: download, install into the slot, switch
               (restart into it), health window, commit - each phase timed
  rollback     a release whose app crashes at start: three trial starts, the launcher falls back, reported
The service manager is benchmarks/appliance_session.py (this machine has no systemd as PID 1).
Run: .venv/bin/python benchmarks/bench_appliance.py [--skip-rollback] [--health-window 10]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from appliance_session import Supervisor

from kiosk.config import ApplianceConfig, default_config, document_payload
from server.fleet import BackgroundServer, FleetSettings

REPO = Path(__file__).resolve().parents[1]
ROOT = Path("/var/lib/police-kiosk")
TOKEN = "bench-appliance-admin-token"


def timed(label: str, results: dict, command: list[str], **kwargs) -> subprocess.CompletedProcess:
    started = time.monotonic()
    result = subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)
    results[label] = round(time.monotonic() - started, 1)
    return result


def build(version: str, out: Path, results: dict, label: str, *extra: str) -> Path:
    result = timed(label, results, [sys.executable, str(REPO / "packaging/build.py"), "--version", version,
                                    "--out", str(out), *extra])  # fmt: skip
    return Path(result.stdout.strip().splitlines()[-1].split(" ")[0])


def as_kiosk(*args: str, stdin: str | None = None) -> str:
    return subprocess.run(["runuser", "-u", "kiosk", "--", "kiosk", *args], check=True, capture_output=True,
                          text=True, input=stdin).stdout  # fmt: skip


def admin(*args: str) -> str:
    return subprocess.run([sys.executable, "-m", "kiosk.admin.cli", *args], check=True, capture_output=True,
                          text=True).stdout  # fmt: skip


def provision(work: Path, fleet_url: str, health_window_s: float) -> None:
    """Trust root, a signed configuration that allows switching at any quiet moment, fleet enrolment."""
    keys = work / "keys"
    admin("keygen", "--out", str(keys), "--name", "admin")
    shutil.copy(keys / "admin.pub", "/tmp/police-kiosk-bench-admin.pub")
    os.chmod("/tmp/police-kiosk-bench-admin.pub", 0o644)
    as_kiosk("config", "init", "--kiosk-id", "K-BENCH", "--trust", "/tmp/police-kiosk-bench-admin.pub",
             "--channel", "bench")  # fmt: skip
    appliance = ApplianceConfig(updates_outside_quiet_hours=True, update_health_window_s=health_window_s,
                                nightly_restart=False)  # fmt: skip
    payload = document_payload(default_config().model_copy(update={"appliance": appliance}))
    (work / "payload.json").write_text(json.dumps(payload, ensure_ascii=False))
    admin("sign", "--key", str(keys / "admin.key"), "--in", str(work / "payload.json"), "--version", "1",
          "--for", "K-BENCH", "--expires", "+30d", "--out", "/tmp/police-kiosk-bench-config.json")  # fmt: skip
    os.chmod("/tmp/police-kiosk-bench-config.json", 0o644)
    as_kiosk("config", "apply", "/tmp/police-kiosk-bench-config.json")
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {TOKEN}"
    token = http.post(f"{fleet_url}/api/v1/enrolment-tokens", json={"kiosk_id": "K-BENCH"}, timeout=10).json()
    as_kiosk("fleet", "enrol", "--server", fleet_url, "--token", token["token"])


def publish(work: Path, fleet_url: str, package: Path, version: int) -> None:
    keys = work / "keys"
    release = work / f"release-{version}.json"
    admin("release", "make", "--package", str(package), "--key", str(keys / "admin.key"), "--version", str(version),
          "--for", "K-BENCH", "--expires", "+7d", "--out", str(release))  # fmt: skip
    out = admin("release", "upload", "--server", fleet_url, "--token", TOKEN, "--package", str(package),
                "--document", str(release))  # fmt: skip
    document_id = int(out.split("release document ")[1].split(":")[0])
    requests.post(f"{fleet_url}/api/v1/assignments", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10,
                  json={"document_id": document_id, "target_kind": "kiosk", "target": "K-BENCH"})  # fmt: skip


def wait_phase(wanted: set[str], timeout: float) -> tuple[str, float]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            phase = json.loads((ROOT / "update" / "state.json").read_text())["phase"]
        except (OSError, ValueError, KeyError):
            phase = ""
        if phase in wanted:
            return phase, time.monotonic()
        time.sleep(0.2)  # a benchmark polling a file, not a test
    raise TimeoutError(f"update phase not in {wanted} within {timeout} s")


def wait_report(fleet_url: str, status: str, timeout: float) -> tuple[dict, float]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        items = requests.get(f"{fleet_url}/api/v1/kiosks/K-BENCH/reports", timeout=10,
                             headers={"Authorization": f"Bearer {TOKEN}"}).json()["items"]  # fmt: skip
        if items and items[0]["status"] == status:
            return items[0], time.monotonic()
        time.sleep(0.5)
    raise TimeoutError(f"no {status} report within {timeout} s")


def broken_checkout(work: Path) -> Path:
    """A copy of this checkout whose app dies at start (a release that fails its trial)."""
    copy = work / "broken-checkout"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(REPO), str(copy)], check=True)
    for name in subprocess.run(["git", "-C", str(REPO), "ls-files", "-m", "-o", "--exclude-standard"], check=True,
                               capture_output=True, text=True).stdout.split():  # fmt: skip
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, copy / name)
    main = copy / "ui" / "__main__.py"
    main.write_text(main.read_text().replace("def main(argv", 'raise SystemExit("a broken release")\n\n\ndef main(argv'))
    return copy


def session_phases(results: dict, fleet_url: str, work: Path, out: Path, args: argparse.Namespace) -> None:
    supervisor = Supervisor(watchdog_s=args.watchdog).start()
    try:
        ready = supervisor.wait_for("ready", 0, 180)
        results["start_to_ready_s"] = round(ready.at - supervisor.events[0].at, 1)
        stopped = time.monotonic()
        os.kill(supervisor.app_pid(), signal.SIGSTOP)  # the event loop hangs (and the whole app with it)
        timeout = supervisor.wait_for("watchdog_timeout", stopped, args.watchdog * 3)
        again = supervisor.wait_for("ready", timeout.at, 180)
        results["hang_detected_s"] = round(timeout.at - stopped, 1)
        results["hang_to_ready_again_s"] = round(again.at - stopped, 1)

        package = build("0.1.1", out, results, "build_update_package_s")
        published = time.monotonic()
        publish(work, fleet_url, package, 1)
        supervisor._kill()  # restart: the agent polls at start (else at its next poll, up to 5 min)
        _, downloaded = wait_phase({"installing", "installed", "switching", "trial"}, 600)
        _, installed = wait_phase({"installed", "switching", "trial"}, 900)
        _, trial = wait_phase({"trial"}, 300)
        _, committed = wait_report(fleet_url, "applied", 600)
        results["update_publish_to_downloaded_s"] = round(downloaded - published, 1)
        results["update_install_s"] = round(installed - downloaded, 1)
        results["update_switch_s"] = round(trial - installed, 1)
        results["update_health_window_and_commit_s"] = round(committed - trial, 1)
        results["update_total_s"] = round(committed - published, 1)
        results["running_after_update"] = json.loads(subprocess.run(
            ["python3", "-I", "/usr/lib/police-kiosk/boot.py", "status"], capture_output=True, text=True,
            check=True).stdout)["current"]  # fmt: skip
        if not args.skip_rollback:
            bad = build("0.1.2", out, results, "build_bad_package_s", "--source", str(broken_checkout(work)))
            published = time.monotonic()
            publish(work, fleet_url, bad, 2)
            supervisor._kill()
            report, rolled = wait_report(fleet_url, "rolled_back", 1200)
            results["bad_release_publish_to_rolled_back_s"] = round(rolled - published, 1)
            results["bad_release_reason"] = report["reason"]
            results["running_after_rollback"] = json.loads(subprocess.run(
                ["python3", "-I", "/usr/lib/police-kiosk/boot.py", "status"], capture_output=True, text=True,
                check=True).stdout)["current"]  # fmt: skip
    finally:
        supervisor.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-rollback", action="store_true")
    parser.add_argument("--health-window", type=float, default=10.0)
    parser.add_argument("--watchdog", type=float, default=10.0, help="WatchdogSec of the stand-in (the unit: 30)")
    args = parser.parse_args()
    if os.geteuid() != 0:
        parser.error("run as root: the benchmark installs the package")
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="bench-appliance-") as temp:
        work, out = Path(temp), Path(temp) / "out"
        core = build("0.1.0", out, results, "build_core_variant_s", "--variant", "core")
        results["core_variant_mb"] = round(core.stat().st_size / 1e6, 1)
        full = build("0.1.0", out, results, "build_full_s")
        results["package_mb"] = round(full.stat().st_size / 1e6, 1)
        installed_kib = int(subprocess.run(["dpkg-deb", "--field", str(full), "Installed-Size"], check=True,
                                           capture_output=True, text=True).stdout)  # fmt: skip
        results["installed_mb"] = round(installed_kib / 1024, 1)
        subprocess.run(["dpkg", "--purge", "police-kiosk"], capture_output=True, check=False)
        timed("install_s", results, ["dpkg", "-i", str(full)])
        settings = FleetSettings(db_url=f"sqlite:///{work / 'fleet.sqlite3'}", admin_token=TOKEN, poll_interval_s=5)
        with BackgroundServer(settings) as fleet:
            provision(work, fleet.url, args.health_window)
            session_phases(results, fleet.url, work, out, args)
        subprocess.run(["dpkg", "--purge", "police-kiosk"], capture_output=True, check=False)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
