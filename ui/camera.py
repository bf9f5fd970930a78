"""The live face step: preview frames from the camera (~15 per second) on screen, and frames streamed to the
flow's liveness check: capture_face(frame, t) about 10 times a second, one call in flight (the controller's
poll), t the time the frame was taken. The face is outlined where the flow says it is (view data "face_box":
x, y, width, height as fractions of the frame): the screen runs no detector of its own, as the face engine is
not to be called from two threads at once. The preview holds a personal image: `wipe()` drops it."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QImage

from ui.qobject_state import StateObject
from ui.runtime import KioskRuntime

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

FRAME_MS = 66  # ~15 frames per second on screen
STREAM_INTERVAL_S = 0.1  # ~10 frames per second to the flow


def frame_to_image(frame: np.ndarray) -> QImage:
    """A deep copy, so the image never points into the camera's buffer."""
    import numpy as np  # the first frame comes long after the first paint

    frame = np.ascontiguousarray(frame)
    height, width = frame.shape[:2]
    if frame.ndim == 2:
        return QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_Grayscale8).copy()
    return QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_BGR888).copy()


class CameraFeed(StateObject):
    fields = {"active": bool, "hasFrame": bool, "faceSeen": bool, "streaming": bool}
    frameChanged = Signal()

    def __init__(self, runtime: KioskRuntime, poll: Callable[..., bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runtime, self._poll = runtime, poll
        self.image: QImage | None = None
        self.face_box: tuple[float, float, float, float] | None = None  # fractions of the frame
        self.frame: np.ndarray | None = None
        self.streamed = 0  # frames handed to the flow (tests and benchmarks)
        self._intents: tuple[str, ...] = ()
        self._last_streamed = 0.0
        self.timer = QTimer(self, interval=FRAME_MS)
        self.timer.timeout.connect(self.next_frame)

    def show_step(self, intents: tuple[str, ...] | list[str], face_box: object = None) -> None:
        """The face step is (still) on screen with these intents, and the face where the flow found it."""
        self._intents = tuple(intents)
        box = tuple(float(v) for v in face_box) if isinstance(face_box, list | tuple) and len(face_box) == 4 else None
        self.face_box = box  # type: ignore[assignment]
        self.update(active=True, streaming="capture_face" in self._intents, faceSeen=box is not None)
        self.frameChanged.emit()
        if not self.timer.isActive():
            self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.wipe()

    def wipe(self) -> None:
        self.frame, self.image, self.face_box, self._intents = None, None, None, ()
        self.update(active=False, hasFrame=False, faceSeen=False, streaming=False)
        self.frameChanged.emit()

    @Slot()
    def next_frame(self) -> None:
        try:
            frame = self.runtime.camera_frame()
        except Exception as error:
            log.warning("camera frame failed: %s", type(error).__name__)
            frame = None
        if frame is None:
            return
        self.frame, self.image = frame, frame_to_image(frame)
        self.update(hasFrame=True)
        self.frameChanged.emit()
        self.stream(frame)

    def stream(self, frame: np.ndarray) -> None:
        """Hand the frame to the flow unless one is in flight or the last went less than 0.1 s ago."""
        now = time.monotonic()
        if "capture_face" in self._intents and now - self._last_streamed >= STREAM_INTERVAL_S:
            if self._poll("capture_face", frame=frame.copy(), t=now):
                self._last_streamed = now
                self.streamed += 1
