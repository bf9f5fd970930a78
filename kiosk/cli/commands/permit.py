"""`kiosk diag read-permit` and `kiosk sim permit` (the Hong Kong/Macao permit chip over PC/SC).

Exit codes of read-permit: 0 read, 3 access refused (the access key does not open the chip), 4 no card,
reader or chip error, 2 usage. The JSON shows the photo as its length only.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading

from devices.errors import DeviceError
from devices.permit.errors import AccessDenied
from devices.permit.mrz import AccessKey, MrzError
from kiosk.cli import exitcodes
from kiosk.cli.args import host_port

ACCESS_REFUSED = 3  # read-permit's own meaning of 3 (the brief of issue 13): BAC failed


def register(groups: dict[str, argparse._SubParsersAction], top: argparse._SubParsersAction) -> None:
    read = groups["diag"].add_parser("read-permit", help="read the Hong Kong/Macao permit's chip over PC/SC")
    read.add_argument("--port", required=True, help="pcsc:// (first reader with a card) or pcsc://READER%%20NAME")
    key = read.add_mutually_exclusive_group(required=True)
    key.add_argument("--mrz", help="the whole MRZ (90 characters, or three lines)")
    key.add_argument("--permit-number", help="document number (with --birth and --expiry)")
    read.add_argument("--birth", help="birth date YYMMDD")
    read.add_argument("--expiry", help="expiry date YYMMDD")
    read.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for the permit (default 10)")
    read.add_argument("--trust", action="append", default=[], help="a CSCA certificate (PEM) to check the signer")
    read.add_argument("--json", action="store_true", help="print the permit as one JSON object")
    read.set_defaults(handler=read_permit)

    sim = groups["sim"].add_parser("permit", help="put a simulated permit on the virtual PC/SC reader (vpcd)")
    sim.add_argument("--vpcd", type=host_port, default=("127.0.0.1", 35963), help="HOST:PORT of vpcd (35963)")
    sim.add_argument("--permit", default="zhang_weiming", help="demo permit id (devices/permit/sim/permits.json)")
    sim.add_argument("--scenario", default="ok", help="scenario name (devices/permit/sim/scenarios) or JSON file")
    sim.add_argument("--pace", action="store_true", help="answer at the chip's 424 kbit/s contactless rate")
    sim.set_defaults(handler=run_simulator)


def _access_key(args: argparse.Namespace) -> AccessKey:
    if args.mrz:
        return AccessKey.from_mrz(args.mrz)
    if not args.birth or not args.expiry:
        raise MrzError("--permit-number needs --birth and --expiry")
    return AccessKey(args.permit_number, args.birth, args.expiry)


def read_permit(args: argparse.Namespace) -> int:
    from devices.permit.device import PermitReader

    try:
        key = _access_key(args)
        if args.timeout <= 0:
            raise ValueError("--timeout must be positive")
        reader = PermitReader.from_settings("permit", args.port, {"trust_anchors": args.trust})
    except (MrzError, ValueError, OSError) as error:
        print(f"kiosk diag read-permit: {error}", file=sys.stderr)
        return exitcodes.USAGE
    try:
        reader.open()
        document = reader.read_permit(key, timeout=args.timeout)
    except AccessDenied as error:
        print(f"kiosk diag read-permit: {error.code}: {error}", file=sys.stderr)
        return ACCESS_REFUSED
    except DeviceError as error:
        print(f"kiosk diag read-permit: {error.code}: {error}", file=sys.stderr)
        return exitcodes.DEVICE_ERROR
    finally:
        reader.close()
    record = document.to_json()
    document.wipe()
    if args.json:
        print(json.dumps(record, ensure_ascii=False))
    else:
        for name, value in record.items():
            print(f"{name:>16}: {value}")
    return exitcodes.OK


def run_simulator(args: argparse.Namespace) -> int:
    from devices.permit.sim.control import PermitSimulator
    from devices.permit.sim.vpcd import Pacing

    pacing = Pacing() if args.pace else Pacing(bitrate=None)
    simulator = PermitSimulator(args.vpcd[0], args.vpcd[1], pacing=pacing)
    try:
        simulator.present(args.permit, args.scenario)
    except (ValueError, OSError, ConnectionError) as error:
        print(f"kiosk sim permit: {error}", file=sys.stderr)
        return exitcodes.USAGE
    key = simulator.access_key() if simulator.permit else None
    where = f"{args.vpcd[0]}:{args.vpcd[1]}"
    if key is None:
        print(f"no permit presented ({args.scenario}); vpcd {where}", flush=True)
    else:
        print(f"permit {args.permit} ({args.scenario}) on vpcd {where}; access key "
              f"{key.document_number} {key.birth_date} {key.expiry_date}", flush=True)  # fmt: skip
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        simulator.close()
    return exitcodes.OK
