"""Issue 22 item 4: start-up re-verifies active.json against the trust root and falls back to the last good
signed configuration; secrets live in a 0600 file and are never printed; every config file is 0600."""

from __future__ import annotations

import io
import json
import stat

import pytest
from trust_testdata import KIOSK_ID, config_payload

from kiosk.audit import AuditLog
from kiosk.cli.main import main
from kiosk.config import ConfigError, default_config
from kiosk.home import KioskHome
from kiosk.trust import (
    TRUST_ROOT_TYPE,
    ConfigRejected,
    Reason,
    apply_config,
    apply_document,
    fingerprint,
    load_verified_config,
    read_active,
    set_secret,
)
from kiosk.trust.apply import previous_file
from kiosk.trust.envelope import envelope_file_bytes
from kiosk.trust.secrets import secrets_file

REJECTED = "active.json.rejected"


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def tamper(home: KioskHome, site_name: str = "forged") -> None:
    """Edit the running document the way someone with file access would: the payload, not the signatures."""
    data = json.loads(home.config_file.read_bytes())
    data["signed"]["payload"]["site_name"] = site_name
    home.config_file.write_bytes(envelope_file_bytes(data))


@pytest.fixture
def two_versions(home, root, make_doc):
    apply_config(home, make_doc(version=1))
    apply_config(home, make_doc(version=2))
    return home


def test_a_verified_configuration_starts_as_is(two_versions):
    verified = load_verified_config(two_versions)
    assert (verified.source, verified.version, verified.problem) == ("active", 2, None)
    assert verified.config.site_name == "site v2" and verified.config.kiosk_id == KIOSK_ID


def test_an_edited_configuration_falls_back_to_the_last_good_one(two_versions):
    home = two_versions
    tamper(home)
    with AuditLog.for_home(home) as audit:
        verified = load_verified_config(home, audit=audit)
        entries = audit.entries()
    assert (verified.source, verified.version, verified.config.site_name) == ("previous", 1, "site v1")
    assert verified.problem.startswith("bad_signature")
    assert entries[-1].action == "config.startup_fallback" and entries[-1].detail["reason"] == "bad_signature"
    assert json.loads((home.config_dir / REJECTED).read_bytes())["signed"]["payload"]["site_name"] == "forged"
    again = load_verified_config(home)  # the repair is on disk: the next start runs v1 straight away
    assert (again.source, again.version) == ("active", 1)
    assert read_active(home).version == 1


@pytest.mark.parametrize(
    "write",
    [
        lambda home, keys, make_doc: home.config_file.write_text(json.dumps(config_payload("plain"))),  # unsigned
        lambda home, keys, make_doc: home.config_file.write_bytes(make_doc(version=3, signers=(2, 3))),  # own keys
        lambda home, keys, make_doc: home.config_file.write_bytes(make_doc(version=3, kiosk_ids=("kiosk-8",))),
        lambda home, keys, make_doc: home.config_file.write_bytes(make_doc(version=3, doc_type=TRUST_ROOT_TYPE)),
        lambda home, keys, make_doc: home.config_file.write_bytes(b"[" * 100_000),
        lambda home, keys, make_doc: home.config_file.write_bytes(
            make_doc(version=3, payload=config_payload() | {"backend": {"url": "http://evil.example"}})
        ),
    ],
)
def test_what_does_not_verify_never_runs(two_versions, keys, make_doc, write):
    write(two_versions, keys, make_doc)
    verified = load_verified_config(two_versions)
    assert (verified.source, verified.version) == ("previous", 1)
    assert verified.config.backend.url == default_config().backend.url


def test_when_last_good_is_refused_too_the_defaults_run(two_versions):
    home = two_versions
    genuine_v2 = home.config_file.read_bytes()
    previous = json.loads(previous_file(home).read_bytes())
    previous["signed"]["payload"]["site_name"] = "forged too"
    previous_file(home).write_bytes(envelope_file_bytes(previous))
    tamper(home)
    verified = load_verified_config(home)
    assert (verified.source, verified.version, verified.config.kiosk_id) == ("defaults", 0, KIOSK_ID)
    assert verified.config.site_name == default_config().site_name
    assert (home.config_dir / "previous.json.rejected").exists() and not home.config_file.exists()
    with pytest.raises(ConfigRejected) as replayed:  # the floor stays: the admins publish a new version
        apply_config(home, genuine_v2)
    assert replayed.value.reason is Reason.ROLLED_BACK


def test_first_config_refused_runs_the_defaults(home, root, make_doc):
    apply_config(home, make_doc(version=1))
    tamper(home)
    verified = load_verified_config(home)
    assert (verified.source, verified.config.kiosk_id) == ("defaults", KIOSK_ID)


def test_without_a_trust_root_nothing_on_disk_is_trusted_or_touched(home):
    home.config_file.write_text(json.dumps(config_payload("plain") | {"kiosk_id": "demo-kiosk-001"}))
    before = home.config_file.read_bytes()
    verified = load_verified_config(home)
    assert (verified.source, verified.config.site_name) == ("defaults", default_config().site_name)
    assert "trust root" in verified.problem and home.config_file.read_bytes() == before
    with pytest.raises(ConfigError):
        read_active(home)


def test_a_rotation_carries_the_running_configuration_to_the_new_keys(home, root, keys, make_doc):
    apply_config(home, make_doc(version=1))
    apply_config(home, make_doc(version=2))
    new = [keys[2].public_key(), keys[3].public_key()]
    from kiosk.trust.keys import public_key_b64

    payload = {"keys": [public_key_b64(k) for k in new], "threshold": 1}
    apply_document(home, make_doc(version=1, doc_type=TRUST_ROOT_TYPE, payload=payload))
    verified = load_verified_config(home)  # v2 was signed by keys the kiosk no longer trusts
    assert (verified.source, verified.version) == ("active", 2)
    tamper(home)  # but an edit is still caught, and last-known-good (carried too) takes over
    assert load_verified_config(home).source == "previous"


def test_config_files_are_owner_only(two_versions):
    home = two_versions
    set_secret(home, "backend.kiosk_key", "k" * 32)
    for name in ("active.json", "previous.json", "state.json", "trust.json", "secrets.json", ".apply.lock"):
        assert mode(home.config_dir / name) == 0o600, name
    assert mode(home.config_dir) == 0o700


def test_secrets_fill_the_running_config_and_are_never_printed(two_versions, capsys, monkeypatch):
    home = two_versions
    secret = "S3cr3t-kiosk-key-0123456789"
    monkeypatch.setattr("sys.stdin", io.StringIO(secret + "\n"))
    assert main(["--home", str(home.root), "config", "set-secret", "backend.kiosk_key"]) == 0
    out = capsys.readouterr().out
    assert secret not in out and fingerprint(secret) in out
    assert mode(secrets_file(home)) == 0o600
    assert load_verified_config(home).config.backend.kiosk_key == secret
    assert read_active(home).config.backend.kiosk_key == secret  # the fleet agent's live changes keep it
    for argv in (["config", "show"], ["config", "show", "--json"]):
        assert main(["--home", str(home.root), *argv]) == 0
        shown = capsys.readouterr().out
        assert secret not in shown and fingerprint(secret) in shown
    with AuditLog.for_home(home) as audit:
        assert secret not in json.dumps([e.detail for e in audit.entries()])
    assert secret not in home.config_file.read_text() and secret not in previous_file(home).read_text()


def test_an_unknown_secret_name_is_a_usage_error(home, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("x\n"))
    with pytest.raises(SystemExit) as usage:  # argparse: not one of the secret names
        main(["--home", str(home.root), "config", "set-secret", "backend.password"])
    assert usage.value.code == 2


def test_a_signed_document_carrying_a_secret_never_runs(home, root, make_doc):
    payload = config_payload()
    payload["backend"]["kiosk_key"] = "in-the-document"  # written by hand, as an older kiosk would have kept it
    home.config_file.write_bytes(make_doc(version=1, payload=payload))
    verified = load_verified_config(home)
    assert (verified.source, verified.config.backend.kiosk_key) == ("defaults", "")
    assert "secrets never travel" in verified.problem
