"""`python -m ui.demo` (what `./run demo` and `kiosk demo` start): the sandbox backend, every device
simulated, the kiosk window and the simulator control window, all in one process. The kiosk window paints
first; the sandbox, the simulators and the control window come up behind it."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from PySide6.QtCore import QTimer

from kiosk.config import UiConfig, default_config
from kiosk.home import KioskHome
from ui.app import application, create_window, start_after_first_frame
from ui.startup import DeferredRuntime


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
    app = application(sys.argv[:1])
    orientation = "landscape" if args.landscape else "portrait"
    home = KioskHome.resolve(args.home)
    environment: list[object] = []

    def build() -> object:  # on a thread, behind the painted attract screen: sandbox, simulators, core
        from kiosk.demo import DemoEnvironment

        env = DemoEnvironment.start(home, language=args.lang, orientation=orientation, port=args.port)
        environment.append(env)
        print(f"sandbox backend: {env.sandbox.base_url}  (API docs: {env.sandbox.base_url}/docs)", flush=True)
        return env.runtime

    stand_in = default_config().model_copy(update={"ui": UiConfig(language=args.lang, orientation=orientation)})
    runtime = DeferredRuntime(stand_in, build, start=False)
    window = create_window(runtime, defer_texts=True)
    start_after_first_frame(window, runtime)
    window.show()
    control_shown = QTimer(interval=100)

    def show_control() -> None:  # the simulator control window, once the simulators exist
        if runtime.ready.is_set():
            control_shown.stop()
            if environment:
                from ui.demo_control import DemoControlWindow

                control = DemoControlWindow(environment[0])
                geometry = window.quick.geometry()
                control.move(geometry.x() + geometry.width() + 10, geometry.y())
                control.show()
                window.demo_control = control  # kept alive with the window

    control_shown.timeout.connect(show_control)
    control_shown.start()
    try:
        return app.exec()
    finally:
        window.shutdown()
        runtime.ready.wait()
        if environment:
            environment[0].stop()


if __name__ == "__main__":
    sys.exit(main())
