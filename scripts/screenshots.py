"""Render every kiosk screen in Chinese and English, portrait and landscape, to PNG files.

All images go to --out (default /tmp/kiosk-screenshots); a curated few are copied to docs/screenshots/ for the
README. Runs offscreen with the scripted fake runtime from tests/ui/fakes.py (no devices, no personal data).

    .venv/bin/python scripts/screenshots.py [--out DIR] [--no-docs]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.flows.base import FlowView, StepKind  # noqa: E402
from tests.ui.fakes import INTENTS, FakeRuntime, view_of  # noqa: E402
from ui.app import create_window  # noqa: E402
from ui.window import KioskWindow  # noqa: E402

CURATED = [
    "portrait-zh-attract",
    "portrait-zh-home",
    "portrait-zh-read_card",
    "portrait-zh-enter_id_number",
    "portrait-zh-enter_plate",
    "portrait-zh-capture_face",
    "portrait-zh-select_items",
    "portrait-zh-pay",
    "portrait-zh-done",
    "portrait-zh-idle_warning",
    "portrait-en-home",
    "landscape-zh-enter_plate",
]


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
        ("pin", window.pin.open),
        ("technician", window.open_technician),
    ]


def render_all(out: Path) -> list[Path]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for orientation in ("portrait", "landscape"):
        for language in ("zh", "en"):
            runtime = FakeRuntime()
            window = create_window(runtime)
            window.resize(*((1080, 1920) if orientation == "portrait" else (1920, 1080)))
            window.show()
            window.tr.set_language(language)
            for name, show in scenes(window):
                window.idle_overlay.hide()
                window.pin.close_pad()
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
        for name in CURATED:
            shutil.copyfile(args.out / f"{name}.png", docs / f"{name}.png")
        print(f"{len(CURATED)} curated screenshots in {docs}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
