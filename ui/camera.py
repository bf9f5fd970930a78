"""The live face step: preview frames from the camera (~15 per second), the face outlined (detected in a worker a
few times a second), and frames handed to the flow.

Two contracts: a liveness flow offers `face_frame` and gets a stream of frames (about 10 a second, one call in
flight, through the controller's poll); an older flow offers `capture_face` and gets one photo when the face has
been steady for about 2 s (or on the capture button). The preview holds a personal image: `wipe()` drops it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QImage

from ui.qobject_state import StateObject
from ui.runtime import FaceBox, KioskRuntime
from ui.worker import CallResult, Worker

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

FRAME_MS = 66  # ~15 frames per second on screen
STREAM_INTERVAL_S = 0.1  # ~10 frames per second to a liveness flow
DETECT_EVERY = 4  # frames between face detections
STEADY_FRAMES = 30  # a face seen this long (~2 s) is photographed without a touch


def frame_to_image(frame: np.ndarray) -> QImage:
    """A deep copy, so the image never points into the camera's buffer."""
    import numpy as np  # the first frame comes long after the first paint

    frame = np.ascontiguousarray(frame)
    height, width = frame.shape[:2]
    if frame.ndim == 2:
        return QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_Grayscale8).copy()
    return QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_BGR888).copy()


class CameraFeed(StateObject):
    fields = {"active": bool, "hasFrame": bool, "faceSeen": bool, "canCapture": bool}
    frameChanged = Signal()

    def __init__(self, runtime: KioskRuntime, worker: Worker, send: Callable[..., bool],
                 poll: Callable[..., bool], parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.runtime, self._send, self._poll = runtime, send, poll
        self.detector = Worker(worker.pool, self)
        self.detector.finished.connect(self._on_detected)
        self.image: QImage | None = None
        self.face_box: FaceBox | None = None
        self.frame: np.ndarray | None = None
        self.auto_capture = True
        self._intents: tuple[str, ...] = ()
        self._frames = self._steady = 0
        self._detecting = False
        self._last_streamed = 0.0
        self.timer = QTimer(self, interval=FRAME_MS)
        self.timer.timeout.connect(self.next_frame)

    def show_step(self, intents: tuple[str, ...] | list[str]) -> None:
        """The face step is (still) on screen with these intents."""
        self._intents = tuple(intents)
        self._steady = 0
        self.update(active=True, canCapture="capture_face" in self._intents)
        if not self.timer.isActive():
            self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.wipe()

    def wipe(self) -> None:
        self.frame, self.image, self.face_box, self._intents = None, None, None, ()
        self._steady = 0
        self.update(active=False, hasFrame=False, faceSeen=False, canCapture=False)
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
        self._frames += 1
        if self._frames % DETECT_EVERY == 0 and not self._detecting:
            self._detecting = True
            runtime, copy = self.runtime, frame.copy()
            self.detector.start("detect", 0, lambda: runtime.detect_face(copy))
        if "face_frame" in self._intents and time.monotonic() - self._last_streamed >= STREAM_INTERVAL_S:
            if self._poll("face_frame", frame=frame.copy()):
                self._last_streamed = time.monotonic()

    def _on_detected(self, result: CallResult) -> None:
        self._detecting = False
        if self.frame is None:
            return  # left the step meanwhile
        face = result.value if result.error is None else None
        self.face_box = tuple(int(v) for v in face) if face else None  # type: ignore[assignment]
        self.update(faceSeen=self.face_box is not None)
        self._steady = self._steady + DETECT_EVERY if face else 0
        if self.auto_capture and self._steady >= STEADY_FRAMES:
            self.capture()

    @Slot()
    def capture(self) -> None:
        """One photo per attempt (the next view of the step allows the next one)."""
        if self.frame is None or not self.get("canCapture"):
            return
        self._steady = 0
        self.update(canCapture=False)
        self._send("capture_face", frame=self.frame.copy())
