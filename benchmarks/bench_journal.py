"""Commit latency of one journal transition with SQLite WAL + synchronous=FULL on this disk.

Each transition is one committed write transaction (the state change plus its order_events row), which is
what a flow waits for before every side effect. Reference measured for the design: ~0.7 ms per commit.

usage: .venv/bin/python benchmarks/bench_journal.py [--orders 200] [--dir PATH]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from kiosk.journal import Journal, Service, sqlite_pragmas


def _walk_one(journal: Journal, samples: list[float]) -> None:
    order = journal.create_order(Service.TEMP_ID, amount_cents=1000, id_number="11010519491231002X")
    oid = order.order_id
    steps = [
        lambda: journal.begin_payment(oid, "PO-1"),
        lambda: journal.mark_paid(oid),
        lambda: journal.begin_issue(oid),
        lambda: journal.begin_print(oid, "DOC-1", "temp_id_card"),
        lambda: journal.mark_printed(oid),
        lambda: journal.complete(oid),
    ]
    for step in steps:
        started = time.perf_counter()
        step()
        samples.append(time.perf_counter() - started)


def raw_commit_baseline(directory: Path, commits: int = 1000) -> dict[str, float]:
    """The same disk with plain sqlite3 (one-row insert per commit): the fsync floor under the ORM."""
    with tempfile.TemporaryDirectory(dir=directory) as scratch:
        connection = sqlite3.connect(Path(scratch) / "raw.sqlite3", isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, state TEXT)")
        samples = []
        for _ in range(commits):
            started = time.perf_counter()
            connection.execute("BEGIN")
            connection.execute("INSERT INTO t (state) VALUES ('PAID')")
            connection.execute("COMMIT")
            samples.append(time.perf_counter() - started)
        connection.close()
    return _summary(samples)


def _summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "n": len(samples),
        "median_ms": statistics.median(samples) * 1000,
        "p95_ms": ordered[int(0.95 * (len(ordered) - 1))] * 1000,
        "max_ms": ordered[-1] * 1000,
    }


def run(orders: int, directory: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory(dir=directory) as scratch:
        journal = Journal.for_home(Path(scratch), kiosk_id="bench-kiosk")
        pragmas = sqlite_pragmas(journal.engine)
        assert (pragmas["journal_mode"], pragmas["synchronous"]) == ("wal", 2), pragmas
        _walk_one(journal, [])  # warm-up: schema, pool, statement cache
        samples: list[float] = []
        for _ in range(orders):
            _walk_one(journal, samples)
        journal.close()
    return _summary(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--dir", type=Path, default=Path.cwd(), help="directory on the disk to measure")
    args = parser.parse_args()
    for label, result in (("journal transition (ORM, event row)", run(args.orders, args.dir)),
                          ("raw sqlite3 commit (floor)", raw_commit_baseline(args.dir))):  # fmt: skip
        print(
            f"{label}, WAL + synchronous=FULL on {args.dir}: n={result['n']} "
            f"median={result['median_ms']:.2f} ms p95={result['p95_ms']:.2f} ms max={result['max_ms']:.2f} ms"
        )


if __name__ == "__main__":
    main()
