"""`kiosk diag read-permit` (exit 0 read, 3 access refused, 4 no card or reader error, 2 usage) and
`kiosk sim permit` standalone, both through the real pcscd."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from kiosk.cli.main import main
from tests.devices.permit.conftest import wait_until_absent

READER = "pcsc://Virtual%20PCD%2000%2000"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_the_contract_keys_and_the_photo_length_only(capsys, permit_sim):
    permit_sim.present("zhang_weiming", "with_endorsements")
    code, out, _ = run(capsys, "diag", "read-permit", "--port", READER, "--mrz", permit_sim.permit.mrz, "--json")
    record = json.loads(out)
    assert code == 0
    assert {"document_number", "name_latin", "name_chinese", "birth_date", "expiry_date", "sex", "endorsements",
            "photo_bytes"} <= record.keys()  # fmt: skip
    assert record["name_chinese"] == "张伟明" and isinstance(record["photo_bytes"], int) and record["photo_bytes"] > 10000
    assert [e["destination"] for e in record["endorsements"]] == ["HK", "MO"]


def test_typed_key_fields_work_and_a_wrong_one_exits_3(capsys, permit_sim):
    permit_sim.present("li_xiuying")
    key = permit_sim.access_key()
    code, out, _ = run(capsys, "diag", "read-permit", "--port", "pcsc://", "--permit-number", key.document_number,
                       "--birth", key.birth_date, "--expiry", key.expiry_date, "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["name_latin"] == "LI XIUYING"
    code, out, err = run(capsys, "diag", "read-permit", "--port", "pcsc://", "--permit-number", key.document_number,
                         "--birth", "920719", "--expiry", key.expiry_date)  # fmt: skip
    assert (code, out) == (3, "") and "access_denied" in err


def test_no_card_exits_4(capsys, permit_sim):
    permit_sim.remove()
    wait_until_absent()
    code, out, err = run(capsys, "diag", "read-permit", "--port", READER, "--permit-number", "C60123458", "--birth",
                         "850312", "--expiry", "330615", "--timeout", "0.3")  # fmt: skip
    assert (code, out) == (4, "") and "no_card" in err


@pytest.mark.parametrize("argv", [
    ["--mrz", "NOT AN MRZ"],
    ["--permit-number", "C60123458"],
    ["--permit-number", "C60123458", "--birth", "851399", "--expiry", "330615"],
])  # fmt: skip
def test_usage_errors_exit_2(capsys, pcscd, argv):
    code, out, _ = run(capsys, "diag", "read-permit", "--port", READER, *argv)
    assert (code, out) == (2, "")


def test_kiosk_sim_permit_runs_standalone(pcscd, capsys):
    environment = {**os.environ, "PCSCLITE_CSOCK_NAME": pcscd[0]}
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sim", "permit", "--vpcd", f"127.0.0.1:{pcscd[1]}", "--permit", "wang_jianguo"],
        stdout=subprocess.PIPE, text=True, env=environment,
    )  # fmt: skip
    try:
        banner = process.stdout.readline()
        assert "wang_jianguo" in banner
        number, birth, expiry = banner.rsplit("access key ", 1)[1].split()
        code, out, _ = run(capsys, "diag", "read-permit", "--port", READER, "--permit-number", number, "--birth", birth,
                           "--expiry", expiry, "--json")  # fmt: skip
        assert code == 0 and json.loads(out)["name_chinese"] == "王建国"
    finally:
        process.terminate()
        process.wait(10)
