"""`kiosk diag camera`: exit codes and a snapshot with the face box drawn."""

from __future__ import annotations

import re
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.camera import sim as camera_sim
from kiosk.cli.main import main


@pytest.fixture(autouse=True)
def _fresh_simulators() -> None:
    camera_sim.forget_all()


def _green_mask(path: Path) -> np.ndarray:
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    assert image is not None
    return np.all(image == (0, 255, 0), axis=2)


def test_snapshot_has_the_face_box(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    png = tmp_path / "snap.png"
    code = main(
        ["--home", str(tmp_path / "home"), "diag", "camera", "--device", "simcam://cli?pace=0", "--snapshot", str(png)]
    )
    out = capsys.readouterr().out
    assert code == 0 and "quality: ready" in out
    x, y, w, h = map(int, re.search(r"x=(\d+) y=(\d+) w=(\d+) h=(\d+)", out).groups())  # type: ignore[union-attr]
    green = _green_mask(png)
    ys, xs = np.nonzero(green)
    assert abs(xs.min() - x) <= 3 and abs(xs.max() - (x + w)) <= 3
    assert abs(ys.min() - y) <= 3 and abs(ys.max() - (y + h)) <= 3
    assert green[y, x + w // 2] and green[y + h // 2, x]  # edges are drawn...
    assert not green[y + h // 2, x + w // 2]  # ...the face inside is not covered


def test_snapshot_without_a_face_has_no_box(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    png = tmp_path / "empty.png"
    url = "simcam://cli?pace=0&scenario=no_face"
    assert main(["--home", str(tmp_path), "diag", "camera", "--device", url, "--snapshot", str(png)]) == 0
    assert "quality: face_camera" in capsys.readouterr().out
    assert not _green_mask(png).any()


@pytest.mark.parametrize(
    "url",
    [
        "simcam://cli?pace=0&scenario=lost&lose_after=1",
        "v4l2:///dev/video-missing-42",
        "simcam://cli?pace=0&scenario=stalled",
    ],
)
def test_camera_failure_exits_4_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str) -> None:
    png = tmp_path / "never.png"
    code = main(["--home", str(tmp_path), "diag", "camera", "--device", url, "--timeout", "0", "--snapshot", str(png)])
    err = capsys.readouterr().err
    assert code == 4 and "kiosk diag camera:" in err and "Traceback" not in err
    assert not png.exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["--device", "rtsp://camera"],
        ["--device", "simcam://cli?pace=0", "--snapshot", "frame.txt"],
        ["--device", "simcam://cli?pace=0", "--width", "wide"],
        ["--device"],
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    try:
        code = main(["--home", str(tmp_path), "diag", "camera", *argv])
    except SystemExit as stop:  # argparse's own usage errors
        code = int(stop.code or 0)
    assert code == 2 and capsys.readouterr().err


def test_configured_camera_is_the_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # No configuration written: the simulated default set names simcam://demo.
    code = main(["--home", str(tmp_path), "diag", "camera", "--timeout", "2"])
    assert code == 0 and "simcam://demo" in capsys.readouterr().out
