"""Approved screenshots kept small: each screen downscaled 8 times (area average) to 16 grey levels, a 4-bit
PNG of a few KB. A new render is compared with the approved one level by level: a moved button, a missing
text or a changed colour shows; anti-aliasing noise does not."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image
from PySide6.QtGui import QImage

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
SCALE = 8
LEVELS = 16
MAX_CHANGED = 0.001  # share of thumbnail pixels allowed to differ by more than one level (a render is deterministic)
MAX_MEAN = 0.02  # mean difference in levels


def grey_levels(image: QImage) -> np.ndarray:
    """The picture as a (height/8, width/8) array of grey levels 0..15."""
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = grey.width(), grey.height(), grey.bytesPerLine()
    pixels = np.frombuffer(grey.constBits(), np.uint8, count=stride * height).reshape(height, stride)[:, :width]
    small = cv2.resize(pixels, (width // SCALE, height // SCALE), interpolation=cv2.INTER_AREA)
    return (small.astype(np.uint16) * LEVELS // 256).astype(np.uint8)


def save(levels: np.ndarray, path: Path) -> None:
    picture = Image.fromarray(levels, mode="P")
    picture.putpalette([value for level in range(LEVELS) for value in (level * 17,) * 3])
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path, optimize=True, bits=4)


def load(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path))


def difference(new: np.ndarray, approved: np.ndarray) -> tuple[float, float]:
    """(share of pixels off by more than one level, mean difference); shapes must match."""
    diff = np.abs(new.astype(np.int16) - approved.astype(np.int16))
    return float((diff > 1).mean()), float(diff.mean())


def matches(new: np.ndarray, approved: np.ndarray) -> bool:
    if new.shape != approved.shape:
        return False
    changed, mean = difference(new, approved)
    return changed <= MAX_CHANGED and mean <= MAX_MEAN


def side_by_side(new: np.ndarray, approved: np.ndarray, path: Path) -> None:
    """approved | new | where they differ, for a failing comparison."""
    height = max(new.shape[0], approved.shape[0])
    width = max(new.shape[1], approved.shape[1])

    def fit(array: np.ndarray) -> np.ndarray:
        out = np.zeros((height, width), np.uint8)
        out[: array.shape[0], : array.shape[1]] = array * 17
        return out

    a, b = fit(approved), fit(new)
    diff = np.where(np.abs(a.astype(np.int16) - b) > 17, 255, 0).astype(np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.hstack([a, b, diff])).resize((width * 3 * 2, height * 2), Image.NEAREST).save(path)
