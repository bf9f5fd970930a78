"""`kiosk diag face-compare` and `kiosk diag liveness`: exit codes and JSON on real photographs."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.camera import parse_camera_url
from devices.camera import sim as camera_sim
from devices.camera.scenes import PORTRAIT_DIR
from kiosk.cli.main import main
from server.sandbox.settings import DEFAULT_PHOTO_DIR

OBAMA_2012 = str(DEFAULT_PHOTO_DIR / "110105198503121234.jpg")


def _json(capsys: pytest.CaptureFixture[str]) -> dict:
    return json.loads(capsys.readouterr().out)


def test_same_person_exits_0_and_different_people_3(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diag", "face-compare", OBAMA_2012, str(PORTRAIT_DIR / "p1.jpg"), "--json"]) == 0
    same = _json(capsys)
    assert same["match"] is True and same["score"] >= same["threshold"] == 0.5
    assert main(["diag", "face-compare", OBAMA_2012, str(PORTRAIT_DIR / "p5.jpg"), "--json"]) == 3
    assert _json(capsys)["match"] is False


def test_no_face_exits_4_naming_the_image_and_unreadable_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blank = tmp_path / "wall.png"
    cv2.imwrite(str(blank), np.full((200, 200, 3), 180, np.uint8))
    assert main(["diag", "face-compare", OBAMA_2012, str(blank)]) == 4
    assert "wall.png" in capsys.readouterr().err
    text = tmp_path / "notes.jpg"
    text.write_text("not a picture")
    assert main(["diag", "face-compare", str(text), OBAMA_2012]) == 2
    assert main(["diag", "face-compare", str(tmp_path / "missing.jpg"), OBAMA_2012]) == 2


@pytest.mark.parametrize(
    ("url", "code", "live", "reason"),
    [
        ("simcam://live?pace=0&portrait=p4", 0, True, ""),
        ("simcam://photo?pace=0", 3, False, "liveness.planar"),
        ("simcam://screen?pace=0", 3, False, "liveness.screen"),
    ],
)
def test_liveness_against_the_simulated_camera(url: str, code: int, live: bool, reason: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    camera_sim.forget_all()
    assert main(["diag", "liveness", "--device", url, "--json", "--seed", "5"]) == code
    report = _json(capsys)
    assert report["live"] is live and report["reason"] == reason and len(report["challenges"]) == 2
    camera_sim.forget_all()


def test_liveness_with_an_unplugged_camera_exits_4(capsys: pytest.CaptureFixture[str]) -> None:
    camera_sim.forget_all()
    camera_sim.simulator_for(parse_camera_url("simcam://gone?pace=0")).unplug()
    assert main(["diag", "liveness", "--device", "simcam://gone?pace=0", "--json"]) == 4
    assert _json(capsys)["reason"].startswith("camera.")
    camera_sim.forget_all()
