"""`kiosk diag printer-status` and `kiosk sim receipt` (the CLI lives in kiosk/cli/commands/printer_status.py)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import pytest

from kiosk.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["diag", "printer-status", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("scenario", "expected"),
    [
        ("ok", {"state": "online", "online": True, "paper": "ok", "cover_open": False, "error": None}),
        (
            "paper_near_end",
            {"state": "online", "online": True, "paper": "near_end", "cover_open": False, "error": None},
        ),
        ("cover_open", {"state": "user_error", "online": False, "paper": "ok", "cover_open": True, "error": None}),
        (
            "cutter_error",
            {"state": "hardware_error", "online": False, "paper": "ok", "cover_open": False, "error": "cutter"},
        ),
        ("offline", {"state": "offline", "online": False, "paper": "ok", "cover_open": False, "error": None}),
    ],
)
def test_json_status_exits_0_when_the_printer_answers(capsys, scenario: str, expected: dict) -> None:
    code, out, err = run(capsys, "--port", f"sim://receipt?instance=cli-{scenario}&scenario={scenario}", "--json")
    assert (code, json.loads(out), err) == (0, expected, "")


def test_readable_summary_without_json(capsys) -> None:
    code, out, _ = run(capsys, "--port", "sim://receipt?instance=cli-summary&scenario=paper_near_end")
    assert code == 0 and "paper:   near end" in out and "state:   online" in out


@pytest.mark.parametrize(
    ("port", "reason"),
    [("sim://receipt?instance=cli-silence&scenario=silence", "timeout"), ("/dev/no-such-printer", "unavailable")],
)
def test_exit_4_with_a_message_when_the_printer_does_not_answer(capsys, port: str, reason: str) -> None:
    code, out, err = run(capsys, "--port", port, "--json", "--timeout", "0.05")
    assert (code, out) == (4, "") and reason in err and "Traceback" not in err


def test_sim_receipt_serves_a_scenario_over_tcp(capsys) -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sim", "receipt", "--listen", "127.0.0.1:0", "--scenario", "cover_open"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        banner = server.stdout.readline()
        url = banner.split("listening on ")[1].strip()
        code, out, _ = run(capsys, "--port", url, "--json", "--timeout", "2")
        assert code == 0 and json.loads(out)["cover_open"] is True
    finally:
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=10) == 0
