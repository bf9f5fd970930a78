"""Fixtures for camera tests: fresh simulated cameras and a hand-driven clock for back-off."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from devices.camera import Camera, parse_camera_url
from devices.camera import sim as camera_sim
from devices.camera.sim import SimFrameSource
from devices.transport import Reconnector


class ManualClock:
    """A monotonic clock that moves only when a test says so (no sleeps)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def _fresh_simulators() -> Iterator[None]:
    camera_sim.forget_all()
    yield
    camera_sim.forget_all()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def make_camera(clock: ManualClock) -> Callable[..., Camera]:
    """A Camera on an unpaced simulator; its reconnect back-off runs on the manual clock."""

    def build(url: str = "simcam://cam?pace=0", **kwargs: object) -> Camera:
        source = SimFrameSource(parse_camera_url(url))
        reconnector = Reconnector(source, initial_delay=0.5, clock=clock)  # type: ignore[arg-type]
        return Camera("camera", source, reconnector=reconnector, **kwargs)  # type: ignore[arg-type]

    return build
