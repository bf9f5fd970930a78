"""The kiosk's logging: JSON lines in rotating files, ID and phone numbers masked on write and on export."""

from __future__ import annotations

import gzip
import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.home import KioskHome
from kiosk.logs import export_logs, log_file, recent_entries, redact, setup_logging

ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"


@pytest.fixture
def home(tmp_path) -> KioskHome:
    return KioskHome(tmp_path / "home").ensure()


@pytest.fixture
def logging_to(home):
    """The real setup on the root logger, removed again after the test."""
    root = logging.getLogger()
    level = root.level
    handler = setup_logging(home, level=logging.INFO)
    yield handler
    root.removeHandler(handler)
    handler.close()
    root.setLevel(level)


def read_lines(home: KioskHome) -> list[dict]:
    return [json.loads(line) for line in log_file(home).read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"id {ID_NUMBER} done", "id 110***********002X done"),
        ("id 110105194912310021.", "id 110***********0021."),
        ("old id 110105491231002", "old id 110********1002"),
        ("spaced 110105 19491231 002X", "spaced 110*** ******** 002X"),
        (f"call {PHONE}", "call 138****5678"),
        ("call +86 138-1234-5678", "call +86 138-****-5678"),
        ("order 20240506000000000001 and 1234567890", "order 20240506000000000001 and 1234567890"),
        ("phone12345678901", "phone12345678901"),  # not a mobile prefix, not masked
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_log_lines_are_json_and_masked(home, logging_to) -> None:
    log = logging.getLogger("kiosk.flows.test")
    log.info("card %s read, callback on %s", ID_NUMBER, PHONE)
    try:
        raise ValueError(f"bad id {ID_NUMBER}")
    except ValueError:
        log.exception("failed for %s", PHONE)
    logging_to.flush()
    raw = log_file(home).read_text(encoding="utf-8")
    assert ID_NUMBER not in raw and PHONE not in raw
    first, second = read_lines(home)
    assert set(first) == {"ts", "level", "logger", "message"}
    assert first["level"] == "INFO" and first["logger"] == "kiosk.flows.test"
    assert first["message"] == "card 110***********002X read, callback on 138****5678"
    assert "110***********002X" in second["exc"] and second["message"] == "failed for 138****5678"
    assert datetime.fromisoformat(first["ts"]).tzinfo is not None
    assert log_file(home).stat().st_mode & 0o777 == 0o600


def test_setup_twice_does_not_double_lines(home, logging_to) -> None:
    handler = setup_logging(home)
    try:
        logging.getLogger("kiosk").warning("once")
        handler.flush()
        assert len(read_lines(home)) == 1
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()


def _line(moment: datetime, message: str) -> str:
    return json.dumps({"ts": moment.isoformat(), "level": "INFO", "logger": "x", "message": message}) + "\n"


def test_export_takes_the_last_hours_across_rotated_files_and_masks_again(home, tmp_path) -> None:
    now = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    (home.log_dir / "kiosk.log.2").write_text(_line(now - timedelta(hours=30), "too old"))
    # Written unmasked (e.g. before a rule existed): the export masks it.
    (home.log_dir / "kiosk.log.1").write_text(_line(now - timedelta(hours=5), f"older {ID_NUMBER}") + "not json\n")
    log_file(home).write_text(_line(now - timedelta(minutes=5), f"newest {PHONE}"))
    out = tmp_path / "export" / "logs.jsonl.gz"
    result = export_logs(home, 6, out, now=now)
    assert (result.lines, result.skipped, result.compressed) == (2, 1, True)
    exported = [json.loads(line) for line in gzip.open(out, "rt", encoding="utf-8")]
    assert [e["message"] for e in exported] == ["older 110***********002X", "newest 138****5678"]
    assert out.stat().st_mode & 0o777 == 0o600
    plain = export_logs(home, 1, tmp_path / "plain.jsonl", now=now)
    assert not plain.compressed and plain.lines == 1
    assert "138****5678" in (tmp_path / "plain.jsonl").read_text()
    assert [e["message"] for e in recent_entries(home, 48, limit=2, now=now)] == [
        "older 110***********002X",
        "newest 138****5678",
    ]


def test_export_needs_positive_hours(home, tmp_path) -> None:
    with pytest.raises(ValueError):
        export_logs(home, 0, tmp_path / "x.jsonl")
