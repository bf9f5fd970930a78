"""100 visits through liveness and comparison at DEBUG: no picture, landmark or embedding on disk or in a log."""

from __future__ import annotations

import logging
import random
import tempfile
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.camera.sim import CameraSimulator
from devices.camera.url import CaptureMode
from devices.operation import Deadline
from kiosk.config import FaceConfig
from kiosk.face import FaceReference, LiveFrames, start_liveness
from kiosk.face.local import LocalFaceVerifier
from server.sandbox.settings import DEFAULT_PHOTO_DIR

VISITS = 100
FRAMES_PER_VISIT = 6  # small and bounded: baseline and the first challenge frames, then the visit ends


def test_hundred_visits_leave_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             caplog: pytest.LogCaptureFixture) -> None:  # fmt: skip
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)
    monkeypatch.chdir(tmp_path)
    caplog.set_level(logging.DEBUG)
    sim = CameraSimulator("privacy", scenario="live", portrait="p1", pace=False, mode=CaptureMode(320, 240, 15))
    verifier = LocalFaceVerifier()
    reference = np.frombuffer((DEFAULT_PHOTO_DIR / "110105198503121234.jpg").read_bytes(), np.uint8)
    photo = cv2.imdecode(reference, cv2.IMREAD_COLOR)
    kept: list[np.ndarray] = []
    for visit in range(VISITS):
        frames = LiveFrames()
        session = start_liveness(FaceConfig(), rng=random.Random(visit))
        for _ in range(FRAMES_PER_VISIT):
            frame = frames.keep(sim.next_frame(None, Deadline(1.0)))
            session.feed(frame, sim.scene_time)
        if visit % 25 == 0:  # a comparison now and then: the reference template lives for the visit only
            match = verifier.verify(frames.latest, FaceReference(photo=photo))
            assert set(match.journal_fields()) == {"match", "score", "threshold", "engine_version"}
        kept.extend(frames)
        session.wipe()
        verifier.wipe()
        frames.wipe()
    assert all(not frame.any() for frame in kept), "every frame of every visit is zeroed"
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    for record in caplog.records:
        args = record.args if isinstance(record.args, tuple) else tuple((record.args or {}).values())
        assert not any(isinstance(arg, bytes | bytearray | memoryview | np.ndarray) for arg in args)
        message = record.getMessage()
        assert len(message) < 500 and "landmark" not in message.lower() and "[[" not in message
