"""Face capture quality, liveness and face verification (人证核验). Live pictures stay in memory only."""

from __future__ import annotations

from typing import Any

from kiosk.face.detect import FaceBox, FaceDetector, FaceDetectorUnavailable, default_detector
from kiosk.face.instructions import Instruction
from kiosk.face.liveness import LIVENESS_KEYS, LivenessProgress, LivenessSession, liveness_settings, start_liveness
from kiosk.face.memory import LiveFrames, wipe_array
from kiosk.face.quality import FaceQualityChecker, FaceThresholds, QualityReport
from kiosk.face.verify import (
    AttemptOutcome,
    AttemptsExhausted,
    BackendFaceVerifier,
    FaceMatch,
    FaceReference,
    FaceVerifier,
    FaceVerifierUnavailable,
    VerificationAttempts,
)


def create_verifier(face_config: Any, backend: Any = None) -> FaceVerifier:
    """The verifier kiosk.config.FaceConfig.verifier names: "backend" (needs the client) or "local"."""
    if face_config.verifier == "local":
        from kiosk.face.local import LocalFaceVerifier

        return LocalFaceVerifier(threshold=face_config.match_threshold)
    if backend is None:
        raise ValueError("face.verifier is 'backend' but no backend client was given")
    return BackendFaceVerifier(backend)


__all__ = [
    "LIVENESS_KEYS",
    "AttemptOutcome",
    "AttemptsExhausted",
    "BackendFaceVerifier",
    "FaceBox",
    "FaceDetector",
    "FaceDetectorUnavailable",
    "FaceMatch",
    "FaceQualityChecker",
    "FaceReference",
    "FaceThresholds",
    "FaceVerifier",
    "FaceVerifierUnavailable",
    "Instruction",
    "LiveFrames",
    "LivenessProgress",
    "LivenessSession",
    "QualityReport",
    "VerificationAttempts",
    "create_verifier",
    "default_detector",
    "liveness_settings",
    "start_liveness",
    "wipe_array",
]
