"""The `kiosk diag read-id` contract: JSON keys, exit codes 0/2/3/4, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from devices.idcard.sim import IdCardSimulator, load_scenario
from devices.sim.hosts import TcpSimulator
from kiosk.cli.main import main

COMMON_KEYS = {
    "card_type",
    "name",
    "sex",
    "nation",
    "birth_date",
    "address",
    "id_number",
    "authority",
    "valid_from",
    "valid_to",
}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_output_has_the_contract_keys(capsys):
    code, out, _ = run(capsys, "diag", "read-id", "--port", "sim://idcard?scenario=resident", "--json")
    record = json.loads(out)
    assert code == 0
    assert COMMON_KEYS <= record.keys()
    assert record["sex"] == "男" and record["birth_date"] == "1990-03-07" and record["valid_to"] == "2035-06-01"


def test_long_term_card_prints_null_valid_to(capsys):
    code, out, _ = run(capsys, "diag", "read-id", "--port", "sim://idcard?scenario=resident_long_term", "--json")
    assert code == 0 and json.loads(out)["valid_to"] is None


@pytest.mark.parametrize(
    ("scenario", "keys"),
    [("permit_j", {"pass_number", "issue_count"}), ("foreign_i", {"english_name", "nationality"})],
)
def test_type_specific_keys(capsys, scenario, keys):
    code, out, _ = run(capsys, "diag", "read-id", "--port", f"sim://idcard?scenario={scenario}", "--json")
    record = json.loads(out)
    assert code == 0 and record["card_type"] == scenario and keys <= record.keys()


def test_no_card_exits_3(capsys):
    code, out, err = run(capsys, "diag", "read-id", "--port", "sim://idcard?scenario=no_card", "--timeout", "0.2")
    assert (code, out) == (3, "") and "no card" in err


@pytest.mark.parametrize("port", ["sim://idcard?scenario=silence", "socket://127.0.0.1:9", "/dev/nope"])
def test_device_errors_exit_4(capsys, port):
    code, _, err = run(capsys, "diag", "read-id", "--port", port, "--timeout", "0.3")
    assert code == 4 and err.strip() and "Traceback" not in err


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["diag", "read-id"])
    assert caught.value.code == 2


def test_installed_command_reads_over_tcp_in_a_subprocess():
    with TcpSimulator(IdCardSimulator(load_scenario("noise"))) as server:
        result = subprocess.run(
            [sys.executable, "-m", "kiosk", "diag", "read-id", "--port", server.url, "--json"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["name"] == "张三"
    assert "Traceback" not in result.stderr
