from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.camera import Camera, scenes
from devices.camera.sim import get_simulator
from kiosk.config import FaceConfig
from kiosk.face import FaceQualityChecker, FaceThresholds, instructions


@pytest.fixture(scope="module")
def checker() -> FaceQualityChecker:
    return FaceQualityChecker()


EXPECTED = {
    "face": "ready",
    "no_face": "face_camera",
    "two_faces": "one_person_only",
    "too_dark": "too_dark",
    "blurred": "hold_still",
    "face_too_small": "come_closer",
}


@pytest.mark.parametrize("portrait_id", scenes.portrait_ids())
@pytest.mark.parametrize("scenario", sorted(EXPECTED))
def test_every_scenario_gives_its_instruction(checker: FaceQualityChecker, scenario: str, portrait_id: str) -> None:
    report = checker.check(scenes.compose_shipped(scenario, portrait_id))
    assert report.instruction.key == EXPECTED[scenario]
    assert report.ok is (scenario == "face")


def test_scenarios_through_the_simulated_camera(checker: FaceQualityChecker) -> None:
    camera = Camera.from_settings("camera", "simcam://q?pace=0")
    camera.open()
    sim = get_simulator("q")
    assert sim is not None
    for scenario, key in EXPECTED.items():
        sim.set_scenario(scenario, "p2")
        assert checker.check(camera.capture()).instruction.key == key
    sim.remove()
    assert checker.check(camera.capture()).instruction is instructions.FACE_CAMERA
    sim.present("p3")
    assert checker.check(camera.capture()).ok
    camera.close()


def test_ready_report_measures_the_face(checker: FaceQualityChecker) -> None:
    report = checker.check(scenes.compose_shipped("face", "p1"))
    assert report.face is not None and len(report.faces) == 1
    cx, cy = report.face.centre
    assert abs(cx - 320) < 40 and abs(cy - 240) < 80
    assert report.face_fraction is not None and 0.15 < report.face_fraction < 0.4
    assert report.sharpness is not None and report.sharpness > checker.thresholds.min_sharpness


def test_off_centre_face_is_asked_to_move(checker: FaceQualityChecker) -> None:
    frame = np.roll(scenes.compose_shipped("face", "p1"), 230, axis=1)
    assert checker.check(frame).instruction is instructions.MOVE_TO_CENTRE


def test_face_filling_the_picture_is_asked_to_step_back(checker: FaceQualityChecker) -> None:
    frame = scenes.compose_shipped("face", "p1")
    face = checker.check(frame).face
    assert face is not None
    (cx, cy), half_w = face.centre, int(face.width * 0.6)  # face fills ~80 % of the width
    half_h = half_w * 3 // 4  # keep 4:3 so the face is not squashed
    crop = frame[int(cy) - half_h : int(cy) + half_h, int(cx) - half_w : int(cx) + half_w]
    zoomed = cv2.resize(crop, (640, 480), interpolation=cv2.INTER_CUBIC)
    assert checker.check(zoomed).instruction is instructions.STEP_BACK


def test_glare_is_too_bright(checker: FaceQualityChecker) -> None:
    frame = cv2.convertScaleAbs(scenes.compose_shipped("face", "p1"), alpha=0.3, beta=200)
    assert checker.check(frame).instruction is instructions.TOO_BRIGHT


def test_thresholds_follow_the_configuration() -> None:
    strict = FaceThresholds.from_config(FaceConfig(min_face_fraction=0.3))
    assert strict.min_face_fraction == 0.3 and strict.min_sharpness == FaceThresholds().min_sharpness
    report = FaceQualityChecker(strict).check(scenes.compose_shipped("face", "p1"))
    assert report.instruction is instructions.COME_CLOSER


def test_every_instruction_has_chinese_and_english_text() -> None:
    for item in instructions.ALL.values():
        assert item.text("zh") and item.text("en") and item.text("zh") != item.text("en")
    assert instructions.TOO_DARK.text("zh") == "光线太暗"
    assert instructions.TOO_DARK.text("zh", {"face.too_dark": "请开灯"}) == "请开灯"
