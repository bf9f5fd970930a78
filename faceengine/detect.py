"""Face detection with dlib's HOG detector on a downscaled copy, coarse to fine.

HOG's window is 80x80 pixels, so the size a frame is scaled to decides the smallest face found. A kiosk
face (20-45 % of a 640-pixel frame's width) is found at 480 pixels (~17 ms), and so is a second person
beside the citizen (down to 17 %); only when that finds nothing does a full-size pass look for faces down
to 12.5 % (~35 ms), and, when asked (the quality check, which must say "come closer"), a 1.6x pass over
the middle half of the frame finds faces down to ~8 %.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from faceengine.models import load_models

HOG_WINDOW = 80  # pixels: dlib's frontal detector finds nothing smaller at a given scale
COARSE_WIDTH = 480


@dataclass(frozen=True)
class FaceBox:
    """A detected face in frame pixels (dlib's box: eyebrows to chin, roughly ear to ear)."""

    x: int
    y: int
    width: int
    height: int

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x + self.width / 2, self.y + self.height / 2)

    @property
    def area(self) -> int:
        return self.width * self.height

    def scaled(self, factor: float, dx: float = 0.0, dy: float = 0.0) -> FaceBox:
        return FaceBox(round(self.x * factor + dx), round(self.y * factor + dy),
                       round(self.width * factor), round(self.height * factor))  # fmt: skip


def _to_rgb(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image
    return np.ascontiguousarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))


def _detect_at(image: np.ndarray, scale: float, upsample: int = 0) -> list[FaceBox]:
    small = image if scale == 1.0 else cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    found = load_models().detector(_to_rgb(small), upsample)
    return [FaceBox(r.left(), r.top(), r.width(), r.height()).scaled(1 / scale) for r in found]


class FaceDetector:
    """Faces in a BGR (or grey) frame, largest first. Stateless and thread-safe."""

    def __init__(self, coarse_width: int = COARSE_WIDTH, find_small: bool = False) -> None:
        self.coarse_width = coarse_width
        self.find_small = find_small

    def detect(self, frame: np.ndarray) -> list[FaceBox]:
        width = frame.shape[1]
        boxes: list[FaceBox] = []
        if width > self.coarse_width * 1.5:
            boxes = _detect_at(frame, self.coarse_width / width)
        if not boxes:
            # Small pictures (a registry or chip photo) are looked at twice the size so an 80-pixel face is found.
            boxes = _detect_at(frame, 1.0, upsample=1 if max(frame.shape[:2]) < 400 else 0)
        if not boxes and self.find_small:
            boxes = self._detect_small(frame)
        return sorted(boxes, key=lambda box: box.area, reverse=True)

    @staticmethod
    def _detect_small(frame: np.ndarray) -> list[FaceBox]:
        """A citizen standing back is near the middle: look at the middle half (full height) enlarged 1.6x."""
        width = frame.shape[1]
        x0 = width // 4
        middle = frame[:, x0 : x0 + width // 2]
        enlarged = cv2.resize(middle, None, fx=1.6, fy=1.6, interpolation=cv2.INTER_LINEAR)
        found = load_models().detector(_to_rgb(enlarged), 0)
        return [FaceBox(r.left(), r.top(), r.width(), r.height()).scaled(1 / 1.6, x0, 0) for r in found]
