"""After all three services have run, no demo citizen's name, ID number or address is anywhere in the kiosk's
data home: journal (db, -wal, -shm), audit db, logs (at DEBUG, device I/O included), config, spool. UTF-8,
UTF-16 (both byte orders) and GB18030 are searched. The sandbox's own files (the backend's database and
registry photos, which the demo keeps under the same home) are the police backend's, not the kiosk's."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kiosk.audit import AuditLog
from kiosk.cli.commands.flow_cmd import ScriptDriver, example_script, load_script
from kiosk.demo import DemoEnvironment
from kiosk.home import KioskHome
from kiosk.logs import setup_logging
from kiosk.technician.auth import TechnicianAuth
from server.sandbox.demo_data import CITIZENS

BACKEND_FILES = ("sandbox.sqlite3", "sandbox-photos")
ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "gb18030")


def kiosk_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file() and not path.relative_to(root).parts[0].startswith(
        BACKEND_FILES)]  # fmt: skip


def personal_hits(root: Path) -> list[str]:
    """Where personal data was found, named by citizen number and field (a failure message leaks nothing)."""
    needles = {(n, field, encoding): getattr(citizen, field).encode(encoding) for n, citizen in enumerate(CITIZENS)
               for field in ("name", "id_number", "address") for encoding in ENCODINGS}  # fmt: skip
    hits = []
    for path in kiosk_files(root):
        data = path.read_bytes()
        hits += [f"{path.name}: citizen {n} {field} ({encoding})" for (n, field, encoding), needle in needles.items()
                 if needle in data]  # fmt: skip
    return hits


@pytest.fixture
def kiosk_logs(tmp_path):
    home = KioskHome(tmp_path / "home").ensure()
    root = logging.getLogger()
    level = root.level
    handler = setup_logging(home, level=logging.DEBUG)
    root.setLevel(logging.DEBUG)
    yield home
    root.removeHandler(handler)
    handler.close()
    root.setLevel(level)


def test_three_services_leave_no_personal_data_in_the_kiosk_home(kiosk_logs):
    home = kiosk_logs
    env = DemoEnvironment.start(home)
    try:
        for service in ("temp_id", "certificate", "traffic"):
            view = ScriptDriver(env.runtime, env.sandbox.base_url, service).run(load_script(example_script(service)))
            assert view.step == "done", view.data
            env.runtime.end_session("done")
        with AuditLog.for_home(home) as audit:  # an audited (failed) login: the audit db exists too
            TechnicianAuth(home, audit).login("000000")
        open_files = {path.name for path in kiosk_files(home.root)}
        assert {"journal.sqlite3", "journal.sqlite3-wal", "journal.sqlite3-shm"} <= open_files
        assert personal_hits(home.root) == []  # while running: the WAL still holds the latest commits
    finally:
        env.stop()
    names = {path.name for path in kiosk_files(home.root)}
    assert home.audit_file.name in names and any(n.startswith("kiosk.log") for n in names)
    assert personal_hits(home.root) == []
    assert (home.log_dir / "kiosk.log").stat().st_size > 0  # the logs were really written
