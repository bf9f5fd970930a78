"""`python -m ui` (what `kiosk run` starts): the kiosk itself — the configured devices and backend from the
data home's active configuration, logging to rotating files there, the touchscreen app."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from kiosk.home import KioskHome
from kiosk.logs import setup_logging


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kiosk run", description="run the kiosk touchscreen app")
    parser.add_argument("--home", help="data directory (default: KIOSK_HOME or the user data dir)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    home = KioskHome.resolve(args.home).ensure()
    setup_logging(home, level=logging.INFO)
    from kiosk.trust import load_verified_config
    from ui.app import run_app
    from ui.startup import DeferredRuntime

    config = load_verified_config(home).config  # signatures checked again at every start

    def build() -> object:  # on a thread, while the attract screen is already painted
        from kiosk.runtime import KioskRuntime

        return KioskRuntime(home, config).open()

    runtime = DeferredRuntime(config, build)
    try:
        return run_app(runtime, sys.argv[:1])
    finally:
        runtime.close()


if __name__ == "__main__":
    sys.exit(main())
