"""`kiosk demo`: the whole product on one machine with no hardware.

Starts the sandbox backend on loopback (SQLite under the data home), every device simulator, and the
touchscreen app with the simulator control window. Until the app is present it falls back to a console
walk-through of the ID card reader.
"""

from __future__ import annotations

import argparse
import importlib.util
import json

from kiosk.cli import exitcodes


def register(groups: dict[str, argparse._SubParsersAction], top: argparse._SubParsersAction) -> None:
    demo = top.add_parser("demo", help="start the kiosk demo: sandbox backend, simulated devices, the app")
    demo.add_argument("--landscape", action="store_true", help="1920x1080 instead of portrait 1080x1920")
    demo.add_argument("--lang", choices=["zh", "en"], default="zh")
    demo.add_argument("--port", type=int, default=0, help="sandbox port (default: any free port)")
    demo.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("kiosk.demo") is not None:
        from kiosk.demo import run

        return run(args)
    return _console_demo()


def _console_demo() -> int:
    from devices.idcard.device import IdCardReader
    from devices.transport import Transport, TransportSettings

    reader = IdCardReader("idcard", Transport(TransportSettings(url="sim://idcard?scenario=resident")))
    reader.open()
    print(f"ID card reader (simulated): {reader.status.state}")
    document = reader.read_card(timeout=5)
    print(json.dumps(document.to_json(), ensure_ascii=False, indent=1))
    document.wipe()
    reader.close()
    return exitcodes.OK
