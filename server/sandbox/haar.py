"""A numpy evaluator for OpenCV's stump-based Haar cascades (the classic Viola-Jones face detector).

OpenCV 5 moved CascadeClassifier out of the main module (and the wheels no longer ship
cv2.data.haarcascades), so the sandbox carries the cascade XML and evaluates it here; on an OpenCV 4
build the native CascadeClassifier is used instead (see face.py). The arithmetic follows OpenCV's
HaarEvaluator: features are weighted rectangle sums divided by the window's standard deviation
(measured over the inner (w-2)x(h-2) rectangle), and a window passes a stage when the sum of its stump
leaves reaches the stage threshold. Windows of every position at one scale are evaluated together.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

Rect = tuple[int, int, int, int]


@dataclass(frozen=True)
class _Stage:
    threshold: float
    feature_index: np.ndarray  # (K,) into the feature table
    node_threshold: np.ndarray  # (K,)
    left: np.ndarray  # (K,) leaf value when feature < threshold
    right: np.ndarray  # (K,)


def _floats(text: str | None) -> list[float]:
    return [float(part) for part in (text or "").split()]


class HaarCascade:
    def __init__(self, path: Path) -> None:
        cascade = ET.parse(path).getroot().find("cascade")
        if cascade is None or cascade.findtext("featureType", "").strip() != "HAAR":
            raise ValueError(f"{path.name} is not a Haar cascade")
        self.window = (int(cascade.findtext("width", "24")), int(cascade.findtext("height", "24")))
        self.stages = [self._read_stage(stage) for stage in cascade.find("stages") or []]
        rects, weights = [], []
        for feature in cascade.find("features") or []:
            if feature.findtext("tilted", "0").strip() == "1":
                raise ValueError("tilted Haar features are not supported")
            parts = [_floats(r.text) for r in feature.find("rects") or []]
            parts += [[0, 0, 0, 0, 0.0]] * (3 - len(parts))  # pad to three rectangles of weight 0
            rects.append([[int(v) for v in part[:4]] for part in parts])
            weights.append([part[4] for part in parts])
        self.rects = np.asarray(rects, dtype=np.int64)  # (F, 3, 4) x y w h
        self.weights = np.asarray(weights, dtype=np.float64)  # (F, 3)

    @staticmethod
    def _read_stage(node: ET.Element) -> _Stage:
        indices, thresholds, lefts, rights = [], [], [], []
        for weak in node.find("weakClassifiers") or []:
            internal = _floats(weak.findtext("internalNodes"))
            if len(internal) != 4:
                raise ValueError("only stump (depth-1) cascades are supported")
            leaves = _floats(weak.findtext("leafValues"))
            indices.append(int(internal[2]))
            thresholds.append(internal[3])
            lefts.append(leaves[0])
            rights.append(leaves[1])
        return _Stage(
            float(node.findtext("stageThreshold", "0")),
            np.asarray(indices),
            np.asarray(thresholds),
            np.asarray(lefts),
            np.asarray(rights),
        )

    def _windows_passing(self, gray: np.ndarray, step: int) -> np.ndarray:
        """Top-left corners (N, 2) of the windows at this scale that pass every stage."""
        win_w, win_h = self.window
        height, width = gray.shape
        ii = cv2.integral(gray, sdepth=cv2.CV_64F)
        sq = cv2.integral(gray.astype(np.float64) ** 2, sdepth=cv2.CV_64F)
        ys, xs = np.mgrid[0 : height - win_h : step, 0 : width - win_w : step]
        ys, xs = ys.ravel(), xs.ravel()
        area = (win_w - 2) * (win_h - 2)
        total = _box(ii, ys + 1, xs + 1, win_w - 2, win_h - 2)
        squares = _box(sq, ys + 1, xs + 1, win_w - 2, win_h - 2)
        norm = area * squares - total * total
        keep = norm > 0
        norm = np.sqrt(np.where(keep, norm, 1.0))
        keep &= area / norm < 0.1  # OpenCV skips nearly flat windows
        ys, xs, norm = ys[keep], xs[keep], norm[keep]
        for stage in self.stages:
            if ys.size == 0:
                break
            rects = self.rects[stage.feature_index]  # (K, 3, 4)
            value = np.zeros((ys.size, rects.shape[0]))
            for part in range(3):
                x, y, w, h = (rects[:, part, i][None, :] for i in range(4))
                sums = _box(ii, ys[:, None] + y, xs[:, None] + x, w, h)
                value += self.weights[stage.feature_index, part][None, :] * sums
            value /= norm[:, None]
            votes = np.where(value < stage.node_threshold[None, :], stage.left, stage.right).sum(axis=1)
            passed = votes >= stage.threshold
            ys, xs, norm = ys[passed], xs[passed], norm[passed]
        return np.stack([xs, ys], axis=1)

    def detect(self, gray: np.ndarray, scale_factor: float = 1.1, min_neighbors: int = 3) -> list[Rect]:
        """Faces in an 8-bit grayscale image as (x, y, w, h), grouped like detectMultiScale."""
        win_w, win_h = self.window
        found: list[Rect] = []
        factor = 1.0
        while gray.shape[1] / factor > win_w + 1 and gray.shape[0] / factor > win_h + 1:
            size = (round(gray.shape[1] / factor), round(gray.shape[0] / factor))
            scaled = cv2.resize(gray, size, interpolation=cv2.INTER_LINEAR)
            step = 1 if factor > 2 else 2
            for x, y in self._windows_passing(scaled, step):
                found.append((round(x * factor), round(y * factor), round(win_w * factor), round(win_h * factor)))
            factor *= scale_factor
        return group_rectangles(found, min_neighbors)


def _box(ii: np.ndarray, y: np.ndarray, x: np.ndarray, w: np.ndarray | int, h: np.ndarray | int) -> np.ndarray:
    return ii[y + h, x + w] - ii[y, x + w] - ii[y + h, x] + ii[y, x]


def group_rectangles(rects: list[Rect], min_neighbors: int, eps: float = 0.2) -> list[Rect]:
    """OpenCV's groupRectangles: cluster similar rectangles transitively, keep clusters with more than
    min_neighbors members, and drop a cluster nested inside a stronger one."""
    parent = list(range(len(rects)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(rects)):
        for j in range(i):
            if _similar(rects[i], rects[j], eps):
                parent[root(i)] = root(j)
    clusters: dict[int, list[Rect]] = {}
    for i, rect in enumerate(rects):
        clusters.setdefault(root(i), []).append(rect)
    kept = [
        (tuple(round(float(v)) for v in np.mean(np.asarray(members, dtype=np.float64), axis=0)), len(members))
        for members in clusters.values()
        if len(members) > min_neighbors
    ]
    return [
        rect for rect, count in kept if not any(_nested(rect, count, other, n) for other, n in kept if other != rect)
    ]  # type: ignore[misc]


def _nested(inner: Rect, inner_count: int, outer: Rect, outer_count: int) -> bool:
    dx, dy = round(outer[2] * 0.2), round(outer[3] * 0.2)
    inside = (
        inner[0] >= outer[0] - dx
        and inner[1] >= outer[1] - dy
        and inner[0] + inner[2] <= outer[0] + outer[2] + dx
        and inner[1] + inner[3] <= outer[1] + outer[3] + dy
    )
    return inside and (outer_count > max(3, inner_count) or inner_count < 3)


def _similar(a: Rect, b: Rect, eps: float) -> bool:
    delta = eps * (min(a[2], b[2]) + min(a[3], b[3])) * 0.5
    return (
        abs(a[0] - b[0]) <= delta
        and abs(a[1] - b[1]) <= delta
        and abs(a[0] + a[2] - b[0] - b[2]) <= delta
        and abs(a[1] + a[3] - b[1] - b[3]) <= delta
    )
