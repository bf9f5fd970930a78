"""The databases across a software switch: the newer code takes a journal and an audit log written at its
head back to the heads an older slot records, through the CLI the launcher runs; what it cannot do it
refuses, leaving the files byte-for-byte as they were."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.audit import AuditLog
from kiosk.journal import Journal
from kiosk.migrations import AUDIT, JOURNAL, head_revision
from kiosk.update.schema import DowngradeRefused, plan_downgrade, schema_heads

RELEASES = Path(__file__).resolve().parents[2] / "fixtures" / "releases"
HEADS_010 = {"journal": "j0001", "audit": "a0001"}


def revision(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]


@pytest.fixture
def upgraded_home(tmp_path) -> Path:
    """A data home written by release 0.1.0, then opened (and so upgraded) by this software."""
    for name in ("journal.sqlite3", "audit.sqlite3", "person.key"):
        shutil.copyfile(RELEASES / "0.1.0" / name, tmp_path / name)
    Journal.open(f"sqlite:///{tmp_path / 'journal.sqlite3'}", kiosk_id="K-REL-010",
                 secret_path=tmp_path / "person.key").close()  # fmt: skip
    AuditLog(tmp_path / "audit.sqlite3").close()
    return tmp_path


def run_schema_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kiosk.update.schema", *args], capture_output=True, text=True,
                          check=False, timeout=120)  # fmt: skip


def test_heads_are_this_softwares(tmp_path):
    result = run_schema_cli("heads")
    assert json.loads(result.stdout) == schema_heads() == {"journal": head_revision(JOURNAL),
                                                           "audit": head_revision(AUDIT)}  # fmt: skip


def test_the_newer_code_takes_the_databases_back_to_the_older_slots_heads(upgraded_home, tmp_path):
    assert revision(upgraded_home / "journal.sqlite3") == head_revision(JOURNAL) != "j0001"
    orders_before = sqlite3.connect(upgraded_home / "journal.sqlite3").execute("SELECT count(*) FROM orders").fetchone()
    release_file = tmp_path / "old-RELEASE.json"
    release_file.write_text(json.dumps({"version": "0.1.0", "schema_heads": HEADS_010}))
    result = run_schema_cli("downgrade", "--home", str(upgraded_home), "--release-file", str(release_file))
    assert result.returncode == 0, result.stderr
    done = json.loads(result.stdout)
    assert {step["schema"]: step["to"] for step in done}["journal"] == "j0001"
    assert revision(upgraded_home / "journal.sqlite3") == "j0001"
    assert revision(upgraded_home / "audit.sqlite3") == "a0001"
    orders_after = sqlite3.connect(upgraded_home / "journal.sqlite3").execute("SELECT count(*) FROM orders").fetchone()
    assert orders_after == orders_before  # every order survives the way back
    again = run_schema_cli("downgrade", "--home", str(upgraded_home), "--release-file", str(release_file))
    assert again.returncode == 0 and json.loads(again.stdout) == []  # nothing left to do


def test_a_database_newer_than_this_software_is_refused_untouched(upgraded_home, tmp_path):
    journal = upgraded_home / "journal.sqlite3"
    with sqlite3.connect(journal) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'j9999'")
    before = journal.read_bytes()
    release_file = tmp_path / "old-RELEASE.json"
    release_file.write_text(json.dumps({"version": "0.1.0", "schema_heads": HEADS_010}))
    result = run_schema_cli("downgrade", "--home", str(upgraded_home), "--release-file", str(release_file))
    assert result.returncode == 1 and "newer than this software" in result.stderr
    assert journal.read_bytes() == before


def test_an_older_revision_unknown_to_this_software_refuses_the_switch(upgraded_home):
    with pytest.raises(DowngradeRefused, match="unknown to this software"):
        plan_downgrade(upgraded_home, {"journal": "j0000-elsewhere", "audit": "a0001"})
    with pytest.raises(DowngradeRefused, match="no audit schema head"):
        plan_downgrade(upgraded_home, {"journal": "j0001"})


def test_a_release_file_without_heads_is_a_usage_failure(upgraded_home, tmp_path):
    release_file = tmp_path / "RELEASE.json"
    release_file.write_text(json.dumps({"version": "0.1.0"}))
    result = run_schema_cli("downgrade", "--home", str(upgraded_home), "--release-file", str(release_file))
    assert result.returncode == 1 and "schema_heads" in result.stderr


def test_a_fresh_home_has_nothing_to_take_back(tmp_path):
    steps = plan_downgrade(tmp_path, HEADS_010)
    assert [step.needed for step in steps] == [False, False]
