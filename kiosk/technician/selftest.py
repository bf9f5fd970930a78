"""Per-kind self-tests and test actions. Results are plain data (no personal data), for screen, CLI and audit.

idcard: SAM status and SAM id; printers: status, then a test page; camera: one frame. A check that could not
run because an earlier one failed is reported as skipped, not as passed.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from devices.errors import DeviceError
from devices.status import DeviceState
from kiosk.technician import testpages

PRINTER_KINDS = ("document_printer", "card_printer", "receipt_printer")
TEST_PRINT_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str = ""
    code: str | None = None  # the DeviceError code on failure
    skipped: bool = False


@dataclass(frozen=True)
class SelfTestResult:
    device: str
    kind: str
    passed: bool
    checks: list[Check] = field(default_factory=list)
    duration_s: float = 0.0

    @property
    def error_code(self) -> str | None:
        return next((c.code or "failed" for c in self.checks if not c.passed and not c.skipped), None)

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "error_code": self.error_code}


@dataclass(frozen=True)
class ActionResult:
    """The outcome of a test read / test print / test photo / reconnect."""

    device: str
    action: str
    ok: bool
    code: str | None = None
    message: str = ""
    detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def run_check(name: str, fn: Callable[[], str]) -> Check:
    """Run one check; a DeviceError becomes a failed check with its code, the detail string otherwise."""
    try:
        return Check(name, True, fn())
    except DeviceError as error:
        return Check(name, False, str(error), error.code)
    except (OSError, ValueError) as error:
        return Check(name, False, str(error), type(error).__name__)


def skipped(name: str, why: str) -> Check:
    return Check(name, False, why, skipped=True)


# -- idcard ---------------------------------------------------------------------------------------------
def idcard_checks(device: Any) -> list[Check]:
    from devices.idcard import codes

    def sam_status() -> str:
        sw3 = device.sam_status()
        if sw3 != codes.SW3_OK:
            name, meaning = codes.SW3_CODES.get(sw3, ("unknown_status", "unknown status"))
            raise DeviceError(f"SAM status 0x{sw3:02X}: {meaning}", code=name)
        return f"SAM OK (0x{sw3:02X})"

    status = run_check("sam_status", sam_status)
    if not status.passed:
        return [status, skipped("sam_id", "SAM status failed")]
    return [status, run_check("sam_id", device.sam_id)]


def test_read(device: Any, timeout: float) -> dict[str, Any]:
    """Read one card; return only what proves the read worked (type, sizes), then wipe the document."""
    document = device.read_card(timeout=timeout)
    try:
        return {
            "card_type": document.card_type,
            "photo_bytes": len(document.photo_wlt),
            "expired": document.is_expired(datetime.date.today()),
        }
    finally:
        document.wipe()


# -- printers -------------------------------------------------------------------------------------------
def printer_status_check(device: Any) -> Check:
    def refresh() -> str:
        refresh_status = getattr(device, "refresh_status", None)
        query_status = getattr(device, "query_status", None)  # the receipt driver: raises on silence
        if callable(refresh_status):
            refresh_status()
        elif callable(query_status):
            query_status()
        status = device.status
        summary = ", ".join(f"{k}={v}" for k, v in status.detail.items())
        if not status.state.usable:
            raise DeviceError(f"{status.state.value}: {summary}", code=status.last_error or status.state.value)
        return f"{status.state.value}: {summary}".rstrip(": ")

    return run_check("status", refresh)


def print_test_page(device: Any, kind: str, kiosk_id: str, timeout: float = TEST_PRINT_TIMEOUT_S) -> str:
    """Print the kind's test page; returns what came out. Raises DeviceError."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    job_name = f"selftest-{stamp}"
    if kind == "receipt_printer":
        print_job = getattr(device, "print_job", None) or getattr(device, "print_receipt", None)
        if print_job is None:
            raise DeviceError("the receipt driver has no print_job()", code="unsupported")
        print_job(testpages.receipt_self_test_job(kiosk_id, device.name, stamp), timeout=timeout)
        return "test receipt printed"
    page = testpages.card_self_test_page if kind == "card_printer" else testpages.a4_self_test_page
    result = device.print_pdf(page(kiosk_id, device.name, stamp), job_name=job_name, timeout=timeout)
    return f"job {result.job_id}: {result.pages} {result.unit}(s) {result.state}"


def printer_checks(device: Any, kind: str, kiosk_id: str, with_print: bool) -> list[Check]:
    status = printer_status_check(device)
    if not with_print:
        return [status, skipped("test_print", "not requested")]
    if not status.passed:
        return [status, skipped("test_print", "printer not ready")]
    return [status, run_check("test_print", lambda: print_test_page(device, kind, kiosk_id))]


# -- camera ---------------------------------------------------------------------------------------------
def grab_frame_summary(device: Any, timeout: float = 5.0) -> dict[str, Any]:
    """One frame's size and brightness; the frame itself (maybe a face) is zeroed and dropped here."""
    frame = device.capture(timeout=timeout)
    try:
        height, width = int(frame.shape[0]), int(frame.shape[1])
        return {"width": width, "height": height, "mean_brightness": round(float(frame.mean()), 1)}
    finally:
        frame.fill(0)


def camera_checks(device: Any) -> list[Check]:
    def one_frame() -> str:
        summary = grab_frame_summary(device)
        if summary["mean_brightness"] < 2:
            raise DeviceError("the frame is black (lens covered or no light)", code="black_frame")
        return f"{summary['width']}x{summary['height']}, brightness {summary['mean_brightness']}"

    return [run_check("frame", one_frame)]


def generic_checks(device: Any) -> list[Check]:
    def state() -> str:
        status = device.status
        if status.state not in (DeviceState.ONLINE, DeviceState.BUSY):
            raise DeviceError(status.state.value, code=status.last_error or status.state.value)
        return status.state.value

    return [run_check("state", state)]


def self_test_device(device: Any, name: str, kind: str, kiosk_id: str, *, with_print: bool = True) -> SelfTestResult:
    started = time.monotonic()
    if kind == "idcard":
        checks = idcard_checks(device)
    elif kind in PRINTER_KINDS:
        checks = printer_checks(device, kind, kiosk_id, with_print)
    elif kind == "camera":
        checks = camera_checks(device)
    else:
        checks = generic_checks(device)
    passed = all(c.passed for c in checks if not c.skipped) and any(not c.skipped for c in checks)
    return SelfTestResult(name, kind, passed, checks, round(time.monotonic() - started, 3))
