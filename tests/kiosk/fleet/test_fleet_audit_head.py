"""The audit head travels with every heartbeat, signed by the device key the inventory registered; the
fleet server's verdict becomes a second anchor, and a cut log is seen on both sides."""

from __future__ import annotations

import json
import sqlite3

from kiosk.audit import AuditLog, audit_path
from kiosk.cli.main import main
from kiosk.fleet.enrol import send_inventory
from kiosk.trust.audit_anchor import HeadAnchor
from kiosk.trust.device_key import load_device_key


def test_heartbeats_anchor_the_audit_head_at_the_fleet(make_kiosk, admin, capsys):
    kiosk = make_kiosk("kiosk-audit-1")
    key = load_device_key(kiosk.home)
    assert key is not None  # made at enrolment
    send_inventory(kiosk.home, kiosk.client, [])
    with AuditLog.for_home(kiosk.home) as audit:
        for index in range(5):
            audit.append("tech-042", "diag.run", "receipt", {"n": index})
        head = audit.head()
    outcome = kiosk.agent.heartbeat_once({}, {})
    assert outcome.ok and outcome.audit_seq == head.seq
    held = admin.call("GET", "/kiosks/kiosk-audit-1")["audit_head"]
    assert (held["seq"], held["hash"], held["key_id"]) == (head.seq, head.hash, key.key_id)
    assert [what for what, *_ in HeadAnchor(kiosk.home).expected_heads()] == ["signed head", "fleet head"]
    assert main(["--home", str(kiosk.home.root), "diag", "audit-verify"]) == 0
    assert "fleet head" in capsys.readouterr().out


def cut(kiosk, after_seq: int) -> None:
    connection = sqlite3.connect(audit_path(kiosk.home))
    with connection:
        connection.execute(f"DELETE FROM audit_log WHERE seq > {after_seq}")
    connection.close()


def test_a_cut_log_is_seen_by_the_fleet_and_its_verdict_kept(make_kiosk, admin, capsys):
    kiosk = make_kiosk("kiosk-audit-2")
    send_inventory(kiosk.home, kiosk.client, [])
    with AuditLog.for_home(kiosk.home) as audit:
        for index in range(6):
            audit.append("tech-042", "diag.run", "receipt", {"n": index})
    assert kiosk.agent.heartbeat_once({}, {}).ok
    held = admin.call("GET", "/kiosks/kiosk-audit-2")["audit_head"]["seq"]
    cut(kiosk, 3)
    assert kiosk.agent.heartbeat_once({}, {}).ok  # sends the shorter head, freshly signed
    assert admin.call("GET", "/kiosks/kiosk-audit-2")["audit_head"]["seq"] == held  # the fleet kept the longer
    alarm = json.loads((kiosk.home.root / "audit-anchor.json").read_bytes())["fleet_alarm"]
    assert alarm == {"verdict": "regressed", "seq": 3}
    assert main(["--home", str(kiosk.home.root), "diag", "audit-verify"]) == 5
    assert "TAMPERED" in capsys.readouterr().err


def test_cutting_the_log_and_removing_the_anchor_is_still_seen(make_kiosk, capsys):
    kiosk = make_kiosk("kiosk-audit-3")
    send_inventory(kiosk.home, kiosk.client, [])
    assert kiosk.agent.heartbeat_once({}, {}).ok
    cut(kiosk, 0)
    (kiosk.home.root / "audit-anchor.json").unlink()
    assert main(["--home", str(kiosk.home.root), "diag", "audit-verify"]) == 5
    assert "missing" in capsys.readouterr().err
