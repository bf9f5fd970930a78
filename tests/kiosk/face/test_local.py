"""LocalFaceVerifier: the face engine on real photographs (the ID card chip photo case: a small reference)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.camera import scenes
from kiosk.config import FaceConfig
from kiosk.face import FaceReference, create_verifier
from kiosk.face.local import LocalFaceVerifier
from server.sandbox.settings import DEFAULT_PHOTO_DIR

ZHANG_REGISTRY = DEFAULT_PHOTO_DIR / "110105198503121234.jpg"  # Obama, 2012: the live portrait p1 is 2010


@pytest.fixture(scope="module")
def verifier() -> LocalFaceVerifier:
    return LocalFaceVerifier()


def _chip_photo(image: np.ndarray) -> np.ndarray:
    """What an ID card chip holds: 102x126 pixels."""
    return cv2.resize(image, (102, 126), interpolation=cv2.INTER_AREA)


def test_same_person_in_another_photograph_matches_and_others_do_not(verifier: LocalFaceVerifier) -> None:
    chip = _chip_photo(cv2.imread(str(ZHANG_REGISTRY)))
    same = verifier.verify(scenes.compose_shipped("face", "p1"), FaceReference(photo=chip))
    assert same.match and same.score >= same.threshold == 0.5 and same.engine_version
    for other in ("p2", "p4", "p5"):
        result = verifier.verify(scenes.compose_shipped("face", other), FaceReference(photo=chip))
        assert not result.match and result.score < same.score - 0.2, other


def test_the_reference_is_enrolled_once_per_visit_and_wiped(verifier: LocalFaceVerifier) -> None:
    chip = _chip_photo(cv2.imread(str(DEFAULT_PHOTO_DIR / "320102197006066786.jpg")))  # Collins, as p4
    first = verifier.enroll(chip)
    verifier.verify(scenes.compose_shipped("face", "p4"), FaceReference(photo=chip))
    assert verifier.enroll(chip) is first  # the same visit: not computed again
    verifier.wipe()
    assert first.wiped


def test_no_face_in_the_live_frame_is_no_match(verifier: LocalFaceVerifier) -> None:
    chip = _chip_photo(cv2.imread(str(ZHANG_REGISTRY)))
    result = verifier.verify(scenes.compose_shipped("no_face", "p1"), FaceReference(photo=chip))
    assert not result.match and result.score == 0.0


def test_a_reference_without_a_face_is_a_clear_error(verifier: LocalFaceVerifier) -> None:
    blank = np.full((126, 102, 3), 200, np.uint8)
    with pytest.raises(ValueError, match="no_face"):
        verifier.verify(scenes.compose_shipped("face", "p1"), FaceReference(photo=blank))


def test_needs_a_reference_photo() -> None:
    with pytest.raises(ValueError):
        LocalFaceVerifier().verify(scenes.compose_shipped("face", "p1"), FaceReference(id_number="x"))


def test_configured_threshold_reaches_the_local_verifier() -> None:
    verifier = create_verifier(FaceConfig(verifier="local", match_threshold=0.8))
    assert isinstance(verifier, LocalFaceVerifier) and verifier.threshold == 0.8
    chip = _chip_photo(cv2.imread(str(ZHANG_REGISTRY)))
    result = verifier.verify(scenes.compose_shipped("face", "p1"), FaceReference(photo=chip))
    assert result.threshold == 0.8 and result.match is (result.score >= 0.8)
