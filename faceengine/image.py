"""Pictures in and out of the engine: decoding bytes, checking arrays, and wiping buffers."""

from __future__ import annotations

import cv2
import numpy as np

from faceengine.errors import UnreadableImage


def decode_image(data: bytes) -> np.ndarray:
    """JPEG/PNG bytes as a BGR array; UnreadableImage for anything else."""
    array = np.frombuffer(data, dtype=np.uint8) if data else np.empty(0, np.uint8)
    image = cv2.imdecode(array, cv2.IMREAD_COLOR) if array.size else None
    if image is None:
        raise UnreadableImage("the image cannot be decoded (JPEG or PNG expected)")
    return image


def read_image_file(path: str) -> np.ndarray:
    """A picture file as BGR; OSError if it cannot be read, UnreadableImage if it is not a picture."""
    with open(path, "rb") as handle:
        return decode_image(handle.read())


def as_bgr(image: np.ndarray) -> np.ndarray:
    """A uint8 BGR view or copy of a grey, BGR or BGRA array; UnreadableImage for other shapes."""
    if not isinstance(image, np.ndarray) or image.dtype != np.uint8 or image.size == 0:
        raise UnreadableImage("expected a non-empty uint8 image array")
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.ndim == 3 and image.shape[2] == 3:
        return image
    if image.ndim == 3 and image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    raise UnreadableImage(f"unsupported image shape {image.shape}")


def wipe(*arrays: np.ndarray | None) -> None:
    """Zero buffers that held a face (frames, crops, landmarks, embeddings); read-only views are skipped."""
    for array in arrays:
        if array is not None and array.size and array.flags.writeable:
            array.fill(0)
