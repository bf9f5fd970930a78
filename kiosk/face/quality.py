"""Is a live picture good enough to compare? One face, large and centred enough, lit and sharp.

Every failure carries an Instruction telling the citizen what to do. Measurements (not the picture) are
kept in the report, so a report may be logged; the frame itself never is.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from kiosk.face import instructions
from kiosk.face.detect import FaceBox, FaceDetector, default_detector
from kiosk.face.instructions import Instruction

log = logging.getLogger(__name__)

# Faces are measured at this size, so sharpness does not depend on how far away the citizen stands.
_FACE_PATCH = 128


@dataclass(frozen=True)
class FaceThresholds:
    """Limits of an acceptable picture. Brightness is mean grey 0-255; sharpness is the variance of the
    Laplacian of the face scaled to 128x128; fractions are of the frame's width (size) or sides (centring)."""

    min_face_fraction: float = 0.12
    max_face_fraction: float = 0.55
    max_centre_offset: float = 0.25
    min_brightness: float = 50.0
    max_brightness: float = 225.0
    min_sharpness: float = 40.0

    @classmethod
    def from_config(cls, face_config: Any) -> FaceThresholds:
        """Thresholds from kiosk.config.FaceConfig; fields it does not (yet) declare keep their defaults."""
        names = cls.__dataclass_fields__
        return cls(**{name: getattr(face_config, name) for name in names if hasattr(face_config, name)})


@dataclass(frozen=True)
class QualityReport:
    """The outcome of one check: ok, or the instruction to show, with the measurements behind it."""

    instruction: Instruction
    faces: tuple[FaceBox, ...] = ()
    brightness: float = 0.0
    sharpness: float | None = None
    face_fraction: float | None = None
    measurements: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.instruction is instructions.READY

    @property
    def face(self) -> FaceBox | None:
        return self.faces[0] if self.faces else None


def _sharpness(grey: np.ndarray) -> float:
    return float(cv2.Laplacian(grey, cv2.CV_64F).var())


def _face_patch(grey: np.ndarray, box: FaceBox) -> np.ndarray:
    patch = grey[max(0, box.y) : box.y + box.height, max(0, box.x) : box.x + box.width]
    return cv2.resize(patch, (_FACE_PATCH, _FACE_PATCH), interpolation=cv2.INTER_AREA)


class FaceQualityChecker:
    """Checks a BGR frame and says what the citizen should do next."""

    def __init__(self, thresholds: FaceThresholds | None = None, detector: FaceDetector | None = None) -> None:
        self.thresholds = thresholds or FaceThresholds()
        self.detector = detector or default_detector()

    def check(self, frame: np.ndarray) -> QualityReport:
        report = self._check(frame)
        log.debug(
            "face check: %s faces=%d brightness=%.0f sharpness=%s fraction=%s",
            report.instruction.key, len(report.faces), report.brightness,
            "-" if report.sharpness is None else f"{report.sharpness:.0f}",
            "-" if report.face_fraction is None else f"{report.face_fraction:.3f}",
        )  # fmt: skip
        return report

    def _check(self, frame: np.ndarray) -> QualityReport:
        limits = self.thresholds
        grey = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        brightness = float(grey.mean())
        if brightness < limits.min_brightness:
            return QualityReport(instructions.TOO_DARK, brightness=brightness)
        if brightness > limits.max_brightness:
            return QualityReport(instructions.TOO_BRIGHT, brightness=brightness)
        faces = tuple(self.detector.detect(grey))
        if not faces:
            # A smeared picture hides the face from the detector: ask for stillness, not for a face.
            sharpness = _sharpness(grey)
            hint = instructions.HOLD_STILL if sharpness < limits.min_sharpness else instructions.FACE_CAMERA
            return QualityReport(hint, brightness=brightness, sharpness=sharpness)
        if len(faces) > 1:
            return QualityReport(instructions.ONE_PERSON, faces=faces, brightness=brightness)
        return self._check_one_face(grey, faces, brightness)

    def _check_one_face(self, grey: np.ndarray, faces: tuple[FaceBox, ...], brightness: float) -> QualityReport:
        limits = self.thresholds
        face = faces[0]
        height, width = grey.shape[:2]
        fraction = face.width / width
        centre_x, centre_y = face.centre
        offset = max(abs(centre_x / width - 0.5), abs(centre_y / height - 0.5))
        patch = _face_patch(grey, face)
        sharpness = _sharpness(patch)
        face_brightness = float(patch.mean())
        measured = {"centre_offset": offset, "face_brightness": face_brightness}
        if fraction < limits.min_face_fraction:
            verdict = instructions.COME_CLOSER
        elif fraction > limits.max_face_fraction:
            verdict = instructions.STEP_BACK
        elif offset > limits.max_centre_offset:
            verdict = instructions.MOVE_TO_CENTRE
        elif sharpness < limits.min_sharpness:
            verdict = instructions.HOLD_STILL
        elif face_brightness < limits.min_brightness:
            verdict = instructions.TOO_DARK  # a backlit face in a bright room
        elif face_brightness > limits.max_brightness:
            verdict = instructions.TOO_BRIGHT
        else:
            verdict = instructions.READY
        return QualityReport(verdict, faces, brightness, sharpness, fraction, measured)
