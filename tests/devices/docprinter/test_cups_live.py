"""Against a real cupsd (scripts/start-test-cups.sh): jobs printed through cups-pdf, real queue states.

Skipped unless KIOSK_TEST_CUPS_QUEUE names the cups-pdf queue. The fault tests use the "kiosk-fault"
backend the script installs: a queue on kiosk-fault:/REASON reports REASON and stops, as a printer out of
paper would.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from devices.docprinter import errors
from devices.docprinter.base import JobState, partial_result
from devices.docprinter.cups import CupsPrinter
from devices.status import DeviceState

from .conftest import run_admin

pytestmark = pytest.mark.cups


def wait_for_file(directory: Path, pattern: str, timeout: float = 10.0) -> Path:
    """cups-pdf writes its file as the job completes; poll (bounded) until the file is whole."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for path in directory.glob(pattern):
            if path.stat().st_size > 0 and path.read_bytes().rstrip().endswith(b"%%EOF"):
                return path
        time.sleep(0.05)
    raise AssertionError(f"no {pattern} in {directory} after {timeout} s")


@pytest.fixture
def queue_ready(cups_queue):
    """The queue enabled and accepting, before and after each test (a failed test must not leave it off)."""
    run_admin("cupsenable", cups_queue)
    run_admin("cupsaccept", cups_queue)
    yield cups_queue
    run_admin("cupsenable", cups_queue)
    run_admin("cupsaccept", cups_queue)


def test_real_job_completes_and_the_pdf_comes_out(queue_ready, cups_pdf_dir, pdf_factory):
    printer = CupsPrinter("a4", f"cups://{queue_ready}")
    printer.open()
    assert printer.status.state is DeviceState.ONLINE
    job_name = f"order-{os.getpid()}-{time.monotonic_ns()}"
    result = printer.print_pdf(pdf_factory(2), job_name=job_name, timeout=60)
    assert result.state is JobState.COMPLETED and result.pages == 2
    job_number = result.job_id.rsplit("-", 1)[1]
    output = wait_for_file(cups_pdf_dir, f"{job_name}*job_{job_number}.pdf")
    assert len(PdfReader(output).pages) == 2
    assert printer.counters["pages_printed"] == 2
    output.unlink()


def test_disabled_queue_is_offline_and_refuses_then_recovers(queue_ready, pdf_factory):
    printer = CupsPrinter("a4", f"cups://{queue_ready}")
    run_admin("cupsdisable", "-r", "maintenance", queue_ready)
    status = printer.refresh_status()
    assert status.state is DeviceState.OFFLINE
    assert status.detail["queue"] == "stopped" and status.detail["message"] == "maintenance"
    with pytest.raises(errors.PrinterOffline):
        printer.print_pdf(pdf_factory(), job_name="order-disabled", timeout=10)
    run_admin("cupsenable", queue_ready)
    assert printer.refresh_status().state is DeviceState.ONLINE


def test_rejecting_queue_is_offline_then_recovers(queue_ready):
    printer = CupsPrinter("a4", f"cups://{queue_ready}")
    run_admin("cupsreject", queue_ready)
    status = printer.refresh_status()
    assert status.state is DeviceState.OFFLINE and status.detail["accepting"] is False
    run_admin("cupsaccept", queue_ready)
    assert printer.refresh_status().state is DeviceState.ONLINE


def test_missing_queue_is_offline(cups_queue):
    status = CupsPrinter("a4", f"cups://{cups_queue}-does-not-exist").refresh_status()
    assert status.state is DeviceState.OFFLINE and status.last_error == "printer_offline"


@pytest.fixture
def fault_queue(cups_queue, request):
    """A fresh queue on the kiosk-fault backend reporting the given reason (recreated: reasons persist)."""
    if not Path("/usr/lib/cups/backend/kiosk-fault").exists():
        pytest.skip("kiosk-fault backend not installed (run scripts/start-test-cups.sh as root)")
    name = f"{cups_queue}-fault"
    if _queue_exists(name):
        run_admin("lpadmin", "-x", name)
    run_admin("lpadmin", "-p", name, "-E", "-v", f"kiosk-fault:/{request.param}", "-m", "raw")
    yield name
    run_admin("lpadmin", "-x", name)


def _queue_exists(name: str) -> bool:
    return subprocess.run(["lpstat", "-p", name], capture_output=True, timeout=10).returncode == 0


def _pending_jobs(name: str) -> str:
    env = {**os.environ, "LC_ALL": "C"}
    return subprocess.run(["lpstat", "-o", name], capture_output=True, text=True, timeout=10, env=env).stdout


@pytest.mark.parametrize(
    ("fault_queue", "error", "detail"),
    [
        ("media-empty-error", errors.MediaEmpty, ("paper", "out")),
        ("media-jam-error", errors.MediaJam, ("paper", "jam")),
        ("door-open-error", errors.CoverOpen, ("door", "open")),
    ],
    indirect=["fault_queue"],
)
def test_printer_fault_during_a_job_is_named_and_the_job_cancelled(fault_queue, error, detail, pdf_factory):
    printer = CupsPrinter("a4", f"cups://{fault_queue}", poll_interval=0.05, stall_grace_s=0.2)
    assert printer.refresh_status().state is DeviceState.ONLINE
    with pytest.raises(error) as caught:
        printer.print_pdf(pdf_factory(), job_name="order-fault", timeout=30)
    assert partial_result(caught.value).state is JobState.FAILED
    status = printer.status
    assert status.state is DeviceState.USER_ERROR and status.detail[detail[0]] == detail[1]
    assert status.last_error == error.code
    assert _pending_jobs(fault_queue) == ""  # cancelled at cupsd: it cannot print once the fault is fixed
