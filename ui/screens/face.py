"""Capture the face: live preview at ~15 fps, the detected face outlined, guidance, attempts, capture.

Frames come from runtime.camera_frame() (non-blocking, latest frame); detection runs in a worker a few times
a second. The photo is sent with handle("capture_face", frame=...) through the controller's worker. The
preview holds a personal image, so it is dropped when the screen is left or the session ends.
"""

from __future__ import annotations

import logging
import time

import numpy as np
from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.flows.base import FlowView, StepKind
from ui.runtime import FaceBox
from ui.screens.base import Screen, ScreenContext
from ui.theme import Theme
from ui.widgets import make_button, make_label
from ui.worker import CallResult, Worker

log = logging.getLogger(__name__)

FRAME_MS = 66  # ~15 frames per second
DETECT_EVERY = 4  # frames between face detections
AUTO_CAPTURE_FRAMES = 30  # a face seen steadily for ~2 s is captured without a touch


def frame_to_image(frame: np.ndarray) -> QImage:
    """A deep copy, so the image never points into the camera's buffer."""
    frame = np.ascontiguousarray(frame)
    height, width = frame.shape[:2]
    if frame.ndim == 2:
        return QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_Grayscale8).copy()
    return QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_BGR888).copy()


class FacePreview(QWidget):
    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.image: QImage | None = None
        self.face: FaceBox | None = None
        self.setMinimumSize(theme.px(60), theme.px(45))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def clear(self) -> None:
        self.image, self.face = None, None
        self.update()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#1a1a1a"))
        if self.image is not None and not self.image.isNull():
            scale = min(self.width() / self.image.width(), self.height() / self.image.height())
            w, h = self.image.width() * scale, self.image.height() * scale
            target = QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)
            painter.drawImage(target, self.image)
            if self.face is not None:
                x, y, fw, fh = self.face
                painter.setPen(QPen(QColor(self.theme.palette.ok if not self.theme.high_contrast else "#00ff00"), 5))
                painter.drawRect(QRectF(target.x() + x * scale, target.y() + y * scale, fw * scale, fh * scale))
        guide_h = self.height() * 0.7
        guide = QRectF((self.width() - guide_h * 0.75) / 2, self.height() * 0.12, guide_h * 0.75, guide_h)
        painter.setPen(QPen(QColor("#ffffff"), 3, Qt.PenStyle.DashLine))
        painter.drawEllipse(guide)  # where the face should be
        painter.end()


class CaptureFaceScreen(Screen):
    step = StepKind.CAPTURE_FACE

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.preview = FacePreview(ctx.theme)
        self.guidance = make_label("prompt")
        self.attempt = make_label("hint")
        self.capture = make_button("primary")
        self.capture.clicked.connect(self.take_photo)
        self.layout_.addWidget(self.preview, 1)
        for widget in (self.guidance, self.attempt, self.capture):
            self.layout_.addWidget(widget)
        self.bind(self.capture, "btn.capture")
        self.detector = Worker(ctx.worker.pool, self)
        self.detector.finished.connect(self._on_detected)
        self._detecting = False
        self._frames = 0
        self._steady = 0
        self._frame: np.ndarray | None = None
        self.auto_capture = True
        self.timer = QTimer(self, interval=FRAME_MS)
        self.timer.timeout.connect(self.next_frame)

    def render(self, view: FlowView) -> None:
        super().render(view)
        data = view.data
        self.bind(self.guidance, data.get("guidance_key") or "guidance.hold_still")
        self.bind(self.attempt, "face.attempt", n=data.get("attempt", 1), of=data.get("max_attempts", 1))
        self.capture.setEnabled("capture_face" in view.intents)
        self._steady = 0

    def activated(self) -> None:
        self.timer.start()

    def deactivated(self) -> None:
        self.timer.stop()
        self._frame = None
        self.preview.clear()

    def next_frame(self) -> None:
        try:
            frame = self.ctx.runtime.camera_frame()
        except Exception as error:
            log.warning("camera frame failed: %s", type(error).__name__)
            frame = None
        if frame is None:
            return
        self._frame = frame
        self.preview.image = frame_to_image(frame)
        self.preview.update()
        self._frames += 1
        if self.auto_capture:  # liveness: frames stream to the flow, one in flight; it tracks the face itself
            if self.capture.isEnabled():
                self.take_photo()
            return
        if self._frames % DETECT_EVERY == 0 and not self._detecting:
            self._detecting = True
            runtime, copy = self.ctx.runtime, frame.copy()
            self.detector.start("detect", 0, lambda: runtime.detect_face(copy))

    def _on_detected(self, result: CallResult) -> None:
        self._detecting = False
        if self._frame is None:
            return  # left the screen meanwhile
        face = result.value if result.error is None else None
        self.preview.face = tuple(int(v) for v in face) if face else None
        self._steady = self._steady + DETECT_EVERY if face else 0
        if self.auto_capture and self._steady >= AUTO_CAPTURE_FRAMES and self.capture.isEnabled():
            self.take_photo()

    def take_photo(self) -> None:
        if self._frame is None or self.view is None or "capture_face" not in self.view.intents:
            return
        self.capture.setEnabled(False)  # one frame in flight; the next view re-enables it
        self._steady = 0
        self.send("capture_face", frame=self._frame.copy(), t=time.monotonic())

    def reset(self) -> None:
        super().reset()
        self.deactivated()
        self.guidance.clear()
        self.unbind(self.guidance)
