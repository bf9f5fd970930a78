"""Entry point of `kiosk`: builds the parser from the command modules and maps failures to exit codes.

Groups: `kiosk diag ...`, `kiosk sim ...`, `kiosk config ...`, `kiosk flow ...`, plus top-level commands
(demo, serve-sandbox, ...). A command module in kiosk/cli/commands registers itself; a handler returns an
exit code. No traceback ever reaches a technician: unexpected errors are reported in one line.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import logging
import os
import pkgutil
import sys
from collections.abc import Sequence

from kiosk.cli import commands, exitcodes

GROUPS = {
    "diag": "diagnostics for technicians (devices, printers, camera, logs)",
    "sim": "run a device simulator standalone",
    "config": "inspect, provision and apply signed configuration",
    "flow": "drive one service flow headless",
    "ui": "the touchscreen's texts",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 on usage errors; keep that, print briefly
        self.print_usage(sys.stderr)
        self.exit(exitcodes.USAGE, f"{self.prog}: error: {message}\n")


def version_line() -> str:
    """`kiosk --version`: the installed distribution's version, and the appliance slot it runs from."""
    try:
        version = importlib.metadata.version("police-kiosk")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    slot = os.environ.get("KIOSK_SLOT")
    return f"kiosk {version}" + (f" (slot {slot})" if slot else "")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kiosk", description="Smart police kiosk (智慧警务室)")
    parser.add_argument("--home", help="data directory (default: KIOSK_HOME or the user data dir)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG to stderr")
    parser.add_argument("--version", action="version", version=version_line(), help="the software version")
    top = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    groups: dict[str, argparse._SubParsersAction] = {}
    for name, help_text in GROUPS.items():
        group_parser = top.add_parser(name, help=help_text)
        groups[name] = group_parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", parser_class=_Parser)
    for module_info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{module_info.name}")
        module.register(groups, top)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return exitcodes.USAGE
    try:
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        return exitcodes.FAILURE
    except Exception as error:  # the last line of defence: one clear line, no traceback
        logging.getLogger("kiosk").debug("unhandled error", exc_info=True)
        print(f"kiosk: {type(error).__name__}: {error}", file=sys.stderr)
        return exitcodes.FAILURE


if __name__ == "__main__":
    sys.exit(main())
