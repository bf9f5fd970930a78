"""The Debian package on this machine, as CI installs it on a fresh Debian 12 without systemd as PID 1:
built (the core variant: every `kiosk` command but the GUI, to keep CI fast), lintian without errors, the
units through `systemd-analyze verify`, installed with dpkg, `kiosk --version` and `kiosk diag devices` run
as the kiosk user, the data home and its owner, then purged."""

from __future__ import annotations

import fcntl
import json
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
UNITS = ("police-kiosk.service", "police-kiosk-revive.service", "police-kiosk-revive.timer")
ROOT = Path("/var/lib/police-kiosk")
pytestmark = pytest.mark.timeout(900)  # the build and lintian take minutes on a busy 2-core machine


def run(command: list[str], timeout: float = 300, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False, **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"{command} exit {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def dpkg(*args: str) -> subprocess.CompletedProcess:
    """dpkg under the frontend lock, waiting for another dpkg or apt on this machine to finish (the way apt
    hands the lock to dpkg: DPKG_FRONTEND_LOCKED tells dpkg its frontend holds it)."""
    with open("/var/lib/dpkg/lock-frontend", "w") as lock:
        fcntl.lockf(lock, fcntl.LOCK_EX)  # blocks until free; pytest-timeout bounds it
        return run(["dpkg", *args], env={**os.environ, "DPKG_FRONTEND_LOCKED": "1"})


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("package")
    result = run([sys.executable, str(REPO / "packaging" / "build.py"), "--variant", "core", "--out", str(out)],
                 timeout=900)  # fmt: skip
    return Path(result.stdout.strip().splitlines()[-1].split(" ")[0])


@pytest.fixture(scope="module")
def installed(package) -> Path:
    assert os.geteuid() == 0, "the install test runs as root, as CI does"
    dpkg("-i", str(package))
    yield package
    dpkg("--purge", "police-kiosk")


def test_lintian_finds_no_errors(package):
    result = run(["lintian", "--fail-on", "error", "--suppress-tags", "unused-override", str(package)],
                 check=False, timeout=600)  # fmt: skip
    errors = [line for line in result.stdout.splitlines() if line.startswith("E:")]
    assert result.returncode == 0 and errors == [], result.stdout[-3000:]


def test_the_package_declares_what_the_kiosk_needs(package):
    fields = run(["dpkg-deb", "--field", str(package), "Package", "Version", "Depends"]).stdout
    assert "Package: police-kiosk" in fields and "python3 (>= 3.11)" in fields and "pcscd" in fields
    listing = run(["dpkg-deb", "--contents", str(package)]).stdout
    for path in ("./usr/lib/police-kiosk/boot.py", "./usr/lib/police-kiosk/app/RELEASE.json", "./usr/bin/kiosk",
                 "./usr/lib/udev/rules.d/70-police-kiosk.rules", "./etc/pam.d/police-kiosk",
                 *(f"./usr/lib/systemd/system/{unit}" for unit in UNITS)):  # fmt: skip
        assert path in listing, path
    assert "/usr/lib/police-kiosk/app/venv/bin/kiosk" not in listing  # no console scripts with a build path


def test_the_installed_units_pass_systemd_analyze_verify(installed):
    result = run(["systemd-analyze", "verify", *(f"/usr/lib/systemd/system/{unit}" for unit in UNITS)], check=False)
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr
    unit = Path("/usr/lib/systemd/system/police-kiosk.service").read_text()
    for setting in ("Type=notify", "WatchdogSec=", "Restart=always", "StartLimitBurst=", "NotifyAccess=all",
                    "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
                    "StateDirectory=police-kiosk", "ExecStart=/usr/bin/cage -d --"):  # fmt: skip
        assert setting in unit, setting
    assert " -s " not in unit.split("ExecStart=")[1].splitlines()[0]  # cage without -s: no VT switching


def test_the_kiosk_runs_as_its_user_from_the_factory_slot(installed):
    release = json.loads(Path("/usr/lib/police-kiosk/app/RELEASE.json").read_text())
    version = run(["runuser", "-u", "kiosk", "--", "kiosk", "--version"])
    assert version.stdout.strip() == f"kiosk {release['version']} (slot factory)"
    survey = run(["runuser", "-u", "kiosk", "--", "kiosk", "diag", "devices", "--json"], timeout=120)
    rows = {row["name"]: row for row in json.loads(survey.stdout)}
    assert rows["journal"]["url"] == f"sqlite:///{ROOT}/home/journal.sqlite3"
    assert rows["idcard"]["state"] == "online"  # the default configuration's simulators
    assert survey.stderr.strip() == ""  # nothing for a technician to wonder about
    status = json.loads(run(["python3", "-I", "/usr/lib/police-kiosk/boot.py", "status"]).stdout)
    assert status["current"] == "factory" and status["trying"] is None


def test_the_install_made_the_user_its_data_home_and_the_enablement(installed):
    user = pwd.getpwnam("kiosk")
    for directory in (ROOT, ROOT / "home", ROOT / "slots", ROOT / "update"):
        info = directory.stat()
        assert (info.st_uid, oct(info.st_mode & 0o777)) == (user.pw_uid, "0o750"), directory
    groups = run(["id", "-nG", "kiosk"]).stdout.split()
    assert {"video", "dialout"} <= set(groups)
    assert Path("/etc/systemd/system/multi-user.target.wants/police-kiosk.service").is_symlink()
    assert os.readlink("/etc/systemd/system/ctrl-alt-del.target") == "/dev/null"
    as_root = run(["kiosk", "--version"])  # root's `kiosk` drops to the kiosk user: files stay the kiosk's
    assert as_root.stdout.startswith("kiosk ")


def test_purge_removes_the_software_and_the_data_but_keeps_the_user(package):
    assert os.geteuid() == 0
    dpkg("-i", str(package))
    dpkg("--purge", "police-kiosk")
    assert not Path("/usr/lib/police-kiosk").exists() and not ROOT.exists()
    assert not Path("/etc/systemd/system/multi-user.target.wants/police-kiosk.service").exists()
    assert pwd.getpwnam("kiosk").pw_name == "kiosk"
    assert shutil.which("kiosk") is None or not shutil.which("kiosk").startswith("/usr/bin")
