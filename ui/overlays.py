"""Layers over the window: "please wait", the idle warning, and the technician PIN pad."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QFrame, QGridLayout, QLineEdit, QVBoxLayout, QWidget

from ui.i18n import Translator
from ui.runtime import KioskRuntime
from ui.theme import Theme
from ui.widgets import Spinner, make_button, make_label

BUSY_DELAY_MS = 400  # short calls finish before "please wait" would flash
PIN_MAX_FAILURES = 5
PIN_LOCK_S = 60.0


class Overlay(QWidget):
    """Covers its parent (dimmed) with a centred panel; follows the parent's size."""

    def __init__(self, parent: QWidget, theme: Theme) -> None:
        super().__init__(parent)
        self.theme = theme
        self.panel = QFrame(self)
        self.panel.setObjectName("overlayPanel")
        self.panel.setAutoFillBackground(True)
        self.content = QVBoxLayout(self.panel)
        margin = theme.px(6)
        self.content.setContentsMargins(margin, margin, margin, margin)
        self.content.setSpacing(theme.px(4))
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(self.panel)
        outer.addStretch(1)
        outer.setContentsMargins(theme.px(8), 0, theme.px(8), 0)
        parent.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parent().rect())
        return False

    def open(self) -> None:
        self.setGeometry(self.parent().rect())
        self.show()
        self.raise_()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0, 150))
        painter.end()


class BusyOverlay(Overlay):
    def __init__(self, parent: QWidget, theme: Theme, tr: Translator) -> None:
        super().__init__(parent, theme)
        self.tr = tr
        self.spinner = Spinner(theme)
        self.label = make_label("title")
        self.content.addWidget(self.spinner, 0, Qt.AlignmentFlag.AlignHCenter)
        self.content.addWidget(self.label)
        self._delay = QTimer(self, singleShot=True, interval=BUSY_DELAY_MS)
        self._delay.timeout.connect(self._appear)

    def set_busy(self, busy: bool) -> None:
        if busy:
            self._delay.start()
        else:
            self._delay.stop()
            self.hide()

    def _appear(self) -> None:
        self.label.setText(self.tr.text("busy.wait"))
        self.open()


class IdleOverlay(Overlay):
    continue_clicked = Signal()

    def __init__(self, parent: QWidget, theme: Theme, tr: Translator) -> None:
        super().__init__(parent, theme)
        self.tr = tr
        self.title, self.countdown = make_label("title"), make_label("prompt")
        self.button = make_button("primary", big=True)
        self.button.clicked.connect(self.continue_clicked)
        for widget in (self.title, self.countdown, self.button):
            self.content.addWidget(widget)
        self.seconds = 0
        tr.changed.connect(self.retranslate)

    def show_countdown(self, seconds: int) -> None:
        self.seconds = seconds
        self.retranslate()
        if not self.isVisible():
            self.open()

    def retranslate(self, *_args: object) -> None:
        self.title.setText(self.tr.text("idle.title"))
        self.countdown.setText(self.tr.text("idle.countdown", s=self.seconds))
        self.button.setText(self.tr.text("btn.continue"))


class PinOverlay(Overlay):
    """A PIN pad for the technician; the core checks the PIN, the pad locks after repeated failures."""

    accepted = Signal()

    def __init__(self, parent: QWidget, theme: Theme, tr: Translator, runtime: KioskRuntime) -> None:
        super().__init__(parent, theme)
        self.tr, self.runtime = tr, runtime
        self.pin = ""
        self.failures = 0
        self.locked_until = 0.0
        self.title, self.message = make_label("title"), make_label("error")
        self.field = QLineEdit()
        self.field.setReadOnly(True)
        self.field.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for widget in (self.title, self.field, self.message):
            self.content.addWidget(widget)
        grid = QGridLayout()
        for index, key in enumerate("123456789"):
            self._add_key(grid, key, index // 3, index % 3)
        self.cancel, self.ok = make_button("danger"), make_button("primary")
        self.cancel.clicked.connect(self.close_pad)
        self.ok.clicked.connect(self.submit)
        grid.addWidget(self.cancel, 3, 0)
        self._add_key(grid, "0", 3, 1)
        grid.addWidget(self.ok, 3, 2)
        self.content.addLayout(grid)
        tr.changed.connect(self.retranslate)
        self.retranslate()

    def _add_key(self, grid: QGridLayout, key: str, row: int, column: int) -> None:
        button = make_button("key")
        button.setText(key)
        button.clicked.connect(lambda _=False, k=key: self.press(k))
        grid.addWidget(button, row, column)

    def retranslate(self, *_args: object) -> None:
        self.title.setText(self.tr.text("tech.pin_title"))
        self.cancel.setText(self.tr.text("btn.back"))
        self.ok.setText(self.tr.text("btn.ok"))

    def press(self, key: str) -> None:
        if len(self.pin) < 12:
            self.pin += key
        self.field.setText("●" * len(self.pin))

    def submit(self) -> None:
        pin, self.pin = self.pin, ""
        self.field.clear()
        if time.monotonic() < self.locked_until:
            self.message.setText(self.tr.text("tech.locked"))
            return
        if self.runtime.technician_pin_ok(pin):
            self.failures = 0
            self.close_pad()
            self.accepted.emit()
            return
        self.failures += 1
        if self.failures >= PIN_MAX_FAILURES:
            self.failures, self.locked_until = 0, time.monotonic() + PIN_LOCK_S
        self.message.setText(self.tr.text("tech.pin_wrong"))

    def close_pad(self) -> None:
        self.pin = ""
        self.field.clear()
        self.message.clear()
        self.hide()
