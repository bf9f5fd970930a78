"""Pay by QR code: the matrix from the qrcode package painted crisp, the amount, a countdown, payment polling.

The flow decides when the payment has arrived or expired; this screen only asks (check_payment every 2 s,
never while another call is in flight) and counts down what the flow said is left.
"""

from __future__ import annotations

import qrcode
from PySide6.QtCore import QRectF, QTimer
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from kiosk.flows.base import FlowView, StepKind
from ui.i18n import yuan
from ui.screens.base import Screen, ScreenContext
from ui.theme import Theme
from ui.widgets import ResponsiveBox, make_label

POLL_MS = 2000


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR modules including the 4-module quiet zone scanners need."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(text)
    code.make(fit=True)
    return code.get_matrix()


class QrWidget(QWidget):
    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.matrix: list[list[bool]] = []
        side = theme.px(55)
        self.setMinimumSize(side, side)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_text(self, text: str | None) -> None:
        self.matrix = qr_matrix(text) if text else []
        self.update()

    def paintEvent(self, _event) -> None:
        if not self.matrix:
            return
        count = len(self.matrix)
        module = min(self.width(), self.height()) // count  # whole pixels: no blurred module edges
        side = module * count
        left, top = (self.width() - side) // 2, (self.height() - side) // 2
        painter = QPainter(self)
        painter.fillRect(QRectF(left, top, side, side), QColor("#ffffff"))  # always dark-on-light for scanners
        black = QColor("#000000")
        for row, cells in enumerate(self.matrix):
            for column, dark in enumerate(cells):
                if dark:
                    painter.fillRect(left + column * module, top + row * module, module, module, black)
        painter.end()


class PayScreen(Screen):
    step = StepKind.PAY
    shows_own_busy = True

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        box = ResponsiveBox()
        self.qr = QrWidget(ctx.theme)
        info = QWidget()
        column = QVBoxLayout(info)
        self.amount, self.countdown = make_label("huge"), make_label("prompt")
        self.order, self.methods = make_label("small"), make_label("hint")
        column.addStretch(1)
        for widget in (self.amount, self.countdown, self.methods, self.order):
            column.addWidget(widget)
        column.addStretch(1)
        box.box.addWidget(self.qr, 3)
        box.box.addWidget(info, 2)
        self.layout_.addWidget(box, 1)
        self.bind(self.methods, "pay.methods")
        self.remaining_s = 0
        self.poll_ms = POLL_MS
        self.tick_ms = 1000
        self._poll_timer = QTimer(self)
        self._poll_timer.timeout.connect(lambda: self.poll.emit("check_payment"))
        self._tick_timer = QTimer(self)
        self._tick_timer.timeout.connect(self._tick)

    def render(self, view: FlowView) -> None:
        super().render(view)
        data = view.data
        self.qr.set_text(data.get("qr_text"))
        self.bind(self.amount, "pay.amount", yuan=yuan(int(data.get("amount_cents", 0))))
        self.bind(self.order, "pay.order_ref", ref=data.get("order_ref", ""))
        self.remaining_s = int(data.get("expires_in_s", 0))
        self._show_countdown()
        if not self._poll_timer.isActive():
            self._poll_timer.start(self.poll_ms)
            self._tick_timer.start(self.tick_ms)

    def _tick(self) -> None:
        self.remaining_s = max(0, self.remaining_s - 1)
        self._show_countdown()

    def _show_countdown(self) -> None:
        if self.remaining_s > 0:
            self.bind(self.countdown, "pay.countdown", s=self.remaining_s)
        else:
            self.bind(self.countdown, "pay.expired")

    def deactivated(self) -> None:
        self._poll_timer.stop()
        self._tick_timer.stop()

    def reset(self) -> None:
        super().reset()
        self.deactivated()
        self.qr.set_text(None)
        self.order.clear()
        self.unbind(self.order)
