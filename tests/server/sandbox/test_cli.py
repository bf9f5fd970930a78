"""`kiosk serve-sandbox --create-kiosk`: the printed key authenticates against the same database."""

from __future__ import annotations

from kiosk.cli.main import main
from server.sandbox.demo_data import ZHANG
from server.sandbox.testing import running_sandbox
from tests.server.sandbox.helpers import Api


def test_create_kiosk_prints_a_working_key(tmp_path, capsys):
    assert main(["--home", str(tmp_path), "serve-sandbox", "--create-kiosk", "kiosk-cli-01"]) == 0
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.split())
    assert lines["kiosk_id"] == "kiosk-cli-01"
    with running_sandbox(f"sqlite:///{tmp_path / 'sandbox.sqlite3'}") as server:
        api = Api(server.base_url, {"X-Kiosk-Id": "kiosk-cli-01", "X-Kiosk-Key": lines["kiosk_key"]})
        assert api.ok(api.post("/persons/lookup", {"id_number": ZHANG}, key=None))["sex"] == "男"


def test_create_kiosk_refuses_a_bad_id(tmp_path):
    assert main(["--home", str(tmp_path), "serve-sandbox", "--create-kiosk", "Bad Id"]) == 2
