"""`kiosk flow SERVICE --script FILE` on the shipped example scripts and on broken ones: exit codes and what
is printed (JSON lines, never a name or a full ID number)."""

from __future__ import annotations

import json

import pytest

from kiosk.cli.commands.flow_cmd import example_script
from kiosk.cli.main import main
from server.sandbox.demo_data import CITIZENS, LI, ZHANG


def run(capsys, tmp_path, service: str, steps: list | None = None, script=None) -> tuple[int, list[dict]]:
    if script is None:
        script = tmp_path / "script.json"
        script.write_text(json.dumps({"steps": steps}), encoding="utf-8")
    code = main(["--home", str(tmp_path / "home"), "flow", service, "--script", str(script)])
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines()]


def assert_nothing_personal(lines: list[dict]) -> None:
    text = json.dumps(lines, ensure_ascii=False)
    for citizen in CITIZENS:
        assert citizen.id_number not in text and citizen.name not in text and citizen.address not in text


@pytest.mark.parametrize(("service", "file"), [("temp-id", "temp_id"), ("certificate", "certificate"),
                                               ("traffic", "traffic"), ("endorsement", "endorsement")])  # fmt: skip
def test_each_example_script_ends_done_and_prints_nothing_personal(capsys, tmp_path, service, file):
    code, lines = run(capsys, tmp_path, service, script=example_script(file))
    assert code == 0, lines[-1]
    assert lines[-1]["outcome"] == "done" and lines[-1]["order_state"] == "DONE"
    assert lines[-1]["document_number"]
    assert [line["n"] for line in lines[:-1]] == list(range(len(lines) - 1))  # every step reported
    assert_nothing_personal(lines)


def test_a_flow_that_fails_exits_1_with_its_error_code(capsys, tmp_path):
    steps = [{"intent": "submit_id_number", "id_number": LI}]  # no card application pending
    code, lines = run(capsys, tmp_path, "temp-id", steps)
    assert code == 1
    assert lines[-1] == {"outcome": "failed", "service": "temp_id", "error_code": "temp_id.no_pending_application"}
    assert lines[1]["action"]["id_number"] == LI[:3] + "*" * 11 + LI[-4:]


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([{"intent": "confirm"}], "intent_not_allowed"),  # not offered at the first step
        ([{"intent": "submit_id_number", "id_number": ZHANG}], None),  # the script stops mid-flow
        ([{"pay": True}], "no payment is shown"),
    ],
    ids=["not-offered", "unfinished", "nothing-to-pay"],
)
def test_a_script_the_flow_cannot_follow_exits_2(capsys, tmp_path, steps, message):
    code, lines = run(capsys, tmp_path, "temp-id", steps)
    assert code == 2
    if message:
        assert lines[-1]["error"] == "script" and message in lines[-1]["message"]
    else:
        assert lines[-1]["outcome"] == "unfinished"
    assert_nothing_personal(lines)


@pytest.mark.parametrize("content", ["not json", '{"steps": 3}', '{"steps": [{"face": "x", "pay": true}]}'])
def test_a_malformed_script_exits_2_before_anything_starts(capsys, tmp_path, content):
    script = tmp_path / "bad.json"
    script.write_text(content, encoding="utf-8")
    code, lines = run(capsys, tmp_path, "certificate", script=script)
    assert code == 2 and lines == [lines[0]] and lines[0]["error"] == "bad_script"
    assert not (tmp_path / "home").exists()  # refused before the demo environment started


def test_unknown_service_is_a_usage_error(capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        main(["flow", "passport", "--script", str(tmp_path / "x.json")])
    assert exit_info.value.code == 2


@pytest.mark.parametrize("number", ["\u00b210105198503121234", "1101051985031212\u06634", "1101051985031212\u096a4"])
def test_an_id_number_in_other_digits_is_refused_on_the_keypad_never_a_traceback(capsys, tmp_path, number):
    code, lines = run(capsys, tmp_path, "temp-id", [{"intent": "submit_id_number", "id_number": number}])
    assert code == 2 and lines[-1]["outcome"] == "unfinished"  # still on the keypad, asking again
    view = lines[-2]["view"]
    assert view["step"] == "enter_id_number" and view["data"]["error_key"].startswith("error.id_number.")
