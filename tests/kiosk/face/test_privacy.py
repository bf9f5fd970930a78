"""Nothing face-related reaches disk or logs: a capture + check + verify at DEBUG leaves no trace."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from devices.camera import Camera
from devices.camera import sim as camera_sim
from kiosk.face import BackendFaceVerifier, FaceQualityChecker, FaceReference, LiveFrames, VerificationAttempts

ID_NUMBER = "110101199003074514"


class Backend:
    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def verify_face(self, id_number: str, jpeg_bytes: bytes) -> SimpleNamespace:
        self.sent.append(jpeg_bytes)
        return SimpleNamespace(match=True)


def _files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def _looks_like_image_data(value: object) -> bool:
    return isinstance(value, bytes | bytearray | memoryview | np.ndarray)


@pytest.fixture
def sandbox_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("home", "tmp", "cwd"):
        (tmp_path / name).mkdir()
    monkeypatch.setenv("KIOSK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    monkeypatch.chdir(tmp_path / "cwd")
    return tmp_path


def test_capture_check_and_verify_leave_no_images_in_logs_or_files(
    sandbox_dirs: Path, caplog: pytest.LogCaptureFixture
) -> None:
    camera_sim.forget_all()
    caplog.set_level(logging.DEBUG)  # root and every library logger at DEBUG
    backend = Backend()
    frames = LiveFrames()
    camera = Camera.from_settings("camera", "simcam://privacy?pace=0")
    camera.open()
    checker = FaceQualityChecker()
    for preview in camera.frames(limit=3):
        checker.check(preview)
    frame = frames.keep(camera.capture())
    report = checker.check(frame)
    assert report.ok
    outcome = VerificationAttempts(BackendFaceVerifier(backend)).verify(frame, FaceReference(ID_NUMBER))
    assert outcome.match.match and backend.sent and backend.sent[0][:2] == b"\xff\xd8"
    camera.close()
    frames.wipe()

    assert not frame.any(), "the kept frame is zeroed by wipe()"
    assert len(frames) == 0
    assert _files_under(sandbox_dirs) == [], "nothing face-related is written to disk"
    assert caplog.records, "logging was on at DEBUG"
    for record in caplog.records:
        message = record.getMessage()
        args = record.args if isinstance(record.args, tuple) else tuple((record.args or {}).values())
        assert not any(_looks_like_image_data(arg) for arg in args)
        assert "\\xff\\xd8" not in message and "ffd8ff" not in message.replace(" ", "").lower()
        assert ID_NUMBER not in message and len(message) < 500
    camera_sim.forget_all()
    assert os.environ["TMPDIR"].startswith(str(sandbox_dirs))
