"""Fleet server figures: polls per second with ETag/304 for 10,000 enrolled kiosks, from a bounded load
loop on loopback against ONE server process, and from that how many kiosks one process carries at a
30 s poll interval. SQLite by default; PostgreSQL too when KIOSK_TEST_PG_URL is set.

Run: .venv/bin/python benchmarks/bench_fleet.py [--kiosks 10000] [--seconds 10] [--concurrency 32]
The kiosks are inserted straight into the database (enrolling 10,000 over HTTP would only time the
enrolment); every poll is a real authenticated GET .../desired with If-None-Match on a keep-alive
connection, answered 304. The load generator shares the machine's cores with the server, so the
figures are a floor for a dedicated server.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, insert

from server.fleet.db import FleetDatabase, normalise_url
from server.fleet.documents import inspect_document
from server.fleet.models import Assignment, Base, Document, Kiosk
from server.fleet.security import hash_secret

ADMIN = "bench-admin-token-0123456789"
POLL_INTERVAL_S = 30


def _document() -> bytes:
    signed = {"type": "kiosk-config", "schema_version": 1, "version": 1, "expires": "2099-01-01T00:00:00Z",
              "kiosk_ids": [], "channels": ["all"], "payload": {"site_name": "bench"}}  # fmt: skip
    return json.dumps({"signed": signed, "signatures": [{"keyid": "00" * 16, "sig": "AA=="}]}).encode()


def populate(db_url: str, kiosks: int) -> str:
    """Insert the kiosks and one channel assignment; return the ETag every kiosk will present."""
    engine = create_engine(normalise_url(db_url))
    Base.metadata.drop_all(engine)
    engine.dispose()
    db = FleetDatabase(db_url)
    db.create_tables()
    body = _document()
    info = inspect_document(body)
    with db.write() as session:
        doc = Document(sha256=info.sha256, etag=info.etag, doc_type=info.doc_type, version=1, expires=info.expires,
                       kiosk_ids=[], channels=["all"], body=body)  # fmt: skip
        session.add(doc)
        session.flush()
        session.add(Assignment(target_kind="channel", target="all", document_id=doc.id))
        rows = [{"id": f"k{i:05d}", "secret_hash": hash_secret(f"secret-{i}"), "group_name": f"g{i % 20}",
                 "channels": ["all"], "label": "", "devices": [], "device_states": {}, "availability": {}}
                for i in range(kiosks)]  # fmt: skip
        session.execute(insert(Kiosk), rows)
    db.dispose()
    return f'"{info.etag}"'


def start_server(db_url: str) -> tuple[subprocess.Popen[bytes], int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = ("from server.fleet import FleetSettings, serve_forever; "
            f"serve_forever(FleetSettings(db_url={db_url!r}, admin_token={ADMIN!r}, poll_interval_s={POLL_INTERVAL_S}), port={port})")  # fmt: skip
    process = subprocess.Popen([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start")


async def _reader_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:") and int(line.split(b":")[1]):
            await reader.readexactly(int(line.split(b":")[1]))
    return status


async def _connection(
    port: int, kiosks: int, etag: str, stop_at: float, latencies: list[float], statuses: dict[int, int]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    rng = random.Random()
    while time.perf_counter() < stop_at:
        i = rng.randrange(kiosks)
        auth = base64.b64encode(f"k{i:05d}:secret-{i}".encode()).decode()
        request = (f"GET /api/v1/kiosks/k{i:05d}/desired HTTP/1.1\r\nHost: fleet\r\nAuthorization: Basic {auth}\r\n"
                   f"If-None-Match: {etag}\r\n\r\n").encode()  # fmt: skip
        started = time.perf_counter()
        writer.write(request)
        status = await _reader_response(reader)
        latencies.append(time.perf_counter() - started)
        statuses[status] = statuses.get(status, 0) + 1
    writer.close()


async def load(port: int, kiosks: int, etag: str, seconds: float, concurrency: int) -> dict[str, float]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    warm_stop = time.perf_counter() + 1.0  # warm-up: connections, caches, JIT-less Python's first paths
    await asyncio.gather(*(_connection(port, kiosks, etag, warm_stop, [], {}) for _ in range(concurrency)))
    started = time.perf_counter()
    await asyncio.gather(
        *(_connection(port, kiosks, etag, started + seconds, latencies, statuses) for _ in range(concurrency))
    )
    elapsed = time.perf_counter() - started
    if set(statuses) != {304}:
        raise RuntimeError(f"expected only 304 answers, got {statuses}")
    cuts = statistics.quantiles(latencies, n=100)
    return {"polls": len(latencies), "polls_per_s": len(latencies) / elapsed, "p50_ms": cuts[49] * 1000,
            "p99_ms": cuts[98] * 1000}  # fmt: skip


def run(label: str, db_url: str, args: argparse.Namespace) -> None:
    started = time.perf_counter()
    etag = populate(db_url, args.kiosks)
    print(f"[{label}] {args.kiosks} kiosks inserted in {time.perf_counter() - started:.1f} s")
    process, port = start_server(db_url)
    try:
        result = asyncio.run(load(port, args.kiosks, etag, args.seconds, args.concurrency))
    finally:
        process.terminate()
        process.wait(10)
    capacity = result["polls_per_s"] * POLL_INTERVAL_S
    print(f"[{label}] {result['polls']} polls in {args.seconds:.0f} s over {args.concurrency} connections: "
          f"{result['polls_per_s']:.0f} polls/s (304), p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms")  # fmt: skip
    print(f"[{label}] one server process at a {POLL_INTERVAL_S} s interval: {capacity:,.0f} kiosks at 100 % load, "
          f"{capacity / 2:,.0f} at 50 % (headroom for heartbeats, reports and bursts after an outage)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiosks", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        run("sqlite", f"sqlite:///{directory}/fleet.sqlite3", args)
    if os.environ.get("KIOSK_TEST_PG_URL"):
        run("postgresql", os.environ["KIOSK_TEST_PG_URL"], args)
    else:
        print("[postgresql] skipped: KIOSK_TEST_PG_URL is not set")


if __name__ == "__main__":
    main()
