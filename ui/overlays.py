"""Layers over the window: "please wait" and the idle warning."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from ui.i18n import Translator
from ui.theme import Theme
from ui.widgets import Spinner, make_button, make_label

BUSY_DELAY_MS = 400  # short calls finish before "please wait" would flash


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
