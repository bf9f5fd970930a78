"""The hash-chained audit log: every edit, deletion, reordering or insertion is found, with its seq."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from itertools import pairwise

import pytest

from contracts.canonical import canonical_bytes
from kiosk.audit import GENESIS_HASH, AuditHead, AuditLog, audit_path
from kiosk.home import KioskHome


@pytest.fixture
def log(tmp_path):
    with AuditLog.for_home(KioskHome(tmp_path)) as audit_log:
        for index in range(1, 6):
            audit_log.append("tech-042", "config.apply", f"kiosk-config v{index}", {"version": index})
        yield audit_log


def raw_sql(log: AuditLog, *statements: str) -> None:
    """Tamper the way an attacker with file access would: plain sqlite3, no application code."""
    connection = sqlite3.connect(log.path)
    with connection:
        for statement in statements:
            connection.execute(statement)
    connection.close()


def test_entries_chain_from_genesis(log):
    entries = log.entries()
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    first = entries[0]
    body = {k: getattr(first, k) for k in ("seq", "ts", "actor", "action", "target", "detail")}
    assert first.prev_hash == GENESIS_HASH
    assert first.hash == hashlib.sha256(bytes.fromhex(GENESIS_HASH) + canonical_bytes(body)).hexdigest()
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(entries))
    assert log.head() == AuditHead(5, entries[-1].hash)
    assert log.verify().ok and log.verify().entries == 5


def test_empty_log_head_is_genesis(tmp_path):
    with AuditLog(tmp_path / "a.sqlite3") as empty:
        assert empty.head() == AuditHead(0, GENESIS_HASH)
        assert empty.verify().ok


def test_sqlite_runs_in_wal_with_synchronous_full(log):
    with log._engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


@pytest.mark.parametrize(
    ("statements", "bad_seq"),
    [
        (["UPDATE audit_log SET detail = '{\"version\":99}' WHERE seq = 3"], 3),
        (["UPDATE audit_log SET actor = 'someone-else' WHERE seq = 4"], 4),
        (["UPDATE audit_log SET detail = 'not json' WHERE seq = 2"], 2),
        (["DELETE FROM audit_log WHERE seq = 2"], 2),
        (["DELETE FROM audit_log WHERE seq = 1"], 1),
        (  # reorder: swap entries 2 and 3
            [
                "UPDATE audit_log SET seq = -2 WHERE seq = 2",
                "UPDATE audit_log SET seq = 2 WHERE seq = 3",
                "UPDATE audit_log SET seq = 3 WHERE seq = -2",
            ],
            2,
        ),
        (  # insert: shift 4.. up and slip a forged entry in at 4, copying the neighbours' hashes
            [
                "UPDATE audit_log SET seq = seq + 10 WHERE seq >= 4",
                "UPDATE audit_log SET seq = seq - 9 WHERE seq >= 14",
                "INSERT INTO audit_log SELECT 4, ts, actor, 'forged', target, detail, hash, hash "
                "FROM audit_log WHERE seq = 3",
            ],
            4,
        ),
    ],
)
def test_tampering_is_found_at_the_first_bad_seq(log, statements, bad_seq):
    raw_sql(log, *statements)
    result = log.verify()
    assert not result.ok
    assert result.first_bad_seq == bad_seq
    assert result.problem


def test_cut_tail_is_found_against_a_signed_head(log):
    signed_head = log.head()
    raw_sql(log, "DELETE FROM audit_log WHERE seq = 5")
    assert log.verify().ok  # a chain alone cannot see a missing tail ...
    result = log.verify(expected_head=signed_head)  # ... the periodically signed head can
    assert (result.ok, result.first_bad_seq) == (False, 5)


def test_personal_data_is_refused_and_nothing_is_written(log):
    for detail in ({"name": "张三"}, {"citizen": {"id_number": "110101199003077777"}}, {"reason": "x" * 1000}):
        with pytest.raises(ValueError):
            log.append("tech-042", "flow.override", "temp_id", detail)
    assert log.head().seq == 5


def test_concurrent_writers_keep_one_chain(tmp_path):
    path = audit_path(KioskHome(tmp_path))

    def write(actor: str) -> None:
        with AuditLog(path) as writer:
            for index in range(25):
                writer.append(actor, "diag.run", "receipt", {"n": index})

    threads = [threading.Thread(target=write, args=(f"tech-{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with AuditLog(path) as reader:
        assert reader.verify().ok
        assert reader.head().seq == 50
