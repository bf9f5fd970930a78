"""Face detection with a model that ships inside a package: OpenCV's Haar cascade (cv2.data.haarcascades).

OpenCV 5 moved CascadeClassifier to the contrib build and its wheels ship no cascade files, so this needs
opencv-python-headless 4.x (or a contrib build plus the XML); otherwise FaceDetectorUnavailable says so.
Detection runs on a downscaled grey copy: a 320-pixel-wide image keeps faces down to ~6 % of the frame
width detectable (the cascade's 20-pixel window) at a fraction of the full-size cost.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

CASCADE_FILE = "haarcascade_frontalface_alt2.xml"  # fewer false hits on hair and frames than "default"
_MIN_WINDOW = 20  # the alt2 cascade's window: smaller faces cannot be found at a given scale


class FaceDetectorUnavailable(RuntimeError):
    """No face detection model is available in this installation."""


@dataclass(frozen=True)
class FaceBox:
    """A detected face in frame pixels."""

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


class FaceDetector(Protocol):
    def detect(self, frame: np.ndarray) -> list[FaceBox]:
        """Faces in a BGR (or grey) frame, largest first."""
        ...


def _cascade_path(file_name: str) -> Path:
    data = getattr(cv2, "data", None)
    folder = getattr(data, "haarcascades", None)
    if not hasattr(cv2, "CascadeClassifier") or folder is None:
        raise FaceDetectorUnavailable(
            f"OpenCV {cv2.__version__} has no Haar cascades (OpenCV 5 moved them to contrib); "
            "install opencv-python-headless<5"
        )
    path = Path(folder) / file_name
    if not path.is_file():
        raise FaceDetectorUnavailable(
            f"OpenCV {cv2.__version__} ships no {file_name}; install opencv-python-headless<5"
        )
    return path


class HaarFaceDetector:
    """Frontal faces with OpenCV's bundled Haar cascade, coarse to fine. Thread-safe (a cascade per thread).

    Most windows a cascade evaluates are the smallest ones, so a first pass at `coarse_width` finds faces
    near enough to be usable (>= ~12 % of the width) cheaply; only when it finds none does a second pass
    at `detect_width` look for small faces, so a citizen standing back hears "come closer".
    """

    def __init__(
        self,
        detect_width: int = 320,
        coarse_width: int = 160,
        scale_factor: float = 1.15,
        min_neighbors: int = 4,
        cascade_file: str = CASCADE_FILE,
    ) -> None:
        self._path = _cascade_path(cascade_file)
        self.detect_width = detect_width
        self.coarse_width = coarse_width
        self.scale_factor = scale_factor
        self.min_neighbors = min_neighbors
        self._local = threading.local()

    def _cascade(self) -> cv2.CascadeClassifier:
        cascade = getattr(self._local, "cascade", None)
        if cascade is None:
            cascade = cv2.CascadeClassifier(str(self._path))
            if cascade.empty():
                raise FaceDetectorUnavailable(f"cannot load face model {self._path}")
            self._local.cascade = cascade
        return cascade

    def detect(self, frame: np.ndarray) -> list[FaceBox]:
        grey = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        if not self.coarse_width:
            return sorted(self._detect_at(grey, self.detect_width), key=lambda box: box.area, reverse=True)
        boxes = self._detect_at(grey, self.coarse_width)
        if not boxes:
            # Only faces too small for the coarse pass are left to find: skip the larger scales.
            largest = int(_MIN_WINDOW * 1.5 * self.detect_width / self.coarse_width)
            boxes = self._detect_at(grey, self.detect_width, max_side=largest)
        return sorted(boxes, key=lambda box: box.area, reverse=True)

    def _detect_at(self, grey: np.ndarray, width: int, max_side: int = 0) -> list[FaceBox]:
        scale = min(1.0, width / grey.shape[1])
        small = grey if scale == 1.0 else cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        # Equalising makes a dim or backlit face detectable, so "too dark" can be told from "no face".
        small = cv2.equalizeHist(small)
        found = self._cascade().detectMultiScale(
            small,
            scaleFactor=self.scale_factor,
            minNeighbors=self.min_neighbors,
            minSize=(_MIN_WINDOW, _MIN_WINDOW),
            maxSize=(max_side, max_side),
        )
        return [FaceBox(int(x / scale), int(y / scale), int(w / scale), int(h / scale)) for (x, y, w, h) in found]
