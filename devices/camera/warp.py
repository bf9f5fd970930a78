"""Landmark-driven warps that make a still portrait blink and turn its head.

A portrait's 68 landmarks (precomputed, pN.json) plus a few control points (forehead, eyelid creases, a
ring around the head, the picture's border) are triangulated once. A pose moves the points, and one
remap carries every pixel with its triangle (a piecewise-affine warp). A head turn rotates the points
about a vertical axis behind the face, each at a depth from a simple head model: a parabola across the
face (cheeks behind, centre in front) plus the nose, brows and lips standing out. That gives the parallax
a real head shows (the nose swings further than the face outline), which a flat photo cannot. A blink
moves the upper eyelid points down onto the lower lid and draws the lash line.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

HEAD_DEPTH = 0.8  # face-centre depth in front of the turning axis, in half face widths
# How far features stand out from the parabola (half face widths), by landmark index.
_PROTRUSION = {27: 0.12, 28: 0.22, 29: 0.33, 30: 0.45, 31: 0.2, 32: 0.25, 33: 0.3, 34: 0.25, 35: 0.2}
_BROWS, _LIPS = range(17, 27), range(48, 68)
UPPER_LIDS = ((37, 41), (38, 40), (43, 47), (44, 46))  # (upper lid point, lower lid point below it)


@dataclass(frozen=True)
class Pose:
    """Head yaw in degrees (> 0: turned to the subject's left, the image's right) and eye closure 0..1."""

    yaw: float = 0.0
    closure: float = 0.0


class PortraitRig:
    """A portrait prepared for warping: control points, their depths and one triangulation."""

    def __init__(self, image: np.ndarray, landmarks: np.ndarray) -> None:
        self.image = image
        self.landmarks = np.asarray(landmarks, dtype=np.float32)
        self.points = self._control_points()
        self.depth = self._depths()
        self.triangles = _triangulate(self.points, image.shape[1], image.shape[0])

    def _control_points(self) -> np.ndarray:
        lm = self.landmarks
        centre = (lm[0] + lm[16]) / 2
        half_width = np.linalg.norm(lm[16] - lm[0]) / 2
        brow_to_chin = lm[8, 1] - lm[19:25, 1].mean()
        forehead = lm[17:27] - [0, 0.45 * brow_to_chin]
        creases = [lm[up] + 0.45 * (lm[brow] - lm[up]) for up, brow in ((37, 19), (38, 20), (43, 23), (44, 24))]
        angles = np.linspace(0, 2 * np.pi, 16, endpoint=False)
        ring = centre + np.c_[1.45 * half_width * np.cos(angles), 1.25 * brow_to_chin * np.sin(angles) - 0.25 * brow_to_chin]
        height, width = self.image.shape[:2]
        xs, ys = np.linspace(0, width - 1, 5), np.linspace(0, height - 1, 5)
        border = [(x, y) for x in xs for y in (ys[0], ys[-1])] + [(x, y) for x in (xs[0], xs[-1]) for y in ys[1:-1]]
        points = np.vstack([lm, forehead, creases, ring, border]).astype(np.float32)
        points[:, 0] = points[:, 0].clip(0, width - 1)
        points[:, 1] = points[:, 1].clip(0, height - 1)
        self.fixed_from = len(points) - len(border)
        return points

    def _depths(self) -> np.ndarray:
        lm = self.landmarks
        self.centre_x = float((lm[0, 0] + lm[16, 0]) / 2)
        self.half_width = float(np.linalg.norm(lm[16] - lm[0]) / 2)
        u = (self.points[:, 0] - self.centre_x) / self.half_width
        depth = HEAD_DEPTH * (1 - u**2)
        for index, extra in _PROTRUSION.items():
            depth[index] += extra
        depth[list(_BROWS)] += 0.06
        depth[list(_LIPS)] += 0.1
        return depth.astype(np.float32)

    def posed_points(self, pose: Pose) -> np.ndarray:
        """Where every control point goes in this pose (the border stays put)."""
        moved = self.points.copy()
        theta = np.radians(pose.yaw)
        u = (self.points[: self.fixed_from, 0] - self.centre_x) / self.half_width
        z = self.depth[: self.fixed_from]
        moved[: self.fixed_from, 0] = self.centre_x + self.half_width * (u * np.cos(theta) + z * np.sin(theta))
        if pose.closure > 0:
            for upper, lower in UPPER_LIDS:
                moved[upper, 1] += 0.92 * pose.closure * (moved[lower, 1] - moved[upper, 1])
        return moved

    def render(self, pose: Pose) -> np.ndarray:
        """The portrait in this pose (a new array)."""
        if pose == Pose():
            return self.image.copy()
        target = self.posed_points(pose)
        warped = _piecewise_affine(self.image, self.points, target, self.triangles)
        if pose.closure > 0.4:
            open_eyes = self.posed_points(Pose(yaw=pose.yaw))
            _close_eyes(warped, open_eyes, target, pose.closure)
        return warped


def _triangulate(points: np.ndarray, width: int, height: int) -> np.ndarray:
    subdiv = cv2.Subdiv2D((-1, -1, width + 2, height + 2))
    for x, y in points:
        subdiv.insert((float(x), float(y)))
    triangles = []
    for t in subdiv.getTriangleList().reshape(-1, 3, 2):
        index = [int(np.argmin(((points - corner) ** 2).sum(axis=1))) for corner in t]
        if len(set(index)) == 3:
            triangles.append(index)
    return np.array(triangles, dtype=np.int32)


def _piecewise_affine(image: np.ndarray, source: np.ndarray, target: np.ndarray, triangles: np.ndarray) -> np.ndarray:
    """Every target pixel looks up its source through the affine map of the target triangle it lies in."""
    height, width = image.shape[:2]
    owner = np.full((height, width), -1, dtype=np.int32)
    inverse = np.zeros((len(triangles), 2, 3), dtype=np.float32)
    for number, tri in enumerate(triangles):
        inverse[number] = cv2.getAffineTransform(target[tri], source[tri])
        cv2.fillConvexPoly(owner, np.round(target[tri]).astype(np.int32), number)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    covered = owner >= 0
    maps = inverse[owner.clip(0)]
    map_x = np.where(covered, maps[..., 0, 0] * xs + maps[..., 0, 1] * ys + maps[..., 0, 2], xs)
    map_y = np.where(covered, maps[..., 1, 0] * xs + maps[..., 1, 1] * ys + maps[..., 1, 2], ys)
    return cv2.remap(image, map_x.astype(np.float32), map_y.astype(np.float32), cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_REPLICATE)  # fmt: skip


def _close_eyes(image: np.ndarray, open_points: np.ndarray, closed_points: np.ndarray, closure: float) -> None:
    """Lid skin over where the eye was open (inpainted from the skin around it), then the lash line."""
    mask = np.zeros(image.shape[:2], np.uint8)
    for first in (36, 42):
        opening = np.round(open_points[first : first + 6]).astype(np.int32)
        cv2.fillConvexPoly(mask, opening, 255)
    mask = cv2.dilate(mask, np.ones((3, 3), np.uint8))
    lids = cv2.inpaint(image, mask, 3, cv2.INPAINT_TELEA)
    thickness = max(1, round(np.linalg.norm(closed_points[39] - closed_points[36]) / 20))
    for first in (36, 42):
        lash = np.round(closed_points[[first, first + 5, first + 4, first + 3]]).astype(np.int32)
        cv2.polylines(lids, [lash], False, (35, 38, 48), thickness, cv2.LINE_AA)
    alpha = min(1.0, (closure - 0.4) / 0.4)
    cv2.addWeighted(lids, alpha, image, 1 - alpha, 0, dst=image)
