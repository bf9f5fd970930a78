"""Start the touchscreen: the QApplication (Qt Quick for the citizen screens, Widgets for the technician's),
the kiosk's fonts, the window, kiosk mode."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from ui.catalog import load_core_texts
from ui.quick_env import prepare_environment
from ui.runtime import KioskRuntime
from ui.watchdog import start_watchdog
from ui.window import KioskWindow

log = logging.getLogger(__name__)

CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "DejaVu Sans")
ICON_FAMILY = "Material Icons"


def kiosk_font() -> QFont:
    """Prefer a CJK sans-serif that is installed; the rest of the list is the fallback chain."""
    installed = set(QFontDatabase.families())
    families = [family for family in CJK_FAMILIES if family in installed]
    if not families:
        log.warning("no CJK font found among %s: Chinese text may show as boxes", ", ".join(CJK_FAMILIES))
        families = list(CJK_FAMILIES)
    if ICON_FAMILY not in installed:
        log.warning("the icon font %r is missing (apt-get install fonts-material-design-icons-iconfont)", ICON_FAMILY)
    font = QFont()
    font.setFamilies(families)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    return font


def application(argv: Sequence[str]) -> QApplication:
    """The running QApplication, made with what Qt Quick needs when there is none yet."""
    app = QApplication.instance()
    if app is None:
        prepare_environment()
        app = QApplication(list(argv))
    app.setFont(kiosk_font())
    return app


def create_window(runtime: KioskRuntime, *, defer_texts: bool = False) -> KioskWindow:
    """The window at the configured orientation (shown by the caller); the QApplication must exist.
    defer_texts: the flows' texts load after the first frame (start_after_first_frame), not before it."""
    QApplication.setFont(kiosk_font())
    if not defer_texts:
        load_core_texts()
    return KioskWindow(runtime)


def start_after_first_frame(window: KioskWindow, runtime: object) -> None:
    """Paint first, load later: the core (a DeferredRuntime made with start=False) and the speech engine
    start loading once the attract screen is on the glass."""
    start = getattr(runtime, "start", lambda: None)

    def first_frame() -> None:
        window.quick.frameSwapped.disconnect(first_frame)
        start()
        load_core_texts()
        window.shell.tr.reload()
        window.shell.voice.start()
        window.prepare_keyboard()

    window.quick.frameSwapped.connect(first_frame)


def run_app(runtime: KioskRuntime, argv: Sequence[str]) -> int:
    app = application(argv)
    window = create_window(runtime, defer_texts=True)
    start_after_first_frame(window, runtime)
    pinger, _timer = start_watchdog(app, runtime)

    def ready() -> None:  # READY=1 once the attract screen is on the glass
        window.quick.frameSwapped.disconnect(ready)
        pinger.first_frame()

    window.quick.frameSwapped.connect(ready)
    window.show()
    try:
        return app.exec()
    finally:
        window.shutdown()
        if runtime.config.ui.fullscreen:
            QApplication.restoreOverrideCursor()
