"""Face comparison for the sandbox's 人证核验: detect, crop, normalise, correlate.

Not a biometric matcher: a deterministic stand-in with the real shape (a live capture against the
registry photo, a score in [0, 1] and a configurable threshold) so kiosk flows meet the real outcomes:
match, no match and no face. The face is found with OpenCV's frontal-face Haar cascade, cropped to a
square, resized to 64x64 grayscale, histogram-equalised, and two crops are scored by their normalised
cross-correlation at the best small offset (negative correlation counts as 0).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from server.sandbox.haar import HaarCascade, Rect

CASCADE_FILE = Path(__file__).parent / "data" / "cascades" / "haarcascade_frontalface_default.xml"
CROP_SIZE = 64
ALIGN_MARGIN = 0.15  # search window around the live face, as a share of its width
ALIGN_ZOOMS = (0.85, 0.92, 1.0, 1.08, 1.16)  # detections of one face differ in size too
MAX_SIDE = 480  # captures are scaled down to this before detection: bounded cost per request
MIN_FACE_FRACTION = 0.12  # a face narrower than this share of the image is too far away


class NoFace(ValueError):
    """The image holds no detectable frontal face."""


class RegistryPhotoUnusable(ValueError):
    """The registry photo holds no detectable face (a data problem at the registry, not the citizen's)."""


class UnreadableImage(ValueError):
    """The bytes are not an image OpenCV can decode."""


@dataclass(frozen=True)
class FaceScore:
    score: float
    threshold: float

    @property
    def match(self) -> bool:
        return self.score >= self.threshold


@functools.cache
def _detector():
    native = getattr(cv2, "CascadeClassifier", None)
    if native is not None:  # OpenCV 4 builds still carry the native detector
        classifier = native(str(CASCADE_FILE))
        if not classifier.empty():
            return classifier
    return HaarCascade(CASCADE_FILE)


def _detect(gray: np.ndarray) -> list[Rect]:
    detector = _detector()
    min_side = max(24, int(min(gray.shape) * MIN_FACE_FRACTION))
    if isinstance(detector, HaarCascade):
        faces = detector.detect(gray)
        return [face for face in faces if face[2] >= min_side]
    found = detector.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=3, minSize=(min_side, min_side))
    return [tuple(int(v) for v in face) for face in found]  # type: ignore[misc]


def decode_gray(image_bytes: bytes) -> np.ndarray:
    array = np.frombuffer(image_bytes, dtype=np.uint8)
    image = cv2.imdecode(array, cv2.IMREAD_GRAYSCALE) if array.size else None
    if image is None:
        raise UnreadableImage("the image cannot be decoded (JPEG or PNG expected)")
    return image


def face_crop(image_bytes: bytes, margin: float = 0.0) -> np.ndarray:
    """The largest face, grown by `margin` of its width on each side, as an equalised square crop."""
    gray = decode_gray(image_bytes)
    scale = min(1.0, MAX_SIDE / max(gray.shape))
    if scale < 1.0:
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    faces = _detect(gray)
    if not faces:
        raise NoFace("no face found in the image")
    x, y, w, h = max(faces, key=lambda face: face[2] * face[3])
    grow = round(w * margin)
    padded = cv2.copyMakeBorder(gray, grow, grow, grow, grow, cv2.BORDER_REPLICATE)
    side = round(CROP_SIZE * (1 + 2 * margin))
    crop = cv2.resize(padded[y : y + h + 2 * grow, x : x + w + 2 * grow], (side, side), interpolation=cv2.INTER_AREA)
    return cv2.GaussianBlur(cv2.equalizeHist(crop), (0, 0), 1.0).astype(np.float32)


def compare(live_capture: bytes, registry_photo: bytes, threshold: float) -> FaceScore:
    """Score a live capture against a registry photo (NoFace for the capture, RegistryPhotoUnusable).

    The capture's crop is taken slightly larger and the registry crop slid over it: the best normalised
    correlation absorbs the few pixels by which two detections of one face disagree.
    """
    live = face_crop(live_capture, margin=ALIGN_MARGIN)
    try:
        reference = face_crop(registry_photo)
    except (NoFace, UnreadableImage) as error:
        raise RegistryPhotoUnusable("the registry photo has no usable face") from error
    correlation = max(
        float(cv2.matchTemplate(live, cv2.resize(reference, None, fx=zoom, fy=zoom), cv2.TM_CCOEFF_NORMED).max())
        for zoom in ALIGN_ZOOMS
    )
    return FaceScore(score=round(max(0.0, correlation), 4), threshold=threshold)
