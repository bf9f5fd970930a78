"""`kiosk diag read-id`, `kiosk sim idcard` and `kiosk diag devices`."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from devices.errors import DeviceError
from devices.idcard.device import IdCardReader
from devices.idcard.errors import CardRemoved, NoCard
from devices.idcard.sim import IdCardSimulator, load_scenario, scenario_names
from devices.sim.hosts import PtySimulator
from devices.transport import Transport, TransportSettings
from kiosk.cli import exitcodes
from kiosk.cli.args import host_port
from kiosk.cli.simserve import serve_tcp
from kiosk.diagnostics import survey_devices


def register(groups: dict[str, argparse._SubParsersAction], top: argparse._SubParsersAction) -> None:
    read = groups["diag"].add_parser("read-id", help="read one ID card through any pyserial URL")
    read.add_argument(
        "--port", required=True, help="e.g. /dev/ttyUSB0, socket://127.0.0.1:5000, sim://idcard?scenario=resident"
    )
    read.add_argument("--json", action="store_true", help="print the card as one JSON object")
    read.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for a card (default 5)")
    read.add_argument("--baudrate", type=int, default=115200)
    read.add_argument("--fingerprint", action="store_true", help="also read the fingerprint block")
    read.set_defaults(handler=read_id)

    sim = groups["sim"].add_parser("idcard", help="run the ID card reader simulator")
    where = sim.add_mutually_exclusive_group(required=True)
    where.add_argument("--listen", type=host_port, help="HOST:PORT to serve on (socket:// clients)")
    where.add_argument("--pty", action="store_true", help="serve on a new pseudo-terminal and print its path")
    sim.add_argument("--scenario", default="resident", help=f"one of: {', '.join(scenario_names())}, or a JSON file")
    sim.set_defaults(handler=run_simulator)

    devices = groups["diag"].add_parser("devices", help="every configured device with its state and detail")
    devices.add_argument("--json", action="store_true")
    devices.set_defaults(handler=list_devices)


def read_id(args: argparse.Namespace) -> int:
    if args.timeout <= 0:
        print("kiosk diag read-id: --timeout must be positive", file=sys.stderr)
        return exitcodes.USAGE
    reader = IdCardReader("idcard", Transport(TransportSettings(url=args.port, baudrate=args.baudrate)))
    try:
        reader.transport.open()
        document = reader.read_card(timeout=args.timeout, with_fingerprint=args.fingerprint)
    except (NoCard, CardRemoved) as error:
        print(f"kiosk diag read-id: {error}", file=sys.stderr)
        return exitcodes.NO_CARD
    except DeviceError as error:
        print(f"kiosk diag read-id: {error.code}: {error}", file=sys.stderr)
        return exitcodes.DEVICE_ERROR
    finally:
        reader.transport.close()
    record = document.to_json()
    document.wipe()
    if args.json:
        print(json.dumps(record, ensure_ascii=False))
    else:
        for key, value in record.items():
            print(f"{key:>12}: {value if value is not None else '长期'}")
    return exitcodes.OK


def run_simulator(args: argparse.Namespace) -> int:
    try:
        engine = IdCardSimulator(load_scenario(args.scenario))
    except (ValueError, OSError) as error:
        print(f"kiosk sim idcard: {error}", file=sys.stderr)
        return exitcodes.USAGE
    if args.pty:
        host = PtySimulator(engine).start()
        print(host.port_path, flush=True)
        try:
            host._pump.stopped.wait()
        except KeyboardInterrupt:
            pass
        host.stop()
        return exitcodes.OK
    return serve_tcp(engine, args.listen, f"ID card simulator ({args.scenario})")


def list_devices(args: argparse.Namespace) -> int:
    rows = survey_devices(args.home)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        for row in rows:
            print(_device_line(row))
    return exitcodes.OK


def _device_line(row: dict[str, Any]) -> str:
    detail = ", ".join(f"{k}={v}" for k, v in row["detail"].items())
    error = f" last_error={row['last_error']}" if row["last_error"] else ""
    return f"{row['name']:<10} {row['kind']:<17} {row['state']:<15} {row['url']} {detail}{error}".rstrip()
