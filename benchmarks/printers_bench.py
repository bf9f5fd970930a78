"""Timings of the printing path: CUPS setup and job round trip, card rendering and a simulated card job.

    .venv/bin/python benchmarks/printers_bench.py [--queue kiosk-a4] [--repeat 5]

The CUPS parts run only when a queue is given (or KIOSK_TEST_CUPS_QUEUE is set).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from devices.cardprinter.device import CardPrinter
from devices.cardprinter.render import render_pdf_panels
from devices.docprinter.cups import CupsPrinter
from devices.transport import Transport, TransportSettings
from printing import demo
from printing.temp_id import build_temp_id_pdf

ROOT = Path(__file__).resolve().parent.parent


def pdf(pages: int, size: tuple[float, float]) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=size)
    for number in range(pages):
        page.rect(10, 10, size[0] / 3, size[1] / 3, fill=1)
        page.drawString(20, size[1] - 30, f"benchmark page {number + 1}")
        page.showPage()
    page.save()
    return buffer.getvalue()


def timed(label: str, action: Callable[[], object], repeat: int) -> None:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    print(
        f"{label:<44} median {statistics.median(samples) * 1000:8.1f} ms  (min {min(samples) * 1000:.1f}, n={repeat})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queue", default=os.environ.get("KIOSK_TEST_CUPS_QUEUE"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    card_pdf = build_temp_id_pdf(demo.demo_temp_id())  # the real card: the back's emblem area stays clear
    timed("render 2-sided card PDF -> 1016x648 panels", lambda: render_pdf_panels(card_pdf), args.repeat)
    transport = Transport(TransportSettings(url="sim://cardprinter?instance=bench&cards=100000"))
    card = CardPrinter("card", transport)
    card.open()
    timed(
        "card job on the simulator (render + protocol)",
        lambda: card.print_pdf(card_pdf, job_name="bench", timeout=30),
        args.repeat,
    )
    if not args.queue:
        print("CUPS: skipped (no --queue / KIOSK_TEST_CUPS_QUEUE)")
        return
    script = ROOT / "scripts" / "start-test-cups.sh"
    timed(
        "start-test-cups.sh (already installed)",
        lambda: subprocess.run(["bash", str(script)], check=True, capture_output=True),
        1,
    )
    a4 = CupsPrinter("a4", f"cups://{args.queue}", poll_interval=0.05)
    document = pdf(2, A4)
    timed(
        "CUPS 2-page job: submit -> completed",
        lambda: a4.print_pdf(document, job_name="bench", timeout=60),
        args.repeat,
    )


if __name__ == "__main__":
    main()
