"""Small building blocks shared by the screens: role-styled labels and buttons, a spinner, responsive boxes."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QBoxLayout, QLabel, QLayout, QPushButton, QSizePolicy, QWidget

from ui.theme import Theme


def make_label(role: str = "", *, wrap: bool = True, align: Qt.AlignmentFlag | None = None) -> QLabel:
    label = QLabel()
    if role:
        label.setProperty("role", role)
    label.setWordWrap(wrap)
    label.setAlignment(align if align is not None else Qt.AlignmentFlag.AlignCenter)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


def make_button(role: str = "", *, checkable: bool = False, big: bool = False) -> QPushButton:
    """A touch button; sizes come from the style sheet by role ("big": a finishing or continue button)."""
    button = QPushButton()
    if role:
        button.setProperty("role", role)
    if big:
        button.setProperty("scale", "big")
    button.setCheckable(checkable)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a touchscreen has no keyboard focus to show
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return button


def clear_layout(layout: QLayout) -> None:
    """Remove and delete every widget and sub-layout (rebuilt lists that may hold personal data)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.setParent(None)
            widget.deleteLater()
        elif item.layout() is not None:
            clear_layout(item.layout())


def restyle(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property (role, active) changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class ResponsiveBox(QWidget):
    """Stacks its parts vertically in portrait and side by side in landscape."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self.box.setContentsMargins(0, 0, 0, 0)

    def resizeEvent(self, event) -> None:
        window = self.window()
        landscape = window.width() > window.height()
        direction = QBoxLayout.Direction.LeftToRight if landscape else QBoxLayout.Direction.TopToBottom
        if self.box.direction() != direction:
            self.box.setDirection(direction)
        super().resizeEvent(event)


class Spinner(QWidget):
    """A painted rotating arc: shows the kiosk is alive while the flow works."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.angle = 0
        self._timer = QTimer(self, interval=50)
        self._timer.timeout.connect(self._advance)
        side = theme.px(32)
        self.setMinimumSize(side, side)

    def showEvent(self, event) -> None:
        self._timer.start()
        super().showEvent(event)

    def hideEvent(self, event) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def _advance(self) -> None:
        self.angle = (self.angle + 12) % 360
        self.update()

    def paintEvent(self, _event) -> None:
        side = min(self.width(), self.height()) - 12
        rect = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(QColor(self.theme.palette.disabled_background), max(6, side // 12))
        painter.setPen(pen)
        painter.drawEllipse(rect)
        pen.setColor(QColor(self.theme.palette.accent))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawArc(rect, -self.angle * 16, 100 * 16)
        painter.end()
