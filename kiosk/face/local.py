"""On-kiosk face comparison with dlib's ResNet face embedding (optional extra: dlib-bin +
face_recognition_models, whose ResNet and 5-point models are CC0).

Imported lazily: the kiosk runs without it (the backend compares), and `LocalFaceVerifier.available()`
tells whether this installation can. The reference is a photo held in memory, e.g. the ID card's chip
photo; nothing is written anywhere.
"""

from __future__ import annotations

import importlib
import threading
from typing import Any

import cv2
import numpy as np

from kiosk.face.verify import FaceMatch, FaceReference, FaceVerifierUnavailable

# dlib's documented operating point: same person below 0.6 Euclidean distance between embeddings.
DLIB_SAME_PERSON_DISTANCE = 0.6
_INSTALL_HINT = "install the optional face extra: pip install dlib-bin face-recognition-models"


def _load_models() -> tuple[Any, Any, Any]:
    try:
        dlib = importlib.import_module("dlib")
        models = importlib.import_module("face_recognition_models")
    except ImportError as error:
        raise FaceVerifierUnavailable(
            f"local face comparison is not installed ({error.name}); {_INSTALL_HINT}"
        ) from None
    try:
        detector = dlib.get_frontal_face_detector()
        landmarks = dlib.shape_predictor(models.pose_predictor_five_point_model_location())
        embedder = dlib.face_recognition_model_v1(models.face_recognition_model_location())
    except RuntimeError as error:
        raise FaceVerifierUnavailable(f"cannot load the dlib face models: {error}") from None
    return detector, landmarks, embedder


class LocalFaceVerifier:
    """Compares the live face with a reference photo on the kiosk.

    score = 1 - embedding distance (clipped to 0..1); a match is score >= threshold. The default threshold
    0.4 is dlib's 0.6 distance.
    """

    def __init__(self, threshold: float = 1.0 - DLIB_SAME_PERSON_DISTANCE) -> None:
        self.threshold = threshold
        self._models: tuple[Any, Any, Any] | None = None
        self._lock = threading.Lock()  # dlib models are not documented as thread-safe

    @staticmethod
    def available() -> bool:
        try:
            importlib.import_module("dlib")
            importlib.import_module("face_recognition_models")
        except ImportError:
            return False
        return True

    def _ensure_models(self) -> tuple[Any, Any, Any]:
        if self._models is None:
            self._models = _load_models()
        return self._models

    def embedding(self, image: np.ndarray) -> np.ndarray | None:
        """The 128-d embedding of the largest face in a BGR image, or None if no face is found."""
        detector, landmarks, embedder = self._ensure_models()
        rgb = np.ascontiguousarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
        # Chip photos are small (102x126): look at twice the size so the 80-pixel detector finds the face.
        upsample = 1 if max(image.shape[:2]) < 400 else 0
        with self._lock:
            faces = detector(rgb, upsample)
            if not faces:
                rgb.fill(0)
                return None
            face = max(faces, key=lambda rect: rect.area())
            vector = np.array(embedder.compute_face_descriptor(rgb, landmarks(rgb, face)))
        rgb.fill(0)
        return vector

    def verify(self, live_frame: np.ndarray, reference: FaceReference) -> FaceMatch:
        if reference.photo is None:
            raise ValueError("local comparison needs a reference photo (e.g. the ID card's chip photo)")
        with self._lock:
            self._ensure_models()
        live = self.embedding(live_frame)
        known = self.embedding(reference.photo)
        if live is None or known is None:
            return FaceMatch(match=False, score=0.0, threshold=self.threshold)
        score = float(np.clip(1.0 - np.linalg.norm(live - known), 0.0, 1.0))
        return FaceMatch(match=score >= self.threshold, score=score, threshold=self.threshold)
