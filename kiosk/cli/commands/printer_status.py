"""`kiosk diag printer-status` (any ESC/POS printer on a pyserial URL) and `kiosk sim receipt` (the
simulated printer on a TCP port)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from devices.errors import DeviceError
from devices.receipt.device import ReceiptPrinter
from devices.receipt.protocol import PrinterStatus
from devices.receipt.sim import ReceiptPrinterSimulator, load_scenario, scenario_names
from devices.transport import Transport, TransportSettings
from kiosk.cli import exitcodes
from kiosk.cli.args import host_port
from kiosk.cli.simserve import serve_tcp


def register(groups: dict[str, argparse._SubParsersAction], top: argparse._SubParsersAction) -> None:
    diag = groups["diag"].add_parser(
        "printer-status",
        help="ask an ESC/POS receipt printer for its status (DLE EOT 1-4)",
        description="Exit 0 when the printer answered (whatever it said), 4 when it did not.",
    )
    diag.add_argument("--port", required=True, help="pyserial URL: /dev/ttyUSB0, socket://HOST:PORT, sim://receipt?...")
    diag.add_argument("--baud", type=int, default=115200, help="baud rate for real serial ports (default 115200)")
    diag.add_argument("--timeout", type=float, default=0.5, help="seconds to wait for each status byte")
    diag.add_argument("--json", action="store_true", help="print one JSON object")
    diag.set_defaults(handler=printer_status)

    sim = groups["sim"].add_parser("receipt", help="run the simulated receipt printer on a TCP port")
    sim.add_argument("--listen", type=host_port, default="127.0.0.1:9100", help="HOST:PORT (port 0 picks a free one)")
    sim.add_argument("--scenario", default="ok", choices=scenario_names())
    sim.set_defaults(handler=run_simulator)


def status_report(printer: ReceiptPrinter, status: PrinterStatus) -> dict[str, Any]:
    return {
        "state": printer.status.state.value,
        "online": status.online,
        "paper": status.paper,
        "cover_open": status.cover_open,
        "error": status.error,
    }


def printer_status(args: argparse.Namespace) -> int:
    transport = Transport(TransportSettings(url=args.port, baudrate=args.baud))
    printer = ReceiptPrinter("receipt", transport, reply_timeout=args.timeout)
    try:
        transport.open()
        status = printer.query_status(timeout=args.timeout * 4)
    except DeviceError as error:
        print(f"kiosk: printer at {args.port} did not answer ({error.code}): {error}", file=sys.stderr)
        return exitcodes.DEVICE_ERROR
    finally:
        transport.close()
    report = status_report(printer, status)
    if args.json:
        print(json.dumps(report))
    else:
        print(_summary(report))
    return exitcodes.OK


def _summary(report: dict[str, Any]) -> str:
    paper = {"ok": "ok", "near_end": "near end - replace the roll soon", "out": "OUT"}[report["paper"]]
    return "\n".join(
        (
            f"state:   {report['state']}",
            f"online:  {'yes' if report['online'] else 'no'}",
            f"paper:   {paper}",
            f"cover:   {'OPEN' if report['cover_open'] else 'closed'}",
            f"error:   {report['error'] or 'none'}",
        )
    )


def run_simulator(args: argparse.Namespace) -> int:
    try:
        engine = ReceiptPrinterSimulator(load_scenario(args.scenario))
    except (ValueError, OSError) as error:
        print(f"kiosk sim receipt: {error}", file=sys.stderr)
        return exitcodes.USAGE
    return serve_tcp(engine, args.listen, f"receipt printer simulator ({args.scenario})")
