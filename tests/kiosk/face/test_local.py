"""LocalFaceVerifier: runs only where the optional dlib extra is installed."""

from __future__ import annotations

import importlib

import cv2
import pytest

from devices.camera import scenes
from kiosk.face import FaceReference, FaceVerifierUnavailable
from kiosk.face import local as local_module
from kiosk.face.local import LocalFaceVerifier

needs_dlib = pytest.mark.skipif(not LocalFaceVerifier.available(), reason="dlib-bin/face-recognition-models absent")


@pytest.fixture(scope="module")
def verifier() -> LocalFaceVerifier:
    return LocalFaceVerifier()


def _chip_photo(portrait_id: str):
    return cv2.resize(scenes.load_portrait(portrait_id), (102, 126), interpolation=cv2.INTER_AREA)


@needs_dlib
def test_same_person_matches_and_another_does_not(verifier: LocalFaceVerifier) -> None:
    live = scenes.compose_shipped("face", "p1")
    same = verifier.verify(live, FaceReference(photo=_chip_photo("p1")))
    other = verifier.verify(live, FaceReference(photo=_chip_photo("p2")))
    assert same.match and same.score >= same.threshold
    assert not other.match and other.score < same.score


@needs_dlib
def test_no_face_in_the_live_frame_is_no_match(verifier: LocalFaceVerifier) -> None:
    result = verifier.verify(scenes.compose_shipped("no_face", "p1"), FaceReference(photo=_chip_photo("p1")))
    assert not result.match and result.score == 0.0


def test_needs_a_reference_photo() -> None:
    with pytest.raises(ValueError):
        LocalFaceVerifier().verify(scenes.compose_shipped("face", "p1"), FaceReference(id_number="x"))


def test_unavailable_extra_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = importlib.import_module

    def without_dlib(name: str, package: str | None = None):
        if name == "dlib":
            raise ImportError("No module named 'dlib'", name="dlib")
        return real_import(name, package)

    monkeypatch.setattr(local_module.importlib, "import_module", without_dlib)
    assert not LocalFaceVerifier.available()
    with pytest.raises(FaceVerifierUnavailable, match="dlib-bin"):
        LocalFaceVerifier().verify(scenes.compose_shipped("face", "p1"), FaceReference(photo=_chip_photo("p1")))
