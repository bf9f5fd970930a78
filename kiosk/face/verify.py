"""Comparing a live face with the person's reference (人证核验), and how many tries a citizen gets.

The backend compares against the registry photo (BackendFaceVerifier); LocalFaceVerifier (kiosk.face.local)
compares with a photo the kiosk holds, e.g. the ID card's chip photo, with the face engine (faceengine). After the configured number of failed comparisons the citizen is referred to staff: face
capture is never the only way through a service.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import cv2
import numpy as np

from faceengine import Observation
from kiosk.face import instructions
from kiosk.face.instructions import Instruction
from kiosk.face.memory import wipe_array

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FaceReference:
    """Whom the live face should be: an ID number (backend registry photo) and/or a photo held in memory."""

    id_number: str | None = None
    photo: np.ndarray | None = None

    def __repr__(self) -> str:  # never print personal data, even in a traceback
        return f"FaceReference(id_number={'set' if self.id_number else None}, photo={'set' if self.photo is not None else None})"


@dataclass(frozen=True)
class FaceMatch:
    match: bool
    score: float | None = None  # local comparisons only: the backend answers match or no match, no score
    threshold: float | None = None
    # The backend's proof of a match for later calls (record, temporary ID...); None from a local match.
    verification_token: str | None = None
    engine_version: str | None = None  # the local engine's model versions (a journal may keep it)

    def journal_fields(self) -> dict[str, object]:
        """What a journal may keep of a comparison: never a picture or an embedding."""
        score = None if self.score is None else round(self.score, 4)  # None: the backend gives no score
        return {"match": self.match, "score": score, "threshold": self.threshold,
                "engine_version": self.engine_version}  # fmt: skip


class FaceVerifier(Protocol):
    def verify(self, live_frame: np.ndarray | Observation, reference: FaceReference) -> FaceMatch: ...


class FaceVerifierUnavailable(RuntimeError):
    """This verifier cannot run here (a missing model or package); use another or refer to staff."""


class FaceBackend(Protocol):
    """What BackendFaceVerifier needs from the backend client."""

    def verify_face(self, id_number: str, jpeg_bytes: bytes) -> Any: ...


def encode_jpeg(frame: np.ndarray, max_width: int = 640, quality: int = 90) -> bytes:
    """The frame as JPEG bytes (scaled down to max_width); the encoder's buffer is zeroed afterwards."""
    if frame.shape[1] > max_width:
        scale = max_width / frame.shape[1]
        frame = cv2.resize(frame, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ok, buffer = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("cannot encode the live picture as JPEG")
    data = buffer.tobytes()
    wipe_array(buffer)
    return data


def _field(result: Any, name: str) -> Any:
    if isinstance(result, Mapping):
        return result[name]
    return getattr(result, name)


def _optional_field(result: Any, name: str) -> Any:
    if isinstance(result, Mapping):
        return result.get(name)
    return getattr(result, name, None)


class BackendFaceVerifier:
    """Sends the live picture to the police backend, which compares it with the registry photo."""

    def __init__(self, backend: FaceBackend, *, max_width: int = 640, jpeg_quality: int = 90) -> None:
        self._backend = backend
        self._max_width = max_width
        self._quality = jpeg_quality

    def verify(self, live_frame: np.ndarray | Observation, reference: FaceReference) -> FaceMatch:
        if not reference.id_number:
            raise ValueError("the backend compares by ID number; the reference has none")
        frame = live_frame.frame if isinstance(live_frame, Observation) else live_frame
        jpeg = encode_jpeg(frame, self._max_width, self._quality)
        log.debug("face verify: sending a %d-byte live picture to the backend", len(jpeg))
        result = self._backend.verify_face(reference.id_number, jpeg)
        match = FaceMatch(
            match=bool(_field(result, "match")),
            verification_token=_optional_field(result, "verification_token"),
        )
        log.debug("face verify: match=%s", match.match)
        return match


class AttemptsExhausted(RuntimeError):
    """No comparisons are left for this citizen in this session; refer them to staff."""


@dataclass(frozen=True)
class AttemptOutcome:
    match: FaceMatch
    attempt: int
    attempts_left: int

    @property
    def refer_to_staff(self) -> bool:
        return not self.match.match and self.attempts_left == 0

    @property
    def instruction(self) -> Instruction:
        if self.match.match:
            return instructions.READY
        return instructions.REFER_TO_STAFF if self.refer_to_staff else instructions.NO_MATCH_RETRY


class VerificationAttempts:
    """Counts comparisons for one citizen; after `max_attempts` misses the outcome says refer to staff."""

    def __init__(self, verifier: FaceVerifier, max_attempts: int = 3) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.verifier = verifier
        self.max_attempts = max_attempts
        self.attempts_used = 0
        self.matched = False

    @property
    def exhausted(self) -> bool:
        return not self.matched and self.attempts_used >= self.max_attempts

    def verify(self, live_frame: np.ndarray | Observation, reference: FaceReference) -> AttemptOutcome:
        if self.exhausted:
            raise AttemptsExhausted(f"all {self.max_attempts} face comparisons used")
        result = self.verifier.verify(live_frame, reference)
        self.attempts_used += 1
        self.matched = result.match
        left = 0 if result.match else self.max_attempts - self.attempts_used
        return AttemptOutcome(result, self.attempts_used, left)

    def reset(self) -> None:
        """A new citizen (session end): the count starts again."""
        self.attempts_used = 0
        self.matched = False
