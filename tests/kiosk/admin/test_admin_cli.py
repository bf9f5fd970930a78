"""`kiosk-admin keygen|sign|rotate|verify`, and the whole path from an admin's key to a kiosk's config."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.admin.cli import main as admin
from kiosk.admin.cli import parse_expires_arg, split_targets
from kiosk.cli.main import main as kiosk
from kiosk.config import default_config, document_payload
from kiosk.home import KioskHome
from kiosk.trust import load_trust_root


@pytest.fixture
def keydir(tmp_path, capsys):
    for name in ("a", "b", "c"):
        assert admin(["keygen", "--out", str(tmp_path / "keys"), "--name", name]) == 0
    capsys.readouterr()
    return tmp_path / "keys"


@pytest.fixture
def payload_file(tmp_path):
    path = tmp_path / "payload.json"
    path.write_text(json.dumps(document_payload(default_config()), ensure_ascii=False), encoding="utf-8")
    return path


def sign_args(keydir, payload_file, out, *, keys=("a", "b"), version=1, targets=("kiosk-7",)):
    argv = ["sign", "--in", str(payload_file), "--version", str(version), "--expires", "+30d", "--out", str(out)]
    for key in keys:
        argv += ["--key", str(keydir / f"{key}.key")]
    for target in targets:
        argv += ["--for", target]
    return argv


def test_keygen_writes_a_private_key_only_its_owner_can_read(keydir, capsys):
    mode = stat.S_IMODE((keydir / "a.key").stat().st_mode)
    assert mode == 0o600
    assert (keydir / "a.key").read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert len((keydir / "a.pub").read_text().strip()) == 44  # base64 of 32 raw bytes
    assert admin(["keygen", "--out", str(keydir), "--name", "a"]) == 2  # never overwrites a key
    assert "already exists" in capsys.readouterr().err


def test_sign_and_verify(keydir, payload_file, tmp_path, capsys):
    out = tmp_path / "doc.json"
    assert admin(sign_args(keydir, payload_file, out, targets=("kiosk-7", "channel:district-3"))) == 0
    signed = json.loads(out.read_text())["signed"]
    assert (signed["kiosk_ids"], signed["channels"], signed["version"]) == (["kiosk-7"], ["district-3"], 1)
    trust = ["--trust", str(keydir / "a.pub"), "--trust", (keydir / "b.pub").read_text().strip()]
    assert admin(["verify", str(out), *trust, "--threshold", "2"]) == 0
    assert "valid" in capsys.readouterr().out
    assert admin(["verify", str(out), "--trust", str(keydir / "c.pub")]) == 5
    assert "unknown_key" in capsys.readouterr().err
    assert admin(["verify", str(out), *trust, "--threshold", "3"]) == 5
    assert admin(["verify", str(out), *trust, "--kiosk-id", "kiosk-8"]) == 5
    assert "wrong_kiosk" in capsys.readouterr().err


def test_sign_refuses_an_invalid_payload_and_bad_arguments(keydir, tmp_path, payload_file, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"session": {"idle_timeout_s": 1}}))
    out = tmp_path / "doc.json"
    assert admin(sign_args(keydir, bad, out)) == 5
    assert "idle_timeout_s" in capsys.readouterr().err
    assert not out.exists()
    assert admin(sign_args(keydir, payload_file, out, version=0)) == 2
    assert admin([*sign_args(keydir, payload_file, out), "--expires", "2001-01-01"]) == 2
    assert admin(sign_args(keydir, payload_file, out, keys=("missing",))) == 2
    assert not out.exists()


def test_expires_and_targets_parsing():
    now = datetime(2025, 1, 1, tzinfo=UTC)
    assert parse_expires_arg("+30d", now) == now + timedelta(days=30)
    assert parse_expires_arg("2025-03-01") == datetime(2025, 3, 1, tzinfo=UTC)
    assert parse_expires_arg("2025-03-01T08:00:00+08:00") == datetime(2025, 3, 1, 0, 0, tzinfo=UTC)
    assert split_targets(["k1", "channel:north"]) == (["k1"], ["north"])


def test_from_admin_keys_to_kiosk_config_and_key_rotation(keydir, payload_file, tmp_path, capsys):
    home = ["--home", str(tmp_path / "kiosk")]
    trust = ["--trust", str(keydir / "a.pub"), "--trust", str(keydir / "b.pub")]
    assert kiosk([*home, "config", "init", "--kiosk-id", "kiosk-7", *trust, "--threshold", "2"]) == 0
    assert admin(sign_args(keydir, payload_file, tmp_path / "v1.json")) == 0
    assert kiosk([*home, "config", "apply", str(tmp_path / "v1.json")]) == 0
    rotate = ["rotate", "--key", str(keydir / "a.key"), "--key", str(keydir / "b.key"), "--trust"]
    rotate += [str(keydir / "c.pub"), "--threshold", "1", "--version", "1", "--for", "kiosk-7"]
    assert admin([*rotate, "--expires", "+7d", "--out", str(tmp_path / "root1.json")]) == 0
    assert kiosk([*home, "config", "apply", str(tmp_path / "root1.json")]) == 0
    assert admin(sign_args(keydir, payload_file, tmp_path / "v2.json", keys=("a", "b"), version=2)) == 0
    assert kiosk([*home, "config", "apply", str(tmp_path / "v2.json")]) == 5  # old keys retired
    assert admin(sign_args(keydir, payload_file, tmp_path / "v2c.json", keys=("c",), version=2)) == 0
    assert kiosk([*home, "config", "apply", str(tmp_path / "v2c.json")]) == 0
    capsys.readouterr()
    assert kiosk([*home, "config", "show", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["version"] == 2
    assert load_trust_root(KioskHome(tmp_path / "kiosk")).threshold == 1
