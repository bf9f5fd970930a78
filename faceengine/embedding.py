"""The 128-number face embedding (dlib's ResNet) and the score two embeddings get.

dlib documents its operating point as a Euclidean distance of 0.6: pairs closer than that are the same
person (99.38 % on LFW). The score maps distance d linearly, score = 1 - d / (2 * 0.6), clipped to [0, 1]:
identical embeddings score 1, dlib's operating point scores exactly 0.5 (the default threshold), and
pairs twice as far as the operating point score 0.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from faceengine.models import embed_lock, load_models

DLIB_SAME_PERSON_DISTANCE = 0.6
DEFAULT_THRESHOLD = 0.5  # = score_from_distance(DLIB_SAME_PERSON_DISTANCE)
_JITTERS = 0  # dlib's num_jitters: 10 gains ~0.1 % on LFW at 10x the cost


def score_from_distance(distance: float) -> float:
    return float(np.clip(1.0 - distance / (2.0 * DLIB_SAME_PERSON_DISTANCE), 0.0, 1.0))


class FaceTemplate:
    """One face's embedding, held in memory only; wipe() zeroes it. Never printed, pickled or logged."""

    __slots__ = ("_vector",)

    def __init__(self, vector: np.ndarray) -> None:
        self._vector = np.asarray(vector, dtype=np.float64).copy()

    def distance(self, other: FaceTemplate) -> float:
        if not self._vector.any() or not other._vector.any():
            raise ValueError("a wiped face template cannot be compared")
        return float(np.linalg.norm(self._vector - other._vector))

    def wipe(self) -> None:
        self._vector.fill(0)

    @property
    def wiped(self) -> bool:
        return not self._vector.any()

    def __repr__(self) -> str:
        return "FaceTemplate(<128 numbers, not shown>)"

    def __reduce__(self) -> Any:
        raise TypeError("face templates are personal data and are never serialised")


def compute_template(rgb: np.ndarray, shape: Any) -> FaceTemplate:
    """The embedding of the face dlib's `shape` (68 or 5 points) marks in an RGB image."""
    embedder = load_models().embedder
    with embed_lock:
        descriptor = embedder.compute_face_descriptor(rgb, shape, _JITTERS)
    vector = np.array(descriptor)
    template = FaceTemplate(vector)
    vector.fill(0)
    return template
