from __future__ import annotations

import pytest

from devices.camera.url import CaptureMode, parse_camera_url


@pytest.mark.parametrize(
    ("url", "path", "index"),
    [
        ("v4l2:///dev/video0", "/dev/video0", None),
        ("/dev/video2", "/dev/video2", None),
        ("v4l2:///dev/v4l/by-id/usb-Acme_Cam-video-index0", "/dev/v4l/by-id/usb-Acme_Cam-video-index0", None),
        (
            "/dev/v4l/by-path/pci-0000:00:14.0-usb-0:2:1.0-video-index0",
            "/dev/v4l/by-path/pci-0000:00:14.0-usb-0:2:1.0-video-index0",
            None,
        ),
        ("v4l2://1", None, 1),
        ("0", None, 0),
    ],
)
def test_v4l2_forms(url: str, path: str | None, index: int | None) -> None:
    parsed = parse_camera_url(url)
    assert (parsed.scheme, parsed.path, parsed.index) == ("v4l2", path, index)
    assert not parsed.is_simulated


def test_simulator_url_keeps_its_parameters() -> None:
    parsed = parse_camera_url("simcam://demo?scenario=two_faces&portrait=p2")
    assert parsed.is_simulated and parsed.sim_name == "demo"
    assert parsed.params["scenario"] == "two_faces" and parsed.params["portrait"] == "p2"


def test_mode_from_url_beats_options_which_beat_defaults() -> None:
    assert parse_camera_url("v4l2://0").mode == CaptureMode(640, 480, 30.0)
    assert parse_camera_url("v4l2://0", {"width": 1280, "height": 720}).mode == CaptureMode(1280, 720, 30.0)
    assert parse_camera_url("v4l2://0?fps=15&width=320&height=240", {"width": 1280}).mode == CaptureMode(320, 240, 15.0)


@pytest.mark.parametrize(
    "url",
    ["", "http://camera", "v4l2://front", "v4l2:///tmp/video0", "simcam://", "v4l2://0?width=wide", "v4l2://0?fps=0"],
)
def test_bad_urls_are_refused_with_a_reason(url: str) -> None:
    with pytest.raises(ValueError):
        parse_camera_url(url)
