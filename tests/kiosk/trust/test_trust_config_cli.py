"""`kiosk config init|apply|show` and `kiosk diag audit-verify`: exit codes and what they print."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from trust_testdata import KIOSK_ID

from kiosk.audit import audit_path
from kiosk.cli.main import main
from kiosk.trust import public_key_b64


@pytest.fixture
def pub_files(tmp_path, keys):
    paths = []
    for index in (0, 1):
        path = tmp_path / f"k{index}.pub"
        path.write_text(public_key_b64(keys[index].public_key()) + "\n")
        paths.append(str(path))
    return paths


@pytest.fixture
def provisioned(home, pub_files, keys, capsys):
    b64 = public_key_b64(keys[1].public_key())  # --trust takes a file or the base64 string itself
    argv = ["--home", str(home.root), "config", "init", "--kiosk-id", KIOSK_ID, "--trust", pub_files[0]]
    assert main([*argv, "--trust", b64, "--threshold", "2", "--channel", "district-3"]) == 0
    capsys.readouterr()
    return home


def kiosk(home, *args):
    return main(["--home", str(home.root), *args])


def write(tmp_path, name, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_init_refuses_a_second_provisioning(provisioned, pub_files, capsys):
    trust_before = (provisioned.config_dir / "trust.json").read_bytes()
    assert kiosk(provisioned, "config", "init", "--kiosk-id", "x", "--trust", pub_files[0]) == 5
    assert "already exists" in capsys.readouterr().err
    assert (provisioned.config_dir / "trust.json").read_bytes() == trust_before


def test_init_with_bad_key_or_threshold_is_a_usage_error(home, pub_files, capsys):
    assert kiosk(home, "config", "init", "--kiosk-id", "k", "--trust", "not-a-key") == 2
    assert kiosk(home, "config", "init", "--kiosk-id", "k", "--trust", pub_files[0], "--threshold", "2") == 2
    assert "threshold" in capsys.readouterr().err
    assert not (home.config_dir / "trust.json").exists()


def test_apply_then_noop_then_show(provisioned, make_doc, tmp_path, capsys):
    path = write(tmp_path, "v1.json", make_doc(version=1))
    assert kiosk(provisioned, "config", "apply", path) == 0
    assert "applied kiosk-config version 1" in capsys.readouterr().out
    assert kiosk(provisioned, "config", "apply", path) == 0
    assert "no change" in capsys.readouterr().out
    assert kiosk(provisioned, "config", "show", "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["version"], shown["config"]["site_name"]) == (1, "site v1")
    assert len(shown["sha256"]) == 64
    assert shown["trust"]["kiosk_id"] == KIOSK_ID


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (lambda make_doc: make_doc(version=2, signers=(0,)), "below_threshold"),
        (lambda make_doc: make_doc(version=2, kiosk_ids=("kiosk-8",)), "wrong_kiosk"),
        (lambda make_doc: b"{ not json", "malformed"),
        (lambda make_doc: make_doc(version=2)[:50], "malformed"),
    ],
)
def test_rejected_apply_exits_5_with_the_reason(provisioned, make_doc, tmp_path, capsys, build, reason):
    assert kiosk(provisioned, "config", "apply", write(tmp_path, "v1.json", make_doc(version=1))) == 0
    before = provisioned.config_file.read_bytes()
    capsys.readouterr()
    assert kiosk(provisioned, "config", "apply", write(tmp_path, "bad.json", build(make_doc))) == 5
    err = capsys.readouterr().err
    assert f"rejected ({reason})" in err
    assert "Traceback" not in err
    assert provisioned.config_file.read_bytes() == before


def test_apply_before_provisioning_and_missing_file(home, make_doc, tmp_path, capsys):
    assert kiosk(home, "config", "apply", write(tmp_path, "v1.json", make_doc())) == 5
    assert "config init" in capsys.readouterr().err
    assert kiosk(home, "config", "apply", str(tmp_path / "absent.json")) == 2


def test_show_defaults_before_any_apply(home, capsys):
    assert kiosk(home, "config", "show") == 0
    out = capsys.readouterr().out
    assert "version: 0" in out and "not provisioned" in out


def test_audit_verify_detects_tampering(provisioned, make_doc, tmp_path, capsys):
    kiosk(provisioned, "config", "apply", write(tmp_path, "v1.json", make_doc(version=1)))
    kiosk(provisioned, "config", "apply", write(tmp_path, "v2.json", make_doc(version=2, signers=(0,))))
    assert kiosk(provisioned, "diag", "audit-verify") == 0
    assert "4 entries" in capsys.readouterr().out  # device key, provision, apply, reject
    connection = sqlite3.connect(audit_path(provisioned))
    with connection:
        connection.execute('UPDATE audit_log SET detail = \'{"reason":"nothing"}\' WHERE seq = 3')
    connection.close()
    assert kiosk(provisioned, "diag", "audit-verify") == 5
    assert "seq 3" in capsys.readouterr().err


def test_init_makes_the_device_key_and_sets_the_expiry_horizon(home, pub_files, make_doc, tmp_path, capsys):
    argv = ["config", "init", "--kiosk-id", KIOSK_ID, "--trust", pub_files[0], "--max-expiry-days", "30"]
    assert kiosk(home, *argv) == 0
    assert "device key" in capsys.readouterr().out
    assert (home.root / "device" / "device.key").exists() and (home.root / "audit-anchor.json").exists()
    far = make_doc(version=1, signers=(0,), expires=datetime.now(UTC) + timedelta(days=60))
    assert kiosk(home, "config", "apply", write(tmp_path, "far.json", far)) == 5
    assert "rejected (expires_too_far)" in capsys.readouterr().err
    near = make_doc(version=1, signers=(0,), expires=datetime.now(UTC) + timedelta(days=20))
    assert kiosk(home, "config", "apply", write(tmp_path, "near.json", near)) == 0
    assert kiosk(home, "config", "show") == 0
    assert "device key: " in capsys.readouterr().out


def test_init_refuses_an_impossible_horizon_or_kiosk_id(home, pub_files, capsys):
    base = ["config", "init", "--trust", pub_files[0]]
    assert kiosk(home, *base, "--kiosk-id", KIOSK_ID, "--max-expiry-days", "5000") == 2
    assert kiosk(home, *base, "--kiosk-id", "bad id") == 2
    assert not (home.config_dir / "trust.json").exists()
