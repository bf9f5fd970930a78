"""Face comparison for the sandbox's 人证核验: the stand-in for the police face platform.

It compares the live capture with the registry photo using the same engine as the kiosk (faceengine:
dlib's ResNet embedding), so kiosk flows meet real outcomes on real photographs: match, no match, no face.
Registry templates are computed once per photo and kept in memory (keyed by the photo's hash), as a face
platform keeps its gallery enrolled; captures are never stored.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

import cv2

from faceengine import DEFAULT_THRESHOLD, FaceEngine, FaceEngineError, FaceTemplate, decode_image, wipe
from faceengine import NoFace as EngineNoFace
from faceengine import UnreadableImage as EngineUnreadableImage

MAX_SIDE = 960  # captures are scaled down to this before analysis: bounded cost per request
_GALLERY_SIZE = 256


class NoFace(ValueError):
    """The capture holds no usable face (none, several, or too small); the message says which."""


class RegistryPhotoUnusable(ValueError):
    """The registry photo holds no usable face (a data problem at the registry, not the citizen's)."""


class UnreadableImage(ValueError):
    """The bytes are not an image OpenCV can decode."""


@dataclass(frozen=True)
class FaceScore:
    score: float
    threshold: float
    engine_version: str

    @property
    def match(self) -> bool:
        return self.score >= self.threshold


@functools.cache
def _engine() -> FaceEngine:
    return FaceEngine()


class _Gallery:
    """Registry templates by photo hash, least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._templates: OrderedDict[str, FaceTemplate] = OrderedDict()
        self._lock = threading.Lock()

    def template(self, photo: bytes) -> FaceTemplate:
        key = hashlib.sha256(photo).hexdigest()
        with self._lock:
            if key in self._templates:
                self._templates.move_to_end(key)
                return self._templates[key]
        try:
            image = decode_image(photo)
            template = _engine().enroll(image)
            wipe(image)
        except FaceEngineError as error:
            raise RegistryPhotoUnusable(f"the registry photo has no usable face ({error.code})") from error
        with self._lock:
            self._templates[key] = template
            while len(self._templates) > self._size:
                self._templates.popitem(last=False)[1].wipe()
        return template


_gallery = _Gallery(_GALLERY_SIZE)


def compare(live_capture: bytes, registry_photo: bytes, threshold: float = DEFAULT_THRESHOLD) -> FaceScore:
    """Score a live capture against a registry photo (NoFace, UnreadableImage, RegistryPhotoUnusable)."""
    reference = _gallery.template(registry_photo)
    try:
        image = decode_image(live_capture)
    except EngineUnreadableImage as error:
        raise UnreadableImage(str(error)) from error
    try:
        if max(image.shape[:2]) > MAX_SIDE:
            scale = MAX_SIDE / max(image.shape[:2])
            image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        engine = _engine()
        result = FaceEngine(threshold, engine.detector).compare(reference, image)
    except EngineNoFace as error:
        raise NoFace("no face found in the capture") from error
    except FaceEngineError as error:
        raise NoFace(f"no usable face in the capture: {error}") from error
    finally:
        wipe(image)
    return FaceScore(round(result.score, 4), threshold, result.engine_version)
