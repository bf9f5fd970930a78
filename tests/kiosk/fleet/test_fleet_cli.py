"""The command lines end to end: kiosk-admin (keys, token, push, assign, rollout, status, history) and
`kiosk fleet enrol|run --once|status` against a real fleet server."""

from __future__ import annotations

import argparse
import re

from kiosk.admin import cli as admin_cli
from kiosk.admin.fleet_cmds import register
from kiosk.cli import exitcodes
from kiosk.cli.main import main as kiosk_main


def kiosk_admin(*argv: str) -> int:
    """kiosk-admin as the integrator will wire it: the existing parser plus fleet_cmds.register."""
    parser = admin_cli.build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    if "push" not in subparsers.choices:
        register(subparsers)
    args = parser.parse_args(list(argv))
    return args.handler(args)


def test_admin_and_kiosk_command_lines(tmp_path, fleet, capsys, monkeypatch):
    monkeypatch.setenv("KIOSK_FLEET_URL", fleet.url)
    monkeypatch.setenv("KIOSK_FLEET_TOKEN", "agent-test-admin-token")
    home = str(tmp_path / "home")
    assert kiosk_admin("keygen", "--out", str(tmp_path / "keys")) == 0
    pub = str(tmp_path / "keys" / "admin.pub")
    assert (
        kiosk_main(["--home", home, "config", "init", "--kiosk-id", "k-cli", "--trust", pub, "--channel", "east"]) == 0
    )
    capsys.readouterr()
    assert kiosk_admin("enrol-token", "--group", "pilot") == 0
    token = capsys.readouterr().out.strip()
    assert kiosk_main(["--home", home, "fleet", "enrol", "--server", fleet.url, "--token", token]) == 0
    assert (
        kiosk_main(["--home", str(tmp_path / "other"), "fleet", "enrol", "--server", fleet.url, "--token", token])
        == exitcodes.USAGE
    )  # no trust root
    payload = tmp_path / "payload.json"
    payload.write_text('{"site_name": "东城派出所"}', encoding="utf-8")
    signed = str(tmp_path / "v1.json")
    assert kiosk_admin("sign", "--key", str(tmp_path / "keys" / "admin.key"), "--in", str(payload), "--version", "1",
                       "--for", "channel:east", "--expires", "+7d", "--out", signed) == 0  # fmt: skip
    capsys.readouterr()
    assert kiosk_admin("push", signed) == 0
    document_id = re.search(r"document (\d+) uploaded", capsys.readouterr().out)[1]
    assert kiosk_admin("rollout", "start", "--document", document_id, "--batch", "group:pilot", "--success", "1") == 0
    assert "rollout 1: running" in capsys.readouterr().out
    assert kiosk_main(["--home", home, "fleet", "run", "--once", "--health-window", "0"]) == 0
    assert capsys.readouterr().out.strip() == "applied 1"
    assert kiosk_main(["--home", home, "fleet", "run", "--once"]) == 0
    assert capsys.readouterr().out.strip() == "committed 1"
    assert kiosk_admin("rollout", "status", "1") == 0
    assert "rollout 1: completed" in capsys.readouterr().out
    assert kiosk_admin("fleet", "status") == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("k-cli"))
    assert row.split()[1:4] == ["pilot", "1", "applied"]
    assert kiosk_admin("kiosk", "history", "k-cli") == 0
    assert [line.split()[1] for line in capsys.readouterr().out.splitlines()] == ["applied", "pending"]
    assert kiosk_admin("assign", "--document", "999", "--channel", "east") == exitcodes.REJECTED
    assert kiosk_main(["--home", home, "fleet", "status"]) == 0
    assert "reports waiting to be sent: 0" in capsys.readouterr().out


def test_admin_commands_need_a_server_and_token(monkeypatch, capsys):
    monkeypatch.delenv("KIOSK_FLEET_URL", raising=False)
    monkeypatch.delenv("KIOSK_FLEET_TOKEN", raising=False)
    assert kiosk_admin("fleet", "status") == exitcodes.USAGE
    assert "--server and --token are required" in capsys.readouterr().err
    assert kiosk_admin("fleet", "status", "--server", "http://127.0.0.1:9", "--token", "t") == exitcodes.FAILURE
