"""Face detection for the quality check: the face engine's HOG detector (faceengine.detect), coarse to fine.

A 320-pixel pass finds a citizen at the kiosk cheaply; a full-size pass faces down to 12.5 % of the width;
a 2x pass over the centre faces down to ~6 %, so a citizen standing back hears "come closer".
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from faceengine import FaceBox, ModelUnavailable
from faceengine import FaceDetector as EngineFaceDetector

FaceDetectorUnavailable = ModelUnavailable  # the models cannot be loaded: a broken installation


class FaceDetector(Protocol):
    def detect(self, frame: np.ndarray) -> list[FaceBox]:
        """Faces in a BGR (or grey) frame, largest first."""
        ...


def default_detector() -> EngineFaceDetector:
    return EngineFaceDetector(find_small=True)


__all__ = ["EngineFaceDetector", "FaceBox", "FaceDetector", "FaceDetectorUnavailable", "default_detector"]
