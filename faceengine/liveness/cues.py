"""Passive presentation-attack cues, measured on one frame's face (pure functions, no state).

- Planarity: a photo turned in the hand moves all its points as one plane, so a homography maps the face's
  rigid landmarks onto the frontal baseline almost exactly, although a similarity transform cannot
  (the sheet is foreshortened). A real head turning shows parallax: the nose swings further than the
  outline, and no homography explains it.
- Moire: a display's sub-pixel grid, sampled by the camera, aliases into fine colour stripes: the face's
  chroma channels carry far more high-frequency energy than skin does.
- Glare: the glass of a phone reflects the room's light as a blown-out streak across the face.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from faceengine.detect import FaceBox
from faceengine.landmarks import RIGID_POINTS, interocular

_LOW_BAND, _HIGH_BAND = (0.01, 0.12), (0.12, 0.5)  # cycles per pixel


@dataclass(frozen=True)
class Planarity:
    deformation: float  # residual of the best similarity transform, in inter-ocular distances
    homography_residual: float  # residual of the best homography, same unit


def planarity(points: np.ndarray, reference: np.ndarray) -> Planarity:
    """How the rigid landmarks moved from the reference (frontal baseline) frame."""
    current, target = points[RIGID_POINTS].astype(np.float32), reference[RIGID_POINTS].astype(np.float32)
    scale = max(interocular(reference), 1.0)
    similarity, _ = cv2.estimateAffinePartial2D(current, target, method=cv2.LMEDS)
    homography, _ = cv2.findHomography(current, target, 0)
    if similarity is None or homography is None:
        return Planarity(0.0, 0.0)
    by_similarity = current @ similarity[:, :2].T + similarity[:, 2]
    by_homography = cv2.perspectiveTransform(current[None], homography)[0]
    return Planarity(_rms(by_similarity - target) / scale, _rms(by_homography - target) / scale)


def _rms(differences: np.ndarray) -> float:
    return float(np.sqrt((differences**2).sum(axis=1).mean()))


def _crop(frame: np.ndarray, box: FaceBox) -> np.ndarray:
    height, width = frame.shape[:2]
    x0, y0 = max(0, box.x), max(0, box.y)
    return frame[y0 : min(height, box.y + box.height), x0 : min(width, box.x + box.width)]


def moire_ratio(frame: np.ndarray, box: FaceBox) -> float:
    """High- to low-frequency energy of the face's chroma (the larger of Cr and Cb): ~0.02 skin, >0.3 a screen."""
    crop = _crop(frame, box)
    if min(crop.shape[:2]) < 32:
        return 0.0
    chroma = cv2.cvtColor(crop, cv2.COLOR_BGR2YCrCb)[..., 1:].astype(np.float32)
    height, width = chroma.shape[:2]
    window = np.outer(np.hanning(height), np.hanning(width)).astype(np.float32)
    radius = np.hypot(*np.meshgrid(np.fft.fftfreq(height), np.fft.fftfreq(width), indexing="ij"))
    low = (radius > _LOW_BAND[0]) & (radius <= _LOW_BAND[1])
    high = (radius > _HIGH_BAND[0]) & (radius < _HIGH_BAND[1])
    ratios = []
    for channel in range(2):
        plane = chroma[..., channel] - chroma[..., channel].mean()
        power = np.abs(np.fft.fft2(plane * window)) ** 2
        ratios.append(float(power[high].sum() / max(power[low].sum(), 1e-6)))
    return max(ratios)


def glare_fraction(frame: np.ndarray, box: FaceBox) -> float:
    """Share of the face box that is blown out: bright and colourless."""
    crop = _crop(frame, box)
    if crop.size == 0:
        return 0.0
    hsv = cv2.cvtColor(crop, cv2.COLOR_BGR2HSV)
    blown = (hsv[..., 2] >= 235) & (hsv[..., 1] <= 40)
    return float(blown.mean())
