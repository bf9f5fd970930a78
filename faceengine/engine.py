"""The face engine: find a face, mark its landmarks, embed it, compare two faces.

    engine = FaceEngine()
    reference = engine.enroll(registry_photo)           # once per visit; FaceTemplate, wipe() at the end
    result = engine.compare(reference, live_frame)      # or an Observation from liveness (no re-detection)
    result.match, result.score, result.threshold, result.engine_version   # all a journal may keep

Errors are typed (faceengine.errors): UnreadableImage, NoFace, SeveralFaces, FaceTooSmall.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import dlib
import numpy as np

from faceengine.detect import FaceBox, FaceDetector
from faceengine.embedding import DEFAULT_THRESHOLD, FaceTemplate, compute_template, score_from_distance
from faceengine.errors import FaceTooSmall, NoFace, SeveralFaces
from faceengine.image import as_bgr, wipe
from faceengine.landmarks import predict_landmarks, to_rectangle
from faceengine.models import ENGINE_VERSION, load_models

MIN_FACE_PIXELS = 40  # narrower faces give embeddings of little worth; an ID chip photo (102x126) has ~50


@dataclass(frozen=True)
class ComparisonResult:
    """A comparison's outcome: exactly what may be journalled (no picture, no embedding)."""

    score: float
    threshold: float
    engine_version: str = ENGINE_VERSION

    @property
    def match(self) -> bool:
        return self.score >= self.threshold

    def journal_fields(self) -> dict[str, object]:
        return {"match": self.match, "score": round(self.score, 4), "threshold": self.threshold,
                "engine_version": self.engine_version}  # fmt: skip


@dataclass
class Observation:
    """One face in one frame: the frame (not copied), its box and 68 landmarks. wipe() zeroes both arrays."""

    frame: np.ndarray
    box: FaceBox
    landmarks: np.ndarray

    def shape(self) -> dlib.full_object_detection:
        points = dlib.points([dlib.point(round(float(x)), round(float(y))) for x, y in self.landmarks])
        return dlib.full_object_detection(to_rectangle(self.box), points)

    def wipe(self) -> None:
        wipe(self.frame, self.landmarks)


class FaceEngine:
    """Thread-safe; the models are shared per process and loaded on first use."""

    def __init__(self, threshold: float = DEFAULT_THRESHOLD, detector: FaceDetector | None = None) -> None:
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be within 0..1, got {threshold}")
        self.threshold = threshold
        self.detector = detector or FaceDetector()
        self.version = ENGINE_VERSION

    def warm_up(self) -> None:
        """Load the models now (~1 s) rather than on a citizen's first comparison."""
        load_models()

    def observe(self, image: np.ndarray, *, single: bool = False) -> Observation:
        """The largest face of a BGR image with its landmarks; with `single`, SeveralFaces if there are more."""
        frame = as_bgr(image)
        boxes = self.detector.detect(frame)
        if not boxes:
            raise NoFace("no face found in the picture")
        if single and len(boxes) > 1:
            raise SeveralFaces(f"{len(boxes)} faces in the picture, one expected")
        box = boxes[0]
        if box.width < MIN_FACE_PIXELS:
            raise FaceTooSmall(f"the face is {box.width} pixels wide, at least {MIN_FACE_PIXELS} are needed")
        rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
        try:
            points, _shape = predict_landmarks(rgb, box)
        finally:
            wipe(rgb)
        return Observation(frame, box, points)

    def template(self, observation: Observation) -> FaceTemplate:
        rgb = cv2.cvtColor(observation.frame, cv2.COLOR_BGR2RGB)
        try:
            return compute_template(rgb, observation.shape())
        finally:
            wipe(rgb)

    def enroll(self, image: np.ndarray, *, single: bool = False) -> FaceTemplate:
        """The reference template of a photo (registry, chip or file): computed once per visit."""
        observation = self.observe(image, single=single)
        try:
            return self.template(observation)
        finally:
            wipe(observation.landmarks)

    def compare(self, reference: FaceTemplate, probe: np.ndarray | Observation) -> ComparisonResult:
        """Score a probe (a frame, or an Observation liveness already made) against a reference template."""
        observation = probe if isinstance(probe, Observation) else self.observe(probe)
        live = self.template(observation)
        try:
            return ComparisonResult(score_from_distance(reference.distance(live)), self.threshold, self.version)
        finally:
            live.wipe()
            if observation is not probe:
                wipe(observation.landmarks)

    def compare_images(self, first: np.ndarray, second: np.ndarray) -> ComparisonResult:
        reference = self.enroll(first)
        try:
            return self.compare(reference, second)
        finally:
            reference.wipe()
