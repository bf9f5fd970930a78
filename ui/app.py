"""Start the touchscreen: QApplication with a Chinese-capable font, the kiosk window, kiosk mode."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from ui.runtime import KioskRuntime
from ui.theme import CJK_FAMILIES
from ui.watchdog import start_watchdog
from ui.window import KioskWindow

log = logging.getLogger(__name__)

PORTRAIT = (1080, 1920)


def kiosk_font() -> QFont:
    """Prefer a CJK sans-serif that is installed; the rest of the list is the fallback chain."""
    installed = set(QFontDatabase.families())
    families = [family for family in CJK_FAMILIES if family in installed]
    if not families:
        log.warning("no CJK font found among %s: Chinese text may show as boxes", ", ".join(CJK_FAMILIES))
        families = list(CJK_FAMILIES)
    font = QFont()
    font.setFamilies(families)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    return font


def create_window(runtime: KioskRuntime) -> KioskWindow:
    """The window at the configured orientation (shown by the caller); the QApplication must exist."""
    QApplication.setFont(kiosk_font())
    window = KioskWindow(runtime)
    width, height = PORTRAIT if runtime.config.ui.orientation == "portrait" else PORTRAIT[::-1]
    window.resize(width, height)
    return window


def run_app(runtime: KioskRuntime, argv: Sequence[str]) -> int:
    app = QApplication.instance() or QApplication(list(argv))
    window = create_window(runtime)
    if runtime.config.ui.fullscreen:
        window.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
        QApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)  # a touchscreen shows no pointer
        window.showFullScreen()
    else:
        window.show()
    pinger, _timer = start_watchdog(app, runtime)
    QTimer.singleShot(0, pinger.first_frame)  # after show(): the attract screen is painted first
    try:
        return app.exec()
    finally:
        if runtime.config.ui.fullscreen:
            QApplication.restoreOverrideCursor()
