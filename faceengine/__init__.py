"""One face engine for the kiosk and the sandbox: dlib's HOG detector, 68-point landmarks, ResNet embedding.

Neutral: numpy, OpenCV and dlib only (never kiosk, ui, server, printing or devices). Pictures, landmarks
and embeddings stay in memory and are wiped by their owners; nothing here logs or writes them.
See faceengine.engine for comparison and faceengine.liveness for presentation attack detection.
"""

from faceengine.detect import FaceBox, FaceDetector
from faceengine.embedding import DEFAULT_THRESHOLD, DLIB_SAME_PERSON_DISTANCE, FaceTemplate, score_from_distance
from faceengine.engine import MIN_FACE_PIXELS, ComparisonResult, FaceEngine, Observation
from faceengine.errors import FaceEngineError, FaceTooSmall, ModelUnavailable, NoFace, SeveralFaces, UnreadableImage
from faceengine.image import decode_image, read_image_file, wipe
from faceengine.models import ENGINE_VERSION

__all__ = [
    "DEFAULT_THRESHOLD",
    "DLIB_SAME_PERSON_DISTANCE",
    "ENGINE_VERSION",
    "MIN_FACE_PIXELS",
    "ComparisonResult",
    "FaceBox",
    "FaceDetector",
    "FaceEngine",
    "FaceEngineError",
    "FaceTemplate",
    "FaceTooSmall",
    "ModelUnavailable",
    "NoFace",
    "Observation",
    "SeveralFaces",
    "UnreadableImage",
    "decode_image",
    "read_image_file",
    "score_from_distance",
    "wipe",
]
