"""On-kiosk face comparison with the face engine (faceengine: dlib's ResNet embedding).

The reference is a photo held in memory (e.g. the ID card's chip photo). Its template is computed once per
visit: enroll() it when the visit starts (or let verify() do it on first use), compare every capture or
liveness Observation against it, and wipe() at the end of the visit. Nothing is written anywhere.
"""

from __future__ import annotations

import threading

import numpy as np

from faceengine import DEFAULT_THRESHOLD, FaceEngine, FaceEngineError, FaceTemplate, Observation
from kiosk.face.verify import FaceMatch, FaceReference


class LocalFaceVerifier:
    """score = 1 - embedding distance / 1.2; a match is score >= threshold (default 0.5, dlib's 0.6 distance).

    A probe without a usable face is no match (score 0); a reference photo without one raises ValueError.
    """

    def __init__(self, threshold: float = DEFAULT_THRESHOLD, engine: FaceEngine | None = None) -> None:
        self.engine = engine or FaceEngine(threshold)
        self.threshold = threshold
        self._lock = threading.Lock()
        self._reference_photo: np.ndarray | None = None
        self._reference: FaceTemplate | None = None

    @staticmethod
    def available() -> bool:
        return True  # dlib is a core dependency

    def enroll(self, photo: np.ndarray) -> FaceTemplate:
        """The template of this visit's reference photo (computed once, kept until wipe())."""
        with self._lock:
            if self._reference is None or self._reference_photo is not photo:
                self._drop_reference()
                try:
                    self._reference = self.engine.enroll(photo)
                except FaceEngineError as error:
                    raise ValueError(f"the reference photo has no usable face ({error.code})") from error
                self._reference_photo = photo
            return self._reference

    def verify(self, live_frame: np.ndarray | Observation, reference: FaceReference) -> FaceMatch:
        if reference.photo is None:
            raise ValueError("local comparison needs a reference photo (e.g. the ID card's chip photo)")
        template = self.enroll(reference.photo)
        try:
            result = FaceEngine(self.threshold, self.engine.detector).compare(template, live_frame)
        except FaceEngineError:
            return FaceMatch(match=False, score=0.0, threshold=self.threshold, engine_version=self.engine.version)
        return FaceMatch(result.match, result.score, result.threshold, engine_version=result.engine_version)

    def _drop_reference(self) -> None:
        if self._reference is not None:
            self._reference.wipe()
        self._reference, self._reference_photo = None, None

    def wipe(self) -> None:
        """The visit ended: zero the reference template."""
        with self._lock:
            self._drop_reference()
