"""Certificate PDF build time (median of 50) and size. Goal: < 150 ms and < 200 KB with the embedded subset.

Run: .venv/bin/python benchmarks/bench_documents.py
The first build also loads the CJK font collection (once per process); it is reported apart from the median.
Exit status 1 when a goal is missed, so CI can run it as a check.
"""

from __future__ import annotations

import statistics
import sys
import time

from printing import demo
from printing.certificate import build_certificate_pdf
from printing.receipt_pdf import render_receipt_pdf
from printing.receipts import payment_receipt
from printing.temp_id import build_temp_id_pdf

RUNS = 50
GOAL_MS = 150.0
GOAL_BYTES = 200 * 1024


def _median_ms(build, data) -> tuple[float, int]:
    timings = []
    size = 0
    for _ in range(RUNS):
        start = time.perf_counter()
        size = len(build(data))
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), size


def main() -> int:
    certificate = demo.demo_certificate()
    start = time.perf_counter()
    build_certificate_pdf(certificate)
    cold_ms = (time.perf_counter() - start) * 1000
    median_ms, size = _median_ms(build_certificate_pdf, certificate)
    print(
        f"certificate: first build (font load) {cold_ms:.0f} ms; median of {RUNS} {median_ms:.1f} ms; "
        f"{size / 1024:.1f} KB"
    )
    temp_ms, temp_size = _median_ms(build_temp_id_pdf, demo.demo_temp_id())
    print(f"temp-id card: median {temp_ms:.1f} ms; {temp_size / 1024:.1f} KB")
    receipt_ms, receipt_size = _median_ms(render_receipt_pdf, payment_receipt(demo.demo_payment_receipt()))
    print(f"receipt preview: median {receipt_ms:.1f} ms; {receipt_size / 1024:.1f} KB")
    ok = median_ms < GOAL_MS and size < GOAL_BYTES
    print("goal met" if ok else f"goal missed (< {GOAL_MS:.0f} ms, < {GOAL_BYTES // 1024} KB)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
