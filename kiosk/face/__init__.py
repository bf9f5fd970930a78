"""Face capture quality and face verification (人证核验). Live pictures stay in memory only."""

from __future__ import annotations

from typing import Any

from kiosk.face.detect import FaceBox, FaceDetector, FaceDetectorUnavailable, HaarFaceDetector
from kiosk.face.instructions import Instruction
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
        from kiosk.face.local import LocalFaceVerifier  # optional extra, imported only when chosen

        if not LocalFaceVerifier.available():
            raise FaceVerifierUnavailable("face.verifier is 'local' but dlib-bin/face-recognition-models are missing")
        return LocalFaceVerifier()
    if backend is None:
        raise ValueError("face.verifier is 'backend' but no backend client was given")
    return BackendFaceVerifier(backend)


__all__ = [
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
    "HaarFaceDetector",
    "Instruction",
    "LiveFrames",
    "QualityReport",
    "VerificationAttempts",
    "create_verifier",
    "wipe_array",
]
