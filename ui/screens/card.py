"""Read the ID card: an animation shows the card going onto the reader; the read itself blocks in a worker.

While this screen is shown the screen keeps asking the flow to read (each call returns when a card was read
or the reader's wait ended); "enter the number instead" is queued behind a read in flight.
"""

from __future__ import annotations

from PySide6.QtCore import Property, QEasingCurve, QPointF, QPropertyAnimation, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.flows.base import FlowView, StepKind
from ui.screens.base import Screen, ScreenContext
from ui.theme import Theme
from ui.widgets import make_button, make_label

READ_AGAIN_MS = 200


class CardAnimation(QWidget):
    """A card gliding down onto the reader pad, over and over."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self._offset = 0.0
        self.setMinimumSize(theme.px(60), theme.px(60))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.animation = QPropertyAnimation(self, b"offset", self)
        self.animation.setStartValue(0.0)
        self.animation.setEndValue(1.0)
        self.animation.setDuration(1800)
        self.animation.setLoopCount(-1)
        self.animation.setEasingCurve(QEasingCurve.Type.InOutCubic)

    def _get_offset(self) -> float:
        return self._offset

    def _set_offset(self, value: float) -> None:
        self._offset = value
        self.update()

    offset = Property(float, _get_offset, _set_offset)

    def paintEvent(self, _event) -> None:
        palette = self.theme.palette
        w, h = self.width(), self.height()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pad = QRectF(w * 0.15, h * 0.72, w * 0.7, h * 0.22)  # the reader, below the screen
        painter.setPen(QPen(QColor(palette.primary), 4))
        painter.setBrush(QColor(palette.key_background))
        painter.drawRoundedRect(pad, 18, 18)
        card_w, card_h = w * 0.5, w * 0.5 * 0.63
        top = h * 0.02 + (pad.top() - card_h * 0.6 - h * 0.02) * self._offset
        card = QRectF((w - card_w) / 2, top, card_w, card_h)
        painter.setBrush(QColor("#f5f0e1" if not self.theme.high_contrast else "#000000"))
        painter.setPen(QPen(QColor(palette.text), 3))
        painter.drawRoundedRect(card, 14, 14)
        photo = QRectF(card.right() - card_w * 0.3, card.top() + card_h * 0.18, card_w * 0.22, card_h * 0.55)
        painter.drawRect(photo)
        for row in range(4):
            y = card.top() + card_h * (0.25 + row * 0.15)
            painter.drawLine(QPointF(card.left() + card_w * 0.1, y), QPointF(card.left() + card_w * 0.6, y))
        self._paint_arrow(painter, QPointF(w / 2, pad.top() - h * 0.02), h * 0.08)
        painter.end()

    def _paint_arrow(self, painter: QPainter, tip: QPointF, size: float) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(self.theme.palette.accent))
        path = QPainterPath()
        path.addPolygon(
            QPolygonF([tip, QPointF(tip.x() - size, tip.y() - size), QPointF(tip.x() + size, tip.y() - size)])
        )
        painter.drawPath(path)


class ReadCardScreen(Screen):
    step = StepKind.READ_CARD
    shows_own_busy = True

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.animation = CardAnimation(ctx.theme)
        self.hint = make_label("prompt")
        self.status = make_label("hint")
        self.error = make_label("error")
        self.enter_number = make_button("primary")
        self.enter_number.clicked.connect(lambda: self.send("enter_id_number"))
        # Traffic fines can also be found by plate + VIN, without the driver's card.
        self.by_plate = make_button("primary")
        self.by_plate.clicked.connect(lambda: self.send("lookup_by_plate"))
        self.layout_.addWidget(self.animation, 1)
        for widget in (self.hint, self.status, self.error, self.enter_number, self.by_plate):
            self.layout_.addWidget(widget)
        self.bind(self.hint, "read_card.hint")
        self.bind(self.status, "read_card.waiting")
        self.bind(self.enter_number, "btn.enter_id_instead")
        self.bind(self.by_plate, "btn.lookup_by_plate")
        self._read_timer = QTimer(self, singleShot=True, interval=READ_AGAIN_MS)
        self._read_timer.timeout.connect(lambda: self.poll.emit("read_card"))

    def render(self, view: FlowView) -> None:
        super().render(view)
        self.enter_number.setVisible("enter_id_number" in view.intents)
        self.by_plate.setVisible("lookup_by_plate" in view.intents)
        error_key = view.data.get("error_key")
        self.error.setVisible(bool(error_key))
        if error_key:
            self.bind(self.error, error_key)
        if "read_card" in view.intents:
            self._read_timer.start()

    def activated(self) -> None:
        self.animation.animation.start()

    def deactivated(self) -> None:
        self.animation.animation.stop()
        self._read_timer.stop()

    def reset(self) -> None:
        super().reset()
        self.deactivated()
        self.error.clear()
        self.unbind(self.error)
