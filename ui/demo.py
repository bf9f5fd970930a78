"""`python -m ui.demo` (what `./run demo` and `kiosk demo` start): the sandbox backend, every device
simulated, the kiosk window and the simulator control window, all in one process."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication

from kiosk.demo import DemoEnvironment
from kiosk.home import KioskHome
from ui.app import create_window, kiosk_font
from ui.demo_control import DemoControlWindow


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="kiosk demo", description="the kiosk with simulated devices")
    parser.add_argument("--home", help="data directory (default: KIOSK_HOME or the user data dir)")
    parser.add_argument("--landscape", action="store_true", help="1920x1080 instead of portrait 1080x1920")
    parser.add_argument("--lang", choices=["zh", "en"], default="zh")
    parser.add_argument("--port", type=int, default=0, help="sandbox port (default: any free port)")
    return parser.parse_args(list(argv))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setFont(kiosk_font())
    env = DemoEnvironment.start(KioskHome.resolve(args.home), language=args.lang,
                                orientation="landscape" if args.landscape else "portrait", port=args.port)  # fmt: skip
    print(f"sandbox backend: {env.sandbox.base_url}  (API docs: {env.sandbox.base_url}/docs)", flush=True)
    window = create_window(env.runtime)
    window.show()
    control = DemoControlWindow(env)
    control.move(window.x() + window.width() + 10, window.y())
    control.show()
    try:
        return app.exec()
    finally:
        env.stop()


if __name__ == "__main__":
    sys.exit(main())
