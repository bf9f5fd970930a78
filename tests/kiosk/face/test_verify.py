from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import cv2
import numpy as np
import pytest

from devices.camera import scenes
from kiosk.config import FaceConfig
from kiosk.face import (
    AttemptsExhausted,
    BackendFaceVerifier,
    FaceMatch,
    FaceReference,
    VerificationAttempts,
    create_verifier,
    instructions,
)

ID_NUMBER = "110101199003074514"


@dataclass
class RecordingBackend:
    """Stands in for the BackendClient: answers from a script and keeps what it was sent."""

    answers: list[Any]

    def __post_init__(self) -> None:
        self.calls: list[tuple[str, bytes]] = []

    def verify_face(self, id_number: str, jpeg_bytes: bytes) -> Any:
        self.calls.append((id_number, jpeg_bytes))
        return self.answers.pop(0)


class ScriptedVerifier:
    def __init__(self, *matches: bool) -> None:
        self._matches = list(matches)
        self.calls = 0

    def verify(self, live_frame: np.ndarray, reference: FaceReference) -> FaceMatch:
        self.calls += 1
        return FaceMatch(self._matches.pop(0), 0.9 if self._matches else 0.1, 0.75)


def test_backend_verifier_sends_a_jpeg_of_the_live_frame() -> None:
    backend = RecordingBackend([SimpleNamespace(match=True, verification_token="t")])
    frame = scenes.compose_shipped("face", "p1", 1280, 960)
    result = BackendFaceVerifier(backend).verify(frame, FaceReference(id_number=ID_NUMBER))
    assert result == FaceMatch(match=True, verification_token="t")  # the backend gives no score
    sent_id, jpeg = backend.calls[0]
    assert sent_id == ID_NUMBER and jpeg[:2] == b"\xff\xd8"
    decoded = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert decoded.shape == (480, 640, 3)  # scaled down to 640 wide before sending
    assert abs(float(decoded.mean()) - float(cv2.resize(frame, (640, 480)).mean())) < 3


def test_backend_verifier_accepts_a_mapping_answer() -> None:
    backend = RecordingBackend([{"match": False}])
    result = BackendFaceVerifier(backend).verify(scenes.compose_shipped("face", "p1"), FaceReference(ID_NUMBER))
    assert result == FaceMatch(False)


def test_backend_verifier_needs_an_id_number() -> None:
    with pytest.raises(ValueError):
        BackendFaceVerifier(RecordingBackend([])).verify(np.zeros((4, 4, 3), np.uint8), FaceReference())


def test_reference_repr_hides_personal_data() -> None:
    text = repr(FaceReference(ID_NUMBER, np.zeros((2, 2, 3), np.uint8)))
    assert ID_NUMBER not in text and "set" in text


def test_refer_to_staff_after_the_configured_misses() -> None:
    verifier = ScriptedVerifier(False, False, False)
    attempts = VerificationAttempts(verifier, max_attempts=3)
    frame, reference = np.zeros((4, 4, 3), np.uint8), FaceReference(ID_NUMBER)
    outcomes = [attempts.verify(frame, reference) for _ in range(3)]
    assert [o.attempts_left for o in outcomes] == [2, 1, 0]
    assert [o.refer_to_staff for o in outcomes] == [False, False, True]
    assert outcomes[0].instruction is instructions.NO_MATCH_RETRY
    assert outcomes[-1].instruction is instructions.REFER_TO_STAFF
    assert attempts.exhausted
    with pytest.raises(AttemptsExhausted):
        attempts.verify(frame, reference)
    assert verifier.calls == 3
    attempts.reset()
    assert not attempts.exhausted and attempts.attempts_used == 0


def test_a_match_ends_the_tries_without_referral() -> None:
    attempts = VerificationAttempts(ScriptedVerifier(False, True), max_attempts=3)
    frame, reference = np.zeros((4, 4, 3), np.uint8), FaceReference(ID_NUMBER)
    assert not attempts.verify(frame, reference).match.match
    outcome = attempts.verify(frame, reference)
    assert outcome.match.match and not outcome.refer_to_staff and outcome.instruction is instructions.READY
    assert not attempts.exhausted


def test_create_verifier_from_configuration() -> None:
    backend = RecordingBackend([])
    assert isinstance(create_verifier(FaceConfig(verifier="backend"), backend), BackendFaceVerifier)
    with pytest.raises(ValueError):
        create_verifier(FaceConfig(verifier="backend"))
