"""The session's idle timer: any touch resets it; at the limit a warning counts down; then the session ends.

Installed as an application event filter, so a touch anywhere (any widget, any overlay) counts.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

INPUT_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}


class IdleGuard(QObject):
    warning = Signal(int)  # seconds left, on the first warning and every tick after
    extended = Signal()  # the citizen touched during the warning
    expired = Signal()

    def __init__(self, idle_s: int, warning_s: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.idle_ms = idle_s * 1000
        self.warning_s = max(20, warning_s)  # the norm: at least 20 s to extend
        self.tick_ms = 1000
        self.enabled = False
        self.warning_active = False
        self.seconds_left = 0
        self._idle = QTimer(self, singleShot=True)
        self._idle.timeout.connect(self._warn)
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._count_down)

    def set_enabled(self, enabled: bool) -> None:
        """Off on the attract screen and while the kiosk works or waits for a payment."""
        if enabled == self.enabled:
            return
        self.enabled = enabled
        if enabled:
            self._idle.start(self.idle_ms)
        else:
            self._idle.stop()
            self._stop_warning()

    def seconds_to_expiry(self) -> int:
        """What the footer's ring shows: seconds until the visit is wiped if nobody touches the screen."""
        if self.warning_active:
            return self.seconds_left
        if not self.enabled:
            return 0
        return max(0, self._idle.remainingTime()) // 1000 + self.warning_s

    def touch(self) -> None:
        if self.warning_active:
            self._stop_warning()
            self.extended.emit()
        if self.enabled:
            self._idle.start(self.idle_ms)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self.touch()
        return False

    def _warn(self) -> None:
        if not self.enabled:
            return
        self.warning_active = True
        self.seconds_left = self.warning_s
        self.warning.emit(self.seconds_left)
        self._tick.start(self.tick_ms)

    def _count_down(self) -> None:
        self.seconds_left -= 1
        if self.seconds_left > 0:
            self.warning.emit(self.seconds_left)
            return
        self._stop_warning()
        self.enabled = False
        self.expired.emit()

    def _stop_warning(self) -> None:
        self._tick.stop()
        if self.warning_active:
            self.warning_active = False
