"""`kiosk demo` (the whole product on one machine, no hardware) and `kiosk run` (the kiosk itself).

The GUI lives in ui/ (the core never imports Qt), so this starts `python -m ui.demo` with the same options.
"""

from __future__ import annotations

import argparse
import os
import sys


def register(groups: dict[str, argparse._SubParsersAction], top: argparse._SubParsersAction) -> None:
    demo = top.add_parser("demo", help="start the kiosk demo: sandbox backend, simulated devices, the app")
    demo.add_argument("--landscape", action="store_true", help="1920x1080 instead of portrait 1080x1920")
    demo.add_argument("--lang", choices=["zh", "en"], default="zh")
    demo.add_argument("--port", type=int, default=0, help="sandbox port (default: any free port)")
    demo.set_defaults(handler=run_demo)
    run = top.add_parser("run", help="run the kiosk app with the configured devices and backend")
    run.set_defaults(handler=run_kiosk)


def run_demo(args: argparse.Namespace) -> int:
    argv = [sys.executable, "-m", "ui.demo", "--lang", args.lang, "--port", str(args.port)]
    if args.landscape:
        argv.append("--landscape")
    if args.home:
        argv += ["--home", args.home]
    os.execv(sys.executable, argv)
    return 0  # not reached


def run_kiosk(args: argparse.Namespace) -> int:
    argv = [sys.executable, "-m", "ui"] + (["--home", args.home] if args.home else [])
    os.execv(sys.executable, argv)
    return 0  # not reached
