"""Render every citizen screen (tests/ui/scenes.py) in Chinese and English, portrait and landscape, normal,
大字 and high contrast (and portrait low reach), to PNG files; approve them as the golden set the tests compare
with; refresh the few curated ones the README shows.

    .venv/bin/python scripts/screenshots.py [--out DIR]        # full-size PNGs (default /tmp/kiosk-screenshots)
    .venv/bin/python scripts/screenshots.py --approve          # also write tests/ui/golden/ (after looking!)
    .venv/bin/python scripts/screenshots.py --docs             # also refresh docs/screenshots/

Runs offscreen on the software scene graph with the scripted fake runtime (no devices, no personal data); the
technician screen (Qt Widgets, bilingual by itself) is rendered logged in on the demo's real runtime.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ui.quick_env import prepare_environment  # noqa: E402

prepare_environment()

from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from tests.ui import golden  # noqa: E402
from tests.ui.scenes import MODES, SCENES, SIZES, make_window, show, variant_name  # noqa: E402
from ui.app import kiosk_font  # noqa: E402
from ui.window import KioskWindow  # noqa: E402

CURATED = [  # the README's pictures: at most 12, each under 300 KB (checked when copied)
    "portrait-zh-normal-attract", "portrait-zh-normal-home", "portrait-zh-normal-guide",
    "portrait-zh-normal-read_card", "portrait-zh-normal-capture_face_liveness", "portrait-zh-normal-pay",
    "portrait-zh-normal-done", "portrait-zh-normal-failed_refund", "portrait-zh-large-home",
    "portrait-en-contrast-enter_id_number", "landscape-zh-normal-enter_plate", "portrait-zh-reach-enter_id_number",
]  # fmt: skip
MAX_DOC_BYTES = 300_000


def variants() -> Iterator[tuple[str, str, str, bool]]:
    """(orientation, language, mode, low reach) for every picture."""
    for orientation in SIZES:
        for language in ("zh", "en"):
            for mode in MODES:
                yield orientation, language, mode, False
    yield "portrait", "zh", "reach", True


def render_citizen_screens(each: Callable[[str, QImage], None], only: set[str] | None = None) -> int:
    """Hand every rendered screen to `each(name, image)`; returns how many."""
    count = 0
    windows: dict[str, KioskWindow] = {}
    try:
        for orientation, language, mode, low_reach in variants():
            window = windows.get(orientation) or windows.setdefault(orientation, make_window(orientation))
            for scene in SCENES:
                name = variant_name(orientation, language, mode, scene)
                if only is not None and name not in only:
                    continue
                show(window, scene, language, "normal" if low_reach else mode, low_reach)
                each(name, window.grab())
                count += 1
    finally:
        for window in windows.values():
            window.dispose()
        QApplication.processEvents()
    return count


def render_technician(out: Path, root: Path) -> list[Path]:
    """The technician screen logged in on the demo's real runtime, after "test all" ran on every device."""
    from kiosk.audit import AuditLog
    from kiosk.demo import DemoEnvironment
    from kiosk.home import KioskHome
    from kiosk.technician.auth import TechnicianAuth
    from tests.ui.fakes import TECHNICIAN_PIN
    from ui.technician import TechnicianScreen

    app = QApplication.instance()
    env = DemoEnvironment.start(KioskHome(root / "demo-home"))
    written = []
    try:
        with AuditLog.for_home(env.home) as audit:
            TechnicianAuth(env.home, audit, scrypt_n=2**10).set_pin(TECHNICIAN_PIN, actor="cli:screenshots")
        screen = TechnicianScreen(env.runtime.technician_service())
        screen.show()
        for key in TECHNICIAN_PIN:
            screen.pin_pad.press(key)
        screen.pin_pad.submit()
        tab = screen.devices_tab
        wait_until(app, lambda: screen.logged_in and tab.table.rowCount() > 0 and tab.runner.pending == 0)
        tab.run_self_test_all()
        wait_until(app, lambda: tab.runner.pending == 0 and "PASS" in tab.result.text())
        tab.select("card")
        for orientation, size in SIZES.items():
            screen.resize(*size)
            for _ in range(3):
                app.processEvents()
            path = out / f"{orientation}-technician.png"
            screen.grab().save(str(path))
            written.append(path)
        screen.logout()
        screen.wait_idle()
        screen.close()
    finally:
        env.stop()
    return written


def wait_until(app: QApplication, condition: Callable[[], bool], timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not reach the state to photograph")
        app.processEvents()
        time.sleep(0.01)


def copy_curated(out: Path) -> None:
    docs = ROOT / "docs" / "screenshots"
    docs.mkdir(parents=True, exist_ok=True)
    for stale in docs.glob("*.png"):
        if stale.stem not in CURATED and stale.stem != "landscape-technician":
            stale.unlink()
    for name in [*CURATED, "landscape-technician"]:
        source = out / f"{name}.png"
        if source.stat().st_size > MAX_DOC_BYTES:
            raise SystemExit(f"{source} is {source.stat().st_size} bytes, over {MAX_DOC_BYTES}")
        shutil.copyfile(source, docs / f"{name}.png")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/kiosk-screenshots"))
    parser.add_argument("--approve", action="store_true", help="write the golden set tests/ui/golden/")
    parser.add_argument("--docs", action="store_true", help="refresh docs/screenshots/")
    parser.add_argument("--no-technician", action="store_true")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setFont(kiosk_font())
    args.out.mkdir(parents=True, exist_ok=True)
    if args.approve:
        shutil.rmtree(golden.GOLDEN_DIR, ignore_errors=True)

    def each(name: str, image: QImage) -> None:
        image.save(str(args.out / f"{name}.png"))
        if args.approve:
            golden.save(golden.grey_levels(image), golden.GOLDEN_DIR / f"{name}.png")

    count = render_citizen_screens(each)
    if not args.no_technician:
        with tempfile.TemporaryDirectory(prefix="kiosk-shots-") as tmp:
            count += len(render_technician(args.out, Path(tmp)))
    print(f"{count} screenshots in {args.out}")
    if args.approve:
        size = sum(path.stat().st_size for path in golden.GOLDEN_DIR.glob("*.png"))
        print(f"golden set approved: {len(list(golden.GOLDEN_DIR.glob('*.png')))} pictures, {size // 1024} KB")
    if args.docs:
        copy_curated(args.out)
        print(f"curated screenshots in {ROOT / 'docs' / 'screenshots'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
