"""dlib's face models, loaded once per process and shared by every thread.

The models come from PyPI: dlib-bin (the library) and face-recognition-models (the model files). The ResNet
face embedding (dlib_face_recognition_resnet_model_v1) and the HOG detector are released into the public
domain (CC0); the 68-point landmark model is trained on iBUG 300-W, whose terms exclude commercial use (see
docs/face.md before shipping a product). Loading takes ~1 s and ~200 MB, so it happens on first use.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import dlib
import face_recognition_models

from faceengine.errors import ModelUnavailable

# What a journal records so a score can be traced to the exact model that produced it.
ENGINE_VERSION = f"dlib-{dlib.__version__}/resnet_v1/hog/68pt"


@dataclass(frozen=True)
class Models:
    detector: Any  # dlib.fhog_object_detector
    landmarks: Any  # dlib.shape_predictor (68 points)
    embedder: Any  # dlib.face_recognition_model_v1


_models: Models | None = None
_load_lock = threading.Lock()
embed_lock = threading.Lock()  # dlib's ResNet reuses its layer buffers: one forward pass at a time


def load_models() -> Models:
    """The shared models, loaded on the first call. Detector and landmarks are const in dlib (any thread); the
    embedder keeps buffers between calls, so callers hold `embed_lock` around it."""
    global _models
    if _models is None:
        with _load_lock:
            if _models is None:
                _models = _load()
    return _models


def _load() -> Models:
    try:
        return Models(
            detector=dlib.get_frontal_face_detector(),
            landmarks=dlib.shape_predictor(face_recognition_models.pose_predictor_model_location()),
            embedder=dlib.face_recognition_model_v1(face_recognition_models.face_recognition_model_location()),
        )
    except RuntimeError as error:
        raise ModelUnavailable(f"cannot load the dlib face models: {error}") from None
