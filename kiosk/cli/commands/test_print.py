"""`kiosk diag test-print --printer NAME`: print a test page (no personal data) on a configured printer.

Exit codes: 0 printed, 2 unknown printer / unsupported kind / bad config, 4 device error or time-out.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from devices.docprinter import build_document_printer
from devices.docprinter.base import partial_result
from devices.errors import DeviceError
from devices.registry import DeviceSettings, build_device
from kiosk.cli import exitcodes
from kiosk.config import ConfigError, DeviceConfig, load_config
from kiosk.home import KioskHome
from kiosk.technician.testpages import a4_self_test_page, card_self_test_page, receipt_self_test_job


def register(groups: dict[str, argparse._SubParsersAction], top: argparse._SubParsersAction) -> None:
    parser = groups["diag"].add_parser("test-print", help="print a test page on a configured printer")
    parser.add_argument("--printer", required=True, help="device name in the kiosk configuration")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds for the whole job (default 120)")
    parser.set_defaults(handler=test_print)


def _fail(message: str, code: int) -> int:
    print(f"kiosk diag test-print: {message}", file=sys.stderr)
    return code


def test_print(args: argparse.Namespace) -> int:
    if args.timeout <= 0:
        return _fail("--timeout must be positive", exitcodes.USAGE)
    try:
        config = load_config(KioskHome.resolve(args.home).config_file)
    except ConfigError as error:
        return _fail(str(error), exitcodes.USAGE)
    device = config.devices.get(args.printer)
    if device is None:
        printers = sorted(name for name, dev in config.devices.items() if dev.kind.endswith("_printer"))
        return _fail(f"no printer {args.printer!r}; configured: {', '.join(printers) or 'none'}", exitcodes.USAGE)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    job_name = f"testpage-{stamp}"
    try:
        if device.kind == "document_printer":
            return _print_pdf(
                build_document_printer(args.printer, device.url, **device.options),
                a4_self_test_page(config.kiosk_id, args.printer, stamp),
                job_name,
                args.timeout,
            )
        if device.kind == "card_printer":
            printer = build_device(_settings(args.printer, device))
            return _print_pdf(
                printer, card_self_test_page(config.kiosk_id, args.printer, stamp), job_name, args.timeout
            )
        if device.kind == "receipt_printer":
            return _print_receipt(args.printer, device, config.kiosk_id, stamp, args.timeout)
    except ValueError as error:  # a malformed URL or option in the configuration
        return _fail(f"{args.printer}: {error}", exitcodes.USAGE)
    return _fail(f"{args.printer} is a {device.kind}, not a printer", exitcodes.USAGE)


def _settings(name: str, device: DeviceConfig) -> DeviceSettings:
    return DeviceSettings(name=name, kind=device.kind, url=device.url, baudrate=device.baudrate, options=device.options)


def _print_pdf(printer: Any, pdf: bytes, job_name: str, timeout: float) -> int:
    printer.open()
    try:
        result = printer.print_pdf(pdf, job_name=job_name, timeout=timeout)
    except DeviceError as error:
        partial = partial_result(error)
        done = f" ({partial.pages} {partial.unit}(s) came out)" if partial else ""
        return _fail(
            f"{printer.name}: {error.code}: {error}{done}; state {printer.status.state}", exitcodes.DEVICE_ERROR
        )
    finally:
        printer.close()
    print(f"{printer.name}: printed job {result.job_id}: {result.pages} {result.unit}(s), {result.state}")
    return exitcodes.OK


def _print_receipt(name: str, device: DeviceConfig, kiosk_id: str, stamp: str, timeout: float) -> int:
    """A short test receipt on the ESC/POS printer."""
    printer = build_device(_settings(name, device))
    printer.open()
    try:
        printer.print_job(receipt_self_test_job(kiosk_id, name, stamp), timeout=timeout)
    except DeviceError as error:
        return _fail(f"{name}: {error.code}: {error}", exitcodes.DEVICE_ERROR)
    finally:
        printer.close()
    print(f"{name}: printed a test receipt")
    return exitcodes.OK
