"""The face engine on real photographs: same person in different photographs, other people, typed errors."""

from __future__ import annotations

import pickle
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.camera import scenes
from faceengine import (
    DEFAULT_THRESHOLD,
    FaceEngine,
    FaceTooSmall,
    NoFace,
    SeveralFaces,
    UnreadableImage,
    decode_image,
    score_from_distance,
)
from server.sandbox.settings import DEFAULT_PHOTO_DIR

OBAMA_2012 = DEFAULT_PHOTO_DIR / "110105198503121234.jpg"
OBAMA_2009 = Path(__file__).parents[1] / "data" / "faces" / "obama_2009.jpg"


@pytest.fixture(scope="module")
def engine() -> FaceEngine:
    return FaceEngine()


def test_the_operating_point_is_dlibs_distance() -> None:
    assert score_from_distance(0.6) == DEFAULT_THRESHOLD == 0.5
    assert score_from_distance(0.0) == 1.0 and score_from_distance(1.5) == 0.0


def test_three_photographs_of_one_man_match_and_other_people_do_not(engine: FaceEngine) -> None:
    reference = engine.enroll(cv2.imread(str(OBAMA_2012)))
    for same in (scenes.load_portrait("p1"), cv2.imread(str(OBAMA_2009))):
        result = engine.compare(reference, same)
        assert result.match and result.score > 0.6
    for other in ("p2", "p3", "p4", "p5"):
        result = engine.compare(reference, scenes.compose_shipped("face", other))
        assert not result.match and result.score < 0.4, other
    assert set(result.journal_fields()) == {"match", "score", "threshold", "engine_version"}


def test_typed_errors(engine: FaceEngine) -> None:
    with pytest.raises(UnreadableImage):
        decode_image(b"not a picture")
    with pytest.raises(UnreadableImage):
        engine.observe(np.zeros((4, 4, 2), np.uint8))
    with pytest.raises(NoFace):
        engine.observe(scenes.compose_shipped("no_face", "p1"))
    with pytest.raises(SeveralFaces):
        engine.observe(scenes.compose_shipped("two_faces", "p1"), single=True)
    tiny = cv2.resize(scenes.load_portrait("p4"), (72, 90), interpolation=cv2.INTER_AREA)
    with pytest.raises((FaceTooSmall, NoFace)):
        engine.observe(tiny)


def test_templates_are_wiped_and_never_serialised(engine: FaceEngine) -> None:
    template = engine.enroll(scenes.load_portrait("p2"))
    assert "not shown" in repr(template)
    with pytest.raises(TypeError):
        pickle.dumps(template)
    template.wipe()
    assert template.wiped
    with pytest.raises(ValueError):
        engine.compare(template, scenes.load_portrait("p2"))
