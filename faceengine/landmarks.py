"""68-point landmarks (iBUG 300-W numbering) and the geometry liveness reads from them.

Indices: jaw 0-16, brows 17-26, nose bridge 27-30, nostrils 31-35, eyes 36-41 (the subject's right eye,
on the image's left) and 42-47, mouth 48-67. Points are float32 (x, y) in frame pixels.
"""

from __future__ import annotations

import dlib
import numpy as np

from faceengine.detect import FaceBox
from faceengine.models import load_models

RIGHT_EYE = np.arange(36, 42)
LEFT_EYE = np.arange(42, 48)
NOSE_TIP = 30
# Points that move together on a rigid head (no eyelids, no lips): what a flat photo is tested on.
RIGID_POINTS = np.r_[0:17, 17:27, 27:36, 36, 39, 42, 45]


def to_rectangle(box: FaceBox) -> dlib.rectangle:
    return dlib.rectangle(box.x, box.y, box.x + box.width, box.y + box.height)


def predict_landmarks(rgb: np.ndarray, box: FaceBox) -> tuple[np.ndarray, dlib.full_object_detection]:
    """The 68 points of the face in `box` of an RGB (or grey) image, and dlib's shape (for the embedder)."""
    shape = load_models().landmarks(rgb, to_rectangle(box))
    points = np.array([(part.x, part.y) for part in shape.parts()], dtype=np.float32)
    return points, shape


def box_from_landmarks(points: np.ndarray) -> FaceBox:
    """A detector-like box around the points: lets the next frame skip detection (tracking)."""
    x0, y0 = points.min(axis=0)
    x1, y1 = points.max(axis=0)
    brow_to_chin = y1 - y0
    top = y0 - 0.1 * brow_to_chin  # the detector's box starts a little above the brows
    return FaceBox(int(x0), int(top), int(x1 - x0), int(y1 - top))


def eye_aspect_ratio(points: np.ndarray) -> float:
    """Mean eye aspect ratio of both eyes (Soukupova & Cech 2016): ~0.3 open, below ~0.15 closed."""
    ratios = []
    for eye in (RIGHT_EYE, LEFT_EYE):
        p = points[eye]
        vertical = np.linalg.norm(p[1] - p[5]) + np.linalg.norm(p[2] - p[4])
        horizontal = np.linalg.norm(p[0] - p[3])
        ratios.append(vertical / (2.0 * horizontal) if horizontal > 0 else 0.0)
    return float(np.mean(ratios))


def head_turn(points: np.ndarray) -> float:
    """Where the nose tip sits between the cheek contours, -1..1: 0 frontal, > 0 turned to the subject's left.

    The camera faces the citizen, so a head turned to their left shows the nose nearer the image's right
    contour. A flat picture turned as a whole keeps this ratio (ratios survive a near-affine warp).
    """
    left, right = points[1:4, 0].mean(), points[13:16, 0].mean()
    span = right - left
    if span <= 0:
        return 0.0
    return float(2.0 * (points[NOSE_TIP, 0] - left) / span - 1.0)


def interocular(points: np.ndarray) -> float:
    """Distance between the outer eye corners: the face's size unit."""
    return float(np.linalg.norm(points[36] - points[45]))
