from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from devices.camera import Camera
from devices.camera.sim import get_simulator
from devices.errors import DeviceBusy, DeviceCancelled, DeviceTimeout, DeviceUnavailable
from devices.operation import CancelToken
from devices.status import DeviceState, DeviceStatus
from tests.devices.camera.conftest import ManualClock

MakeCamera = Callable[..., Camera]


def _record(camera: Camera) -> list[DeviceStatus]:
    seen: list[DeviceStatus] = []
    camera.subscribe(lambda _name, status: seen.append(status))
    return seen


def test_capture_returns_an_owned_bgr_frame(make_camera: MakeCamera) -> None:
    camera = make_camera("simcam://cam?pace=0&width=320&height=240")
    camera.open()
    assert camera.status.state is DeviceState.ONLINE
    assert camera.status.detail["resolution"] == "320x240"
    first = camera.capture(timeout=1.0)
    second = camera.capture(timeout=1.0)
    assert first.shape == (240, 320, 3) and first.dtype == np.uint8
    first[:] = 0  # the caller owns its copy: the camera's next frame is unaffected
    assert second.any() and camera.capture(timeout=1.0).any()
    assert camera.capabilities()["simulated"] is True


def test_status_goes_busy_during_capture_and_publishes_only_changes(make_camera: MakeCamera) -> None:
    camera = make_camera()
    camera.open()
    seen = _record(camera)
    camera.capture()
    camera.capture()
    assert [s.state for s in seen] == [DeviceState.BUSY, DeviceState.ONLINE] * 2


def test_preview_keeps_the_camera_busy_until_left(make_camera: MakeCamera) -> None:
    camera = make_camera()
    camera.open()
    preview = camera.frames(limit=5)
    next(preview)
    assert camera.status.state is DeviceState.BUSY
    with pytest.raises(DeviceBusy):
        camera.capture()
    preview.close()
    assert camera.status.state is DeviceState.ONLINE
    assert len(list(camera.frames(limit=3))) == 3


def test_preview_stops_when_cancelled(make_camera: MakeCamera) -> None:
    camera = make_camera()
    camera.open()
    cancel = CancelToken()
    count = 0
    for _frame in camera.frames(cancel=cancel):
        count += 1
        if count == 4:
            cancel.cancel()
    assert count == 4 and camera.status.state is DeviceState.ONLINE


def test_cancelled_capture_raises_cancelled(make_camera: MakeCamera) -> None:
    camera = make_camera()
    camera.open()
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(DeviceCancelled):
        camera.capture(cancel=cancel)


def test_missing_camera_opens_as_no_device(make_camera: MakeCamera) -> None:
    camera = make_camera("simcam://gone?pace=0")
    camera.open()
    sim = get_simulator("gone")
    assert sim is not None
    sim.unplug()
    camera.reconnect_now()
    assert camera.status.state is DeviceState.NO_DEVICE


def test_camera_lost_mid_capture_goes_offline_then_recovers_after_replug(
    make_camera: MakeCamera, clock: ManualClock
) -> None:
    camera = make_camera("simcam://cam?pace=0&scenario=lost&lose_after=3")
    camera.open()  # the probe takes frame 1
    camera.capture()
    camera.capture()
    with pytest.raises(DeviceUnavailable):
        camera.capture()
    assert camera.status.state is DeviceState.OFFLINE
    assert camera.status.last_error == "unavailable"
    with pytest.raises(DeviceUnavailable):
        camera.capture()  # still unplugged: reopening fails
    assert camera.status.state is DeviceState.NO_DEVICE
    sim = get_simulator("cam")
    assert sim is not None
    sim.replug()
    with pytest.raises(DeviceUnavailable, match="next reopen"):
        camera.capture()  # back-off: not hammered right after a failure
    clock.advance(0.6)
    assert camera.capture().shape == (480, 640, 3)
    assert camera.status.state is DeviceState.ONLINE
    assert camera.counters["reconnects"] == 1


def test_lost_frames_are_a_hardware_error_until_frames_flow_again(make_camera: MakeCamera) -> None:
    camera = make_camera()
    camera.open()
    sim = get_simulator("cam")
    assert sim is not None
    sim.set_scenario("stalled")
    with pytest.raises(DeviceTimeout) as caught:
        camera.capture(timeout=0.0)
    assert caught.value.code == "lost_frames"
    assert camera.status.state is DeviceState.HARDWARE_ERROR
    assert camera.counters["lost_frames"] >= 1
    sim.present("p1")
    camera.capture()
    assert camera.status.state is DeviceState.ONLINE


def test_stalled_camera_probes_as_hardware_error(make_camera: MakeCamera) -> None:
    camera = make_camera("simcam://cam?pace=0&scenario=stalled", probe_timeout_s=0.0)
    camera.open()
    assert camera.status.state is DeviceState.HARDWARE_ERROR
    assert camera.status.last_error == "lost_frames"


def test_from_settings_builds_a_simulated_or_v4l2_camera() -> None:
    sim_camera = Camera.from_settings("front", "simcam://front?pace=0", {"width": 320, "height": 240})
    assert sim_camera.capabilities()["width"] == 320 and sim_camera.kind == "camera"
    real = Camera.from_settings("front", "v4l2:///dev/video-does-not-exist")
    real.open()
    assert real.status.state is DeviceState.NO_DEVICE
    with pytest.raises(ValueError):
        Camera.from_settings("front", "rtsp://camera")


def test_close_and_wipe_zero_the_last_picture(make_camera: MakeCamera) -> None:
    camera = make_camera()
    camera.open()
    camera.capture()
    buffer = camera.source._buffer  # type: ignore[attr-defined]
    assert buffer is not None and buffer.any()
    camera.close()
    assert not buffer.any()
    assert camera.status.state is DeviceState.OFFLINE


def test_open_during_preview_does_not_block_and_reconnect_is_refused(make_camera: MakeCamera) -> None:
    camera = make_camera()
    camera.open()
    preview = camera.frames()
    next(preview)
    camera.open()  # returns at once: the camera is open and in use
    with pytest.raises(DeviceBusy):
        camera.reconnect_now()
    assert next(preview).shape == (480, 640, 3)
    preview.close()
