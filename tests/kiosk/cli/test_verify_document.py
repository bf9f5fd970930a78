"""`kiosk diag verify-document`: offline with a key file, exit codes and reasons (the online checks run
against the sandbox in tests/kiosk/flows/test_certificate_verifies.py)."""

from __future__ import annotations

import json
import socket

import pytest

from kiosk.cli.main import main
from printing import demo


@pytest.fixture
def keys_file(tmp_path):
    path = tmp_path / "jwks.json"
    path.write_text(demo.demo_key_set().model_dump_json(), encoding="utf-8")
    return path


def run(capsys, *argv: str) -> tuple[int, dict]:
    code = main(["diag", "verify-document", *argv, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


def test_a_genuine_qr_is_valid_while_the_certificate_runs_and_expired_after(capsys, keys_file):
    qr = demo.demo_certificate().verification_url
    code, result = run(capsys, "--qr", qr, "--keys", str(keys_file), "--on", "2024-06-01")
    assert code == 0 and result["status"] == "valid" and result["key_id"] == demo.DEMO_KEY_ID
    assert result["certificate"]["purpose"] == "就业" and result["certificate"]["masked_id_number"] == "110***********002X"
    code, result = run(capsys, "--qr", qr, "--keys", str(keys_file), "--on", "2024-08-06")
    assert (code, result["status"], result["reason"]) == (5, "expired", "expired")


@pytest.mark.parametrize(("mutate", "reason"), [
    (lambda qr: qr.replace("https://verify.example.org", "https://verify.example.net"), "foreign_url"),
    (lambda qr: qr[:-1] + ("A" if qr[-1] != "A" else "B"), None),
    (lambda qr: qr.lower(), "malformed"),
])  # fmt: skip
def test_a_changed_qr_is_not_valid_and_says_why(capsys, keys_file, mutate, reason):
    code, result = run(capsys, "--qr", mutate(demo.demo_certificate().verification_url), "--keys", str(keys_file),
                       "--on", "2024-06-01")  # fmt: skip
    assert code == 5 and result["status"] == "invalid"
    assert result["reason"] == reason if reason else result["reason"] in ("bad_signature", "non_canonical")


def test_usage_errors_exit_2(capsys):
    assert main(["diag", "verify-document", "--number", "1"]) == 2
    assert main(["diag", "verify-document", "--qr", "X", "--code", "Y"]) == 2
    with pytest.raises(SystemExit) as caught:
        main(["diag", "verify-document", "--qr", "X", "--number", "1"])
    assert caught.value.code == 2


def test_an_unreachable_backend_or_unreadable_key_file_exits_1(capsys, tmp_path):
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    qr = demo.demo_certificate().verification_url
    assert main(["diag", "verify-document", "--qr", qr, "--backend", f"http://127.0.0.1:{port}"]) == 1
    assert main(["diag", "verify-document", "--number", "1", "--code", "A", "--backend", f"http://127.0.0.1:{port}"]) == 1
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    assert main(["diag", "verify-document", "--qr", qr, "--keys", str(tmp_path / "bad.json")]) == 1
    assert "cannot" in capsys.readouterr().err
