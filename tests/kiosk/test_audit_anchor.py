"""Issue 22 item 6: the audit head is signed by the kiosk's device key, so deleting the log's tail - or all
of it, or the anchor itself - no longer verifies as intact."""

from __future__ import annotations

import base64
import json
import sqlite3
import stat
import subprocess
import sys
import textwrap

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from contracts.canonical import canonical_bytes
from kiosk.audit import AuditLog, audit_path, provision_device_key
from kiosk.cli.main import main
from kiosk.home import KioskHome
from kiosk.trust import provision_trust_root
from kiosk.trust.audit_anchor import HeadAnchor
from kiosk.trust.device_key import device_key_file
from kiosk.trust.keys import public_key_from_b64

KIOSK_ID = "kiosk-anchor-1"


@pytest.fixture
def home(tmp_path) -> KioskHome:
    home = KioskHome(tmp_path / "home").ensure()
    provision_trust_root(home, KIOSK_ID, [Ed25519PrivateKey.generate().public_key()], 1)
    provision_device_key(home)
    with AuditLog.for_home(home) as audit:
        for index in range(10):
            audit.append("tech-042", "diag.run", "receipt", {"n": index})
    return home


def sql(home: KioskHome, *statements: str) -> None:
    """Tamper as an attacker with file access would: plain sqlite3."""
    connection = sqlite3.connect(audit_path(home))
    with connection:
        for statement in statements:
            connection.execute(statement)
    connection.close()


def verify(home: KioskHome):
    with AuditLog.for_home(home) as audit:
        return audit.verify()


def anchor_data(home: KioskHome) -> dict:
    return json.loads((home.root / "audit-anchor.json").read_bytes())


def test_the_head_is_signed_after_every_append_in_the_wire_form(home):
    assert verify(home).ok
    signed = anchor_data(home)["signed"]
    with AuditLog.for_home(home) as audit:
        head = audit.head()
    assert (signed["seq"], signed["hash"], signed["kiosk_id"]) == (head.seq, head.hash, KIOSK_ID)
    public = public_key_from_b64((home.root / "device" / "device.pub").read_text())
    message = canonical_bytes({"type": "audit-head", "kiosk_id": KIOSK_ID, "seq": head.seq, "hash": head.hash})
    public.verify(base64.b64decode(signed["signature"]), message)  # what the fleet server checks
    assert message == head.canonical(KIOSK_ID)
    assert stat.S_IMODE(device_key_file(home).stat().st_mode) == 0o600
    assert stat.S_IMODE((home.root / "device").stat().st_mode) == 0o700


@pytest.mark.parametrize(
    "cut",
    [
        "DELETE FROM audit_log WHERE seq > 8",  # the tail
        "DELETE FROM audit_log",  # all of it
        "DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)",  # just the last one
    ],
)
def test_a_cut_log_is_tampered(home, cut):
    sql(home, cut)
    result = verify(home)
    assert not result.ok and "signed head" in result.problem


def test_a_cut_log_that_grew_again_is_still_tampered(home):
    sql(home, "DELETE FROM audit_log WHERE seq > 5")
    with AuditLog.for_home(home) as audit:
        for index in range(10):  # seq 6..15: past the anchored head, with other hashes
            audit.append("tech-042", "diag.run", "receipt", {"again": index})
        assert anchor_data(home)["signed"]["seq"] == 11  # the evidence was not overwritten
        assert not audit.verify().ok


def test_the_anchor_itself_cannot_be_removed_or_edited(home):
    anchor = home.root / "audit-anchor.json"
    data = anchor_data(home)
    data["signed"]["seq"] = 3  # "the log ended at 3": not signed by the device key
    anchor.write_text(json.dumps(data))
    assert "does not verify" in verify(home).problem
    anchor.write_text("{ not json")
    assert "unreadable" in verify(home).problem
    anchor.unlink()
    assert "missing" in verify(home).problem
    with AuditLog.for_home(home) as audit:  # and appending does not quietly make a new one
        audit.append("tech-042", "diag.run", "receipt", {})
    assert not anchor.exists() and not verify(home).ok


def test_removing_the_trust_root_or_damaging_the_device_key_does_not_disarm_the_check(home):
    sql(home, "DELETE FROM audit_log WHERE seq > 2")
    (home.config_dir / "trust.json").unlink()
    assert "signed head" in verify(home).problem
    device_key_file(home).write_text("not a key")
    assert "device key is unreadable" in verify(home).problem


def test_audit_verify_cli_exits_5_for_a_cut_or_vanished_log(home, capsys):
    argv = ["--home", str(home.root), "diag", "audit-verify"]
    assert main(argv) == 0 and "holds signed head 11" in capsys.readouterr().out
    sql(home, "DELETE FROM audit_log WHERE seq > 4")
    assert main(argv) == 5 and "TAMPERED" in capsys.readouterr().err
    for suffix in ("", "-wal", "-shm"):
        audit_path(home).with_name(audit_path(home).name + suffix).unlink(missing_ok=True)
    assert main(argv) == 5 and "gone" in capsys.readouterr().err
    assert not audit_path(home).exists()  # checking did not create an empty log


def test_the_fleets_head_and_verdict_are_anchors_too(home):
    anchor = HeadAnchor(home)
    with AuditLog.for_home(home) as audit:
        head = audit.head()
    assert anchor.record_fleet(head.seq, head.hash)
    assert [what for what, _seq, _hash in anchor.expected_heads()] == ["signed head", "fleet head"]
    assert not anchor.record_fleet(head.seq - 1, head.hash)  # the fleet's head only moves forward
    assert not anchor.record_fleet("11", "zz")
    anchor.record_fleet(head.seq + 5, "ab" * 32)  # the fleet holds more than we do: our tail was cut
    assert "fleet head" in verify(home).problem
    anchor.record_fleet_alarm("regressed", 3)
    assert "regressed" in verify(home).problem


def test_an_unprovisioned_kiosk_has_nothing_to_anchor(tmp_path):
    home = KioskHome(tmp_path / "dev").ensure()
    with AuditLog.for_home(home) as audit:
        audit.append("cli:dev", "diag.run")
        assert audit.anchor_head() is None and audit.verify().ok
    assert not (home.root / "audit-anchor.json").exists()


CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from kiosk.audit import AuditLog
    from kiosk.home import KioskHome
    with AuditLog.for_home(KioskHome(Path(sys.argv[1]))) as audit:
        for index in range(20):
            audit.append(sys.argv[2], "diag.run", "receipt", {"n": index})
    """
)


def test_writers_in_two_processes_keep_one_chain_and_the_newest_anchor(home):
    children = [
        subprocess.Popen([sys.executable, "-c", CHILD, str(home.root), f"tech-{n}"], stderr=subprocess.PIPE)
        for n in range(2)
    ]
    for child in children:
        _out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err.decode()
    with AuditLog.for_home(home) as audit:
        assert audit.head().seq == 51 and audit.verify().ok  # 11 before, 2 x 20 now
    assert anchor_data(home)["signed"]["seq"] == 51
