"""Fixtures for the document-printer tests: small real PDFs, fresh spool simulators, a real CUPS queue."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

CAPTURES = Path(__file__).parent / "captures"


def make_pdf(pages: int = 1, size: tuple[float, float] = A4) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=size)
    for number in range(1, pages + 1):
        page.drawString(72, size[1] - 72, f"kiosk test page {number} of {pages}")
        page.showPage()
    page.save()
    return buffer.getvalue()


@pytest.fixture
def pdf_factory() -> Callable[..., bytes]:
    return make_pdf


@pytest.fixture(autouse=True)
def _fresh_spools():
    from devices.docprinter.spool import forget_spools

    forget_spools()
    yield
    forget_spools()


@pytest.fixture
def capture() -> Callable[[str], bytes]:
    """Real IPP responses captured from cupsd 2.4 (Debian 12) with the cups-pdf and kiosk-fault queues."""
    return lambda name: (CAPTURES / f"{name}.ipp").read_bytes()


@pytest.fixture
def cups_queue() -> str:
    queue = os.environ.get("KIOSK_TEST_CUPS_QUEUE")
    if not queue:
        pytest.skip("no CUPS server: run `export KIOSK_TEST_CUPS_QUEUE=$(bash scripts/start-test-cups.sh)`")
    return queue


@pytest.fixture
def cups_pdf_dir() -> Path:
    return Path(os.environ.get("KIOSK_TEST_CUPS_PDF_DIR", "/var/spool/cups-pdf-kiosk-test"))


def run_admin(*command: str) -> None:
    """Run a CUPS admin command (cupsdisable, lpadmin...); scripts/start-test-cups.sh makes this user an admin."""
    if shutil.which(command[0]) is None:
        pytest.fail(f"{command[0]} not installed (scripts/setup.sh test installs CUPS)")
    result = subprocess.run(command, capture_output=True, text=True, timeout=10, env={**os.environ, "LC_ALL": "C"})
    if result.returncode != 0:
        pytest.fail(f"{' '.join(command)} failed: {result.stderr.strip()}")
