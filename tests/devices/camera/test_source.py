"""OpenCvFrameSource against a stand-in VideoCapture and a stand-in device node (a file under tmp)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from devices.camera.source import OpenCvFrameSource
from devices.camera.url import CameraUrl, CaptureMode, parse_camera_url
from devices.errors import DeviceUnavailable
from devices.operation import Deadline


class FakeCapture:
    """Answers like cv2.VideoCapture: read() -> (ok, frame); frames come from a script."""

    def __init__(self, target: str | int, opened: bool = True) -> None:
        self.target = target
        self.opened = opened
        self.props: dict[int, float] = {}
        self.script: list[bool] = []
        self.released = False

    def isOpened(self) -> bool:
        return self.opened

    def set(self, prop: int, value: float) -> bool:
        self.props[prop] = value
        return True

    def get(self, prop: int) -> float:
        return self.props.get(prop, 0.0)

    def read(self, image: np.ndarray | None = None) -> tuple[bool, np.ndarray | None]:
        ok = self.script.pop(0) if self.script else True
        return (True, np.full((4, 6, 3), 9, np.uint8)) if ok else (False, None)

    def release(self) -> None:
        self.released = True


def _source(node: Path, captures: list[FakeCapture], opened: bool = True) -> OpenCvFrameSource:
    def factory(target: str | int) -> FakeCapture:
        capture = FakeCapture(target, opened)
        captures.append(capture)
        return capture

    url = CameraUrl("v4l2", path=str(node), mode=CaptureMode(320, 240, 15.0))
    return OpenCvFrameSource(url, capture_factory=factory)


@pytest.fixture
def node(tmp_path: Path) -> Path:
    real = tmp_path / "video0"
    real.write_bytes(b"")
    link = tmp_path / "usb-Acme_Camera-video-index0"  # like /dev/v4l/by-id/...
    link.symlink_to(real)
    return link


def test_stable_name_is_resolved_and_mode_requested(node: Path) -> None:
    captures: list[FakeCapture] = []
    source = _source(node, captures)
    source.open()
    assert captures[0].target == os.path.realpath(node)
    assert source.actual_mode() == CaptureMode(320, 240, 15.0)
    frame = source.read(Deadline(1.0))
    assert frame is not None and frame.shape == (4, 6, 3)


def test_failed_read_with_node_present_is_a_lost_frame(node: Path) -> None:
    captures: list[FakeCapture] = []
    source = _source(node, captures)
    source.open()
    captures[0].script = [False]
    assert source.read(Deadline(1.0)) is None
    assert source.is_open


def test_failed_read_with_node_gone_is_an_unplug(node: Path) -> None:
    captures: list[FakeCapture] = []
    source = _source(node, captures)
    source.open()
    os.unlink(os.path.realpath(node))
    captures[0].script = [False]
    with pytest.raises(DeviceUnavailable):
        source.read(Deadline(1.0))
    assert not source.is_open and captures[0].released
    with pytest.raises(DeviceUnavailable):
        source.open()  # the node is still missing


def test_camera_that_will_not_open_is_unavailable(node: Path) -> None:
    captures: list[FakeCapture] = []
    source = _source(node, captures, opened=False)
    with pytest.raises(DeviceUnavailable):
        source.open()
    assert captures[0].released


def test_index_urls_open_by_index() -> None:
    captures: list[FakeCapture] = []
    source = OpenCvFrameSource(
        parse_camera_url("v4l2://3"), capture_factory=lambda t: captures.append(FakeCapture(t)) or captures[-1]
    )
    source.open()
    assert captures[0].target == 3


@pytest.mark.hardware
def test_real_camera_when_asked() -> None:
    url = os.environ.get("KIOSK_TEST_CAMERA_URL")
    if not url:
        pytest.skip("set KIOSK_TEST_CAMERA_URL=v4l2:///dev/video0 to test a real camera")
    from devices.camera import Camera

    with Camera.from_settings("camera", url) as camera:
        frame = camera.capture(timeout=5.0)
        assert frame.ndim == 3 and frame.shape[2] == 3
