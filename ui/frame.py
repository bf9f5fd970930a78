"""The parts of the window around the screens: header (site, language, text size, contrast, the technician
corner), the progress row, and the technician corner's tap counter."""

from __future__ import annotations

import time
from collections import deque

from PySide6.QtCore import QDateTime, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QSizePolicy, QWidget

from ui.i18n import Translator
from ui.theme import Theme
from ui.widgets import make_button, make_label

TECH_TAPS = 5
TECH_WINDOW_S = 3.0


class CornerTapArea(QWidget):
    """The top-right corner (shows the clock): five taps within 3 s ask for the technician PIN."""

    triggered = Signal()

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.setFixedWidth(theme.px(28))
        self.clock = make_label("", wrap=False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.clock)
        self._taps: deque[float] = deque(maxlen=TECH_TAPS)
        self._clock_timer = QTimer(self, interval=15_000)
        self._clock_timer.timeout.connect(self._tick)
        self._clock_timer.start()
        self._tick()

    def _tick(self) -> None:
        self.clock.setText(QDateTime.currentDateTime().toString("HH:mm"))

    def mousePressEvent(self, event) -> None:
        event.accept()
        now = time.monotonic()
        self._taps.append(now)
        if len(self._taps) == TECH_TAPS and now - self._taps[0] <= TECH_WINDOW_S:
            self._taps.clear()
            self.triggered.emit()


class Header(QWidget):
    def __init__(self, theme: Theme, tr: Translator, site_name: str) -> None:
        super().__init__()
        self.setObjectName("header")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.tr = tr
        layout = QHBoxLayout(self)
        layout.setContentsMargins(theme.px(4), theme.px(2), 0, theme.px(2))
        layout.setSpacing(theme.px(2))
        self.site = QLabel(site_name)
        self.site.setObjectName("siteName")
        self.site.setWordWrap(True)
        self.language = make_button("header")
        self.large_text = make_button("header", checkable=True)
        self.contrast = make_button("header", checkable=True)
        for button in (self.language, self.large_text, self.contrast):
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.corner = CornerTapArea(theme)
        layout.addWidget(self.site, 1)
        for widget in (self.language, self.large_text, self.contrast, self.corner):
            layout.addWidget(widget)
        tr.changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self, *_args: object) -> None:
        self.language.setText(self.tr.text("btn.language"))
        self.large_text.setText(self.tr.text("btn.large_text"))
        self.contrast.setText(self.tr.text("btn.high_contrast"))


class ProgressRow(QWidget):
    def __init__(self, theme: Theme, tr: Translator) -> None:
        super().__init__()
        self.tr = tr
        self.step = (0, 0)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(theme.px(6), theme.px(2), theme.px(6), 0)
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.label = make_label("small", wrap=False)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.label)
        tr.changed.connect(self.retranslate)

    def set_progress(self, step: tuple[int, int]) -> None:
        self.step = step
        number, of = step
        self.setVisible(of > 0)
        if of > 0:
            self.bar.setRange(0, of)
            self.bar.setValue(min(number, of))
        self.retranslate()

    def retranslate(self, *_args: object) -> None:
        number, of = self.step
        self.label.setText(self.tr.text("progress.step", n=number, of=of) if of else "")
