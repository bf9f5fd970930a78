"""Benchmark: one typical payment receipt (~15 lines of Chinese and a QR) printed over a real pty.

Reports the job's bytes, the bytes on the wire (job + DLE EOT status checks and replies) and the time
print_job takes (status before, chunks, status after each chunk), against the wire-time limit of a
115200 baud 8N1 line: bytes * 10 / 115200 s. A pty moves bytes without baud-rate pacing, so the measured
time is the software overhead; on a real UART the wire time is the floor.

    .venv/bin/python benchmarks/bench_receipt.py [--runs 20] [--chunk-size 512] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devices.receipt.device import ReceiptPrinter
from devices.receipt.protocol import encode_job
from devices.receipt.samples import payment_receipt
from devices.receipt.sim import ReceiptPrinterSimulator
from devices.sim.hosts import PtySimulator
from devices.transport import Transport, TransportSettings

BAUD = 115200
BITS_PER_BYTE = 10  # start + 8 data + stop


def wire_seconds(byte_count: int) -> float:
    return byte_count * BITS_PER_BYTE / BAUD


def measure(runs: int, chunk_size: int) -> dict[str, float | int]:
    job = payment_receipt()
    job_bytes = len(encode_job(job))
    sim = ReceiptPrinterSimulator()
    times: list[float] = []
    with PtySimulator(sim) as host:
        printer = ReceiptPrinter(
            "receipt", Transport(TransportSettings(url=host.port_path, baudrate=BAUD)), chunk_size=chunk_size
        )
        printer.open()
        try:
            for _ in range(runs):
                before = len(sim.received)
                start = time.perf_counter()
                result = printer.print_job(job)
                times.append(time.perf_counter() - start)
                host_bytes = len(sim.received) - before
        finally:
            printer.close()
    assert len(sim.receipts) == runs, "every run must come out as one cut receipt"
    checks = result.chunks + 1  # before the job and after every chunk
    wire_bytes = host_bytes + checks * 4  # plus one reply byte per DLE EOT request
    return {
        "job_bytes": job_bytes,
        "chunks": result.chunks,
        "status_checks": checks,
        "wire_bytes": wire_bytes,
        "wire_limit_ms": round(wire_seconds(wire_bytes) * 1000, 2),
        "job_only_wire_limit_ms": round(wire_seconds(job_bytes) * 1000, 2),
        "median_ms": round(statistics.median(times) * 1000, 2),
        "p90_ms": round(sorted(times)[int(0.9 * (len(times) - 1))] * 1000, 2),
        "runs": runs,
        "lines": len(sim.receipts[0].lines),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--chunk-size", type=int, default=512)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = measure(args.runs, args.chunk_size)
    if args.json:
        print(json.dumps(figures))
        return 0
    print(f"payment receipt: {figures['lines']} printed lines, {figures['job_bytes']} job bytes")
    print(
        f"on the wire: {figures['wire_bytes']} bytes ({figures['chunks']} chunks, {figures['status_checks']} status checks)"
    )
    print(
        f"wire-time limit at {BAUD} baud: {figures['wire_limit_ms']} ms (job alone {figures['job_only_wire_limit_ms']} ms)"
    )
    print(
        f"print_job over a pty: median {figures['median_ms']} ms, p90 {figures['p90_ms']} ms ({figures['runs']} runs)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
