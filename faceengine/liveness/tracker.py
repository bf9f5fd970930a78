"""Finds the face frame by frame cheaply: full detection every n-th frame, landmark tracking in between.

Landmarks are predicted on the full-resolution frame inside the last box (2-3 ms); the HOG detector runs on
a 480-pixel copy (~17 ms) every `detect_every` frames, which also catches a second face or a face that left.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from faceengine.detect import FaceBox, FaceDetector
from faceengine.image import wipe
from faceengine.landmarks import box_from_landmarks, predict_landmarks
from faceengine.liveness import keys
from faceengine.liveness.settings import LivenessSettings


@dataclass
class TrackedFace:
    """The face in one frame, or the guidance key telling why there is none usable."""

    box: FaceBox | None = None
    landmarks: np.ndarray | None = None
    guidance: str | None = None

    @property
    def usable(self) -> bool:
        return self.guidance is None and self.landmarks is not None


class FaceTracker:
    def __init__(self, settings: LivenessSettings, detector: FaceDetector | None = None) -> None:
        self.settings = settings
        self.detector = detector or FaceDetector()
        self._box: FaceBox | None = None
        self._frames = 0

    def reset(self) -> None:
        self._box = None
        self._frames = 0

    def track(self, frame: np.ndarray, grey: np.ndarray) -> TrackedFace:
        self._frames += 1
        if float(grey.mean()) < self.settings.min_brightness:
            self._box = None
            return TrackedFace(guidance=keys.TOO_DARK)
        if self._box is None or self._frames % self.settings.detect_every == 0:
            boxes = self.detector.detect(frame)
            if not boxes:
                self._box = None
                return TrackedFace(guidance=keys.NO_FACE)
            if len(boxes) > 1:
                return TrackedFace(boxes[0], guidance=keys.ONE_PERSON)
            # Keep the tracked box while it still covers the detected face: the landmark model's answer
            # depends on its box, and switching between two boxes would make the landmarks jitter.
            if self._box is None or _overlap(self._box, boxes[0]) < 0.5:
                self._box = boxes[0]
        return self._landmarks(frame, self._box)

    def _landmarks(self, frame: np.ndarray, box: FaceBox) -> TrackedFace:
        rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
        try:
            points, _shape = predict_landmarks(rgb, box)
        finally:
            wipe(rgb)
        self._box = box_from_landmarks(points)
        fraction = self._box.width / frame.shape[1]
        if fraction < self.settings.min_face_fraction:
            return TrackedFace(self._box, points, keys.FACE_TOO_FAR)
        if fraction > self.settings.max_face_fraction:
            return TrackedFace(self._box, points, keys.FACE_TOO_CLOSE)
        return TrackedFace(self._box, points)


def _overlap(first: FaceBox, second: FaceBox) -> float:
    """Intersection over union of two boxes."""
    width = min(first.x + first.width, second.x + second.width) - max(first.x, second.x)
    height = min(first.y + first.height, second.y + second.height) - max(first.y, second.y)
    if width <= 0 or height <= 0:
        return 0.0
    inter = width * height
    return inter / (first.area + second.area - inter)
