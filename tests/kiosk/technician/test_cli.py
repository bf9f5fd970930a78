"""`kiosk diag self-test|ports|logs|out-of-service|set-pin`: exit codes and output, through kiosk.cli.main."""

from __future__ import annotations

import io
import json

import pytest

from kiosk.cli import exitcodes
from kiosk.cli.main import main
from kiosk.home import KioskHome
from kiosk.technician import load_out_of_service
from kiosk.technician.audit_sink import MemoryAudit
from kiosk.technician.auth import TechnicianAuth
from tests.kiosk.technician.helpers import PIN, sim_devices, write_config


@pytest.fixture
def home(tmp_path) -> KioskHome:
    return write_config(tmp_path / "home", sim_devices())


def run(home: KioskHome, *args: str) -> int:
    return main(["--home", str(home.root), "diag", *args])


def test_self_test_all_pass_exits_0_with_json(home, capsys) -> None:
    assert run(home, "self-test", "--no-print", "--json") == exitcodes.OK
    results = json.loads(capsys.readouterr().out)
    assert {r["device"] for r in results} == {"idcard", "a4", "card", "camera"}
    assert all(r["passed"] for r in results)


def test_self_test_failure_exits_4(tmp_path, capsys) -> None:
    home = write_config(tmp_path / "bad", sim_devices(idcard="sam_fault"))
    assert run(home, "self-test", "--device", "idcard") == exitcodes.DEVICE_ERROR
    out = capsys.readouterr().out
    assert "FAIL" in out and "sam_self_test_failed" in out


def test_self_test_unknown_device_exits_2(home, capsys) -> None:
    assert run(home, "self-test", "--device", "nope") == exitcodes.USAGE
    assert "configured: idcard, a4, card, camera" in capsys.readouterr().err


def test_ports_json(home, capsys) -> None:
    assert run(home, "ports", "--json") == exitcodes.OK
    ports = json.loads(capsys.readouterr().out)
    assert isinstance(ports, list) and all("vid_pid" in p and "by_id" in p for p in ports)


def test_logs_export(home, tmp_path, capsys) -> None:
    out = tmp_path / "logs.jsonl"
    assert run(home, "logs", "--hours", "2", "--out", str(out), "--gzip") == exitcodes.OK
    assert (tmp_path / "logs.jsonl.gz").exists()
    assert run(home, "logs", "--hours", "0", "--out", str(out)) == exitcodes.USAGE


def test_out_of_service_set_show_clear(home, capsys) -> None:
    assert run(home, "out-of-service", "set", "--service", "traffic", "--reason", "backend down") == exitcodes.OK
    assert load_out_of_service(home) == {"traffic": "backend down"}
    capsys.readouterr()
    assert run(home, "out-of-service", "show", "--json") == exitcodes.OK
    assert json.loads(capsys.readouterr().out)["traffic"]["reason"] == "backend down"
    assert run(home, "out-of-service", "set") == exitcodes.USAGE  # no reason
    assert run(home, "out-of-service", "clear", "--service", "traffic") == exitcodes.OK
    assert load_out_of_service(home) == {}
    with pytest.raises(SystemExit) as usage:  # argparse refuses an unknown service before any handler runs
        run(home, "out-of-service", "set", "--service", "bogus", "--reason", "x")
    assert usage.value.code == exitcodes.USAGE


def test_a_first_pin_gets_totp_by_default_and_a_change_keeps_it(tmp_path, monkeypatch, capsys) -> None:
    home = KioskHome(tmp_path / "fresh").ensure()
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PIN}\n"))
    assert run(home, "set-pin") == exitcodes.OK
    out = capsys.readouterr().out
    assert "with TOTP" in out and "otpauth://totp/" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("390271\n"))
    assert run(home, "set-pin") == exitcodes.OK
    assert "with TOTP" in capsys.readouterr().out and TechnicianAuth(home, MemoryAudit()).second_factor_required
    monkeypatch.setattr("sys.stdin", io.StringIO("000000\n"))
    assert run(home, "set-pin") == exitcodes.USAGE and "3 different digits" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PIN}\n"))
    assert run(home, "set-pin", "--totp", "off") == exitcodes.OK  # only when asked for
    assert "no second factor" in capsys.readouterr().out


def test_set_pin_from_stdin(home, monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("12\n"))
    assert run(home, "set-pin") == exitcodes.USAGE
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PIN}\n"))
    assert run(home, "set-pin", "--totp", "new") == exitcodes.OK
    out = capsys.readouterr().out
    assert "otpauth://totp/" in out and PIN not in out
    auth = TechnicianAuth(home, MemoryAudit())
    assert auth.second_factor_required and auth.login(PIN).reason == "wrong"  # TOTP now required
