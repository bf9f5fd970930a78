"""Render every kiosk screen in Chinese and English, portrait and landscape, to PNG files.

All images go to --out (default /tmp/kiosk-screenshots); a curated few are copied to docs/screenshots/ for the
README. Runs offscreen with the scripted fake runtime from tests/ui/fakes.py (no devices, no personal data);
the technician screen (bilingual by itself) is rendered logged in on the real runtime of the demo (sandbox and
simulated devices in a temporary home).

    .venv/bin/python scripts/screenshots.py [--out DIR] [--no-docs]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

import ui.window  # noqa: E402
from kiosk.audit import AuditLog  # noqa: E402
from kiosk.flows.base import FlowView, StepKind  # noqa: E402
from kiosk.home import KioskHome  # noqa: E402
from kiosk.technician.auth import TechnicianAuth  # noqa: E402
from tests.ui.fakes import INTENTS, TECHNICIAN_PIN, FakeRuntime, view_of  # noqa: E402
from ui.app import create_window  # noqa: E402
from ui.voice import Voice  # noqa: E402
from ui.window import KioskWindow  # noqa: E402

CURATED = [  # at most 12, each under 300 KB (checked when copied)
    "portrait-zh-attract",
    "portrait-zh-home",
    "portrait-zh-read_card",
    "portrait-zh-enter_id_number-large-contrast",
    "portrait-zh-capture_face",
    "portrait-zh-select_items",
    "portrait-zh-pay",
    "portrait-zh-done",
    "portrait-zh-idle_warning",
    "portrait-en-home",
    "landscape-zh-enter_plate",
    "landscape-technician",
]
MAX_DOC_BYTES = 300_000


def settle(app: QApplication) -> None:
    for _ in range(3):
        app.processEvents()


def failed_view() -> FlowView:
    data = {"error_code": "face_mismatch", "next_key": "next.counter"}
    return FlowView("temp_id", StepKind.FAILED, "prompt.failed", data, INTENTS[StepKind.FAILED], (3, 7))


def scenes(window: KioskWindow) -> list[tuple[str, Callable[[], None]]]:
    def step(service: str, kind: StepKind, after: Callable[[], None] | None = None) -> Callable[[], None]:
        def show() -> None:
            window.show_view(view_of(service, kind))
            if after:
                after()

        return show

    def type_id() -> None:
        for key in "11010519491231002":
            window.steps[StepKind.ENTER_ID_NUMBER].press(key)

    def type_plate() -> None:
        for key in "京A1234":
            window.steps[StepKind.ENTER_PLATE].press(key)

    def face() -> None:
        screen = window.steps[StepKind.CAPTURE_FACE]
        screen.next_frame()
        screen.preview.face = window.runtime.face

    def idle() -> None:
        window.show_view(view_of("temp_id", StepKind.CONFIRM))
        window.idle_overlay.show_countdown(18)

    return [
        ("attract", window.go_attract),
        ("home", window.start_session),
        ("read_card", step("temp_id", StepKind.READ_CARD)),
        ("enter_id_number", step("temp_id", StepKind.ENTER_ID_NUMBER, type_id)),
        ("enter_plate", step("traffic", StepKind.ENTER_PLATE, type_plate)),
        ("capture_face", step("temp_id", StepKind.CAPTURE_FACE, face)),
        ("choose_purpose", step("certificate", StepKind.CHOOSE_PURPOSE)),
        ("select_items", step("traffic", StepKind.SELECT_ITEMS)),
        ("confirm", step("temp_id", StepKind.CONFIRM)),
        ("pay", step("traffic", StepKind.PAY)),
        ("working", step("temp_id", StepKind.WORKING)),
        ("done", step("traffic", StepKind.DONE)),
        ("failed", lambda: window.show_view(failed_view())),
        ("idle_warning", idle),
        ("technician_login", window.open_technician),
    ]


def wait_until(app: QApplication, condition: Callable[[], bool], timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not reach the state to photograph")
        app.processEvents()
        time.sleep(0.01)


def render_technician(app: QApplication, out: Path, root: Path) -> list[Path]:
    """The technician screen logged in on the demo's real runtime, after "test all" ran on every device."""
    from kiosk.demo import DemoEnvironment

    env = DemoEnvironment.start(KioskHome(root / "demo-home"))
    written = []
    try:
        with AuditLog.for_home(env.home) as audit:
            TechnicianAuth(env.home, audit, scrypt_n=2**10).set_pin(TECHNICIAN_PIN, actor="cli:screenshots")
        window = create_window(env.runtime)
        window.show()
        window.open_technician()
        screen = window.technician
        for key in TECHNICIAN_PIN:
            screen.pin_pad.press(key)
        screen.pin_pad.submit()
        tab = screen.devices_tab
        wait_until(app, lambda: screen.logged_in and tab.table.rowCount() > 0 and tab.runner.pending == 0)
        tab.run_self_test_all()
        wait_until(app, lambda: tab.runner.pending == 0 and "PASS" in tab.result.text())
        tab.select("card")
        for orientation, size in (("portrait", (1080, 1920)), ("landscape", (1920, 1080))):
            window.resize(*size)
            settle(app)
            path = out / f"{orientation}-technician.png"
            window.grab().save(str(path))
            written.append(path)
        screen.logout()
        screen.wait_idle()
        window.close()
    finally:
        env.stop()
    return written


def render_all(out: Path) -> list[Path]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    ui.window.Voice = lambda _enabled: Voice(False)  # pictures need no speech engine started
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kiosk-shots-") as tmp:
        return render_citizen_screens(app, out, Path(tmp)) + render_technician(app, out, Path(tmp))


def render_citizen_screens(app: QApplication, out: Path, root: Path) -> list[Path]:
    written = []
    for orientation in ("portrait", "landscape"):
        for language in ("zh", "en"):
            runtime = FakeRuntime(technician_home=root / f"technician-{orientation}-{language}")
            window = create_window(runtime)
            window.resize(*((1080, 1920) if orientation == "portrait" else (1920, 1080)))
            window.show()
            window.tr.set_language(language)
            for name, show in scenes(window):
                window.idle_overlay.hide()
                show()
                window.idle.set_enabled(False)
                settle(app)
                path = out / f"{orientation}-{language}-{name}.png"
                window.grab().save(str(path))
                written.append(path)
            if orientation == "portrait" and language == "zh":
                for screen in window.screens():
                    screen.reset()
                window.header.large_text.setChecked(True)
                window.header.contrast.setChecked(True)
                for name, show in scenes(window)[2:10]:
                    show()
                    settle(app)
                    path = out / f"{orientation}-{language}-{name}-large-contrast.png"
                    window.grab().save(str(path))
                    written.append(path)
            window.close()
            window.deleteLater()
            settle(app)
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/kiosk-screenshots"))
    parser.add_argument("--no-docs", action="store_true", help="do not refresh docs/screenshots/")
    args = parser.parse_args()
    written = render_all(args.out)
    print(f"{len(written)} screenshots in {args.out}")
    if not args.no_docs:
        docs = ROOT / "docs" / "screenshots"
        docs.mkdir(parents=True, exist_ok=True)
        for stale in docs.glob("*.png"):
            if stale.stem not in CURATED:
                stale.unlink()
        for name in CURATED:
            source = args.out / f"{name}.png"
            if source.stat().st_size > MAX_DOC_BYTES:
                raise SystemExit(f"{source} is {source.stat().st_size} bytes, over {MAX_DOC_BYTES}")
            shutil.copyfile(source, docs / f"{name}.png")
        print(f"{len(CURATED)} curated screenshots in {docs}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
