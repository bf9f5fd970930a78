"""Items QML cannot draw itself, painted with QPainter (the software scene graph and the GPU one both take
them): the live camera preview with the face frame, and the payment QR code drawn crisp module by module."""

from __future__ import annotations

from PySide6.QtCore import Property, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen
from PySide6.QtQml import qmlRegisterType
from PySide6.QtQuick import QQuickPaintedItem

MODULE = "Kiosk.Native"
_registered = False


def register_types() -> None:
    """Once per process, before the first QML file that imports Kiosk.Native is loaded."""
    global _registered
    if not _registered:
        qmlRegisterType(CameraView, MODULE, 1, 0, "CameraView")
        qmlRegisterType(QrCode, MODULE, 1, 0, "QrCode")
        _registered = True


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR modules including the 4-module quiet zone scanners need."""
    import qrcode  # first needed at a payment, not at start-up

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(text)
    code.make(fit=True)
    return code.get_matrix()


class QrCode(QQuickPaintedItem):
    textChanged = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._text = ""
        self.matrix: list[list[bool]] = []

    def _get_text(self) -> str:
        return self._text

    def _set_text(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.matrix = qr_matrix(text) if text else []
            self.textChanged.emit()
            self.update()

    text = Property(str, _get_text, _set_text, notify=textChanged)

    def paint(self, painter: QPainter) -> None:
        if not self.matrix:
            return
        count = len(self.matrix)
        module = int(min(self.width(), self.height()) // count)  # whole pixels: no blurred module edges
        side = module * count
        left, top = int(self.width() - side) // 2, int(self.height() - side) // 2
        painter.fillRect(QRectF(left, top, side, side), QColor("#ffffff"))  # dark on light for every scanner
        black = QColor("#000000")
        for row, cells in enumerate(self.matrix):
            for column, dark in enumerate(cells):
                if dark:
                    painter.fillRect(left + column * module, top + row * module, module, module, black)


class CameraView(QQuickPaintedItem):
    """The mirrored live picture, cropped to fill the item, dimmed outside the oval the face belongs in, with
    the detected face outlined. `feed` is a ui.camera.CameraFeed."""

    feedChanged = Signal()
    colorsChanged = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._feed: QObject | None = None
        self._ring, self._face_colour = QColor("#ffffff"), QColor("#35c46a")

    def _get_feed(self) -> QObject | None:
        return self._feed

    def _set_feed(self, feed: QObject | None) -> None:
        if feed is self._feed:
            return
        if self._feed is not None:
            self._feed.frameChanged.disconnect(self.update)
        self._feed = feed
        if feed is not None:
            feed.frameChanged.connect(self.update)
        self.feedChanged.emit()
        self.update()

    feed = Property(QObject, _get_feed, _set_feed, notify=feedChanged)

    def _get_ring(self) -> QColor:
        return self._ring

    def _set_ring(self, colour: QColor) -> None:
        self._ring = QColor(colour)
        self.colorsChanged.emit()
        self.update()

    ringColor = Property(QColor, _get_ring, _set_ring, notify=colorsChanged)

    def guide_rect(self) -> QRectF:
        """Where the face should be: an upright oval in the middle of the picture."""
        height = self.height() * 0.72
        width = min(self.width() * 0.7, height * 0.76)
        return QRectF((self.width() - width) / 2, self.height() * 0.12, width, height)

    def paint(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(0, 0, self.width(), self.height())
        painter.fillRect(area, QColor("#0d1830"))
        image: QImage | None = getattr(self._feed, "image", None)
        if image is not None and not image.isNull():
            scale = max(self.width() / image.width(), self.height() / image.height())
            w, h = image.width() * scale, image.height() * scale
            target = QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)
            painter.save()
            painter.translate(self.width(), 0)
            painter.scale(-1, 1)  # a mirror: moving left moves the picture left
            painter.drawImage(target, image)
            box = getattr(self._feed, "face_box", None)  # fractions of the frame
            if box:
                x, y, fw, fh = box
                painter.setPen(QPen(self._face_colour, 6))
                painter.drawRoundedRect(QRectF(target.x() + x * w, target.y() + y * h, fw * w, fh * h), 18, 18)
            painter.restore()
        guide = self.guide_rect()
        mask = QPainterPath()
        mask.addRect(area)
        mask.addEllipse(guide)
        mask.setFillRule(Qt.FillRule.OddEvenFill)
        painter.fillPath(mask, QColor(10, 20, 45, 150))
        painter.setPen(QPen(self._ring, 8))
        painter.drawEllipse(guide)
