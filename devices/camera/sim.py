"""The camera simulator: plays a shipped portrait (or a folder of pictures) as a live camera would.

Scenarios (docs/face.md): live (the card holder blinks and turns, cycling so any two challenges complete),
other_person (a live face that is not the holder's), photo (a print held up), screen (a phone replay),
face (a still frontal face), no_face, two_faces, too_dark, blurred, face_too_small, lost (unplugged after
a few frames, like a camera whose USB cable is pulled mid-capture) and stalled (open, no frames arrive).
The demo's control window calls present(portrait_id) when a citizen steps up, act("blink") to make them
blink or turn, and remove() when they leave; tests call unplug()/replug().
URL: simcam://NAME?scenario=live&portrait=p1&pace=1&cycle=1&lose_after=3&sequence=DIR; a NAME that is a
scenario chooses it (simcam://photo?portrait=p2).

Scene time: paced (the demo), frames come at the mode's rate and the scene follows the injectable clock;
unpaced (tests, benchmarks), each frame advances the scene by exactly 1/fps, so liveness runs in
simulated time with no sleeping. `scene_time` is the time of the last frame served.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import cv2
import numpy as np

from devices.camera import scenes
from devices.camera.behaviour import Person
from devices.camera.performer import MOVING_SCENARIOS, MovingScene
from devices.camera.source import SourceSettings
from devices.camera.url import CameraUrl, CaptureMode
from devices.errors import DeviceUnavailable
from devices.operation import CancelToken, Deadline

SCENARIOS = (*MOVING_SCENARIOS, "face", "no_face", "two_faces", "too_dark", "blurred", "face_too_small", "lost", "stalled")
_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp")

log = logging.getLogger(__name__)


class SimulatedUnplug(ConnectionError):
    """The simulated camera went away, as a real one does when its cable is pulled."""


def _flag(value: str | None, default: bool) -> bool:
    if value is None:
        return default
    return value.strip().lower() not in ("0", "false", "no", "off")


class CameraSimulator:
    """A scriptable camera. Thread-safe: the demo window controls it while a worker reads frames."""

    def __init__(
        self,
        name: str,
        *,
        scenario: str = "face",
        portrait: str = "p1",
        mode: CaptureMode = CaptureMode(),
        pace: bool = True,
        lose_after: int = 3,
        sequence_dir: str | Path | None = None,
        clock: Callable[[], float] = time.monotonic,
        cooperative: bool = True,
    ) -> None:
        self.name = name
        self.mode = mode
        self.pace = pace
        self.lose_after = lose_after
        self._clock = clock
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._plugged = True
        self._frames_served = 0
        self._served_in_scenario = 0
        self._next_due = 0.0
        self._sequence = self._load_sequence(Path(sequence_dir)) if sequence_dir else []
        self._extra_portraits: dict[str, np.ndarray] = {}
        self._scenario = "face"
        self._portrait = "p1"
        self._scene: np.ndarray | None = None
        self._moving: MovingScene | None = None
        self.person = Person(cooperative)
        self._scene_started = 0.0
        self._scene_time = 0.0
        self.set_scenario(scenario, portrait)

    @classmethod
    def from_url(cls, url: CameraUrl) -> CameraSimulator:
        params: Mapping[str, str] = url.params
        name = url.sim_name or "camera"
        return cls(
            name,
            scenario=params.get("scenario") or (name if name in SCENARIOS else "face"),
            portrait=params.get("portrait", "p1"),
            mode=url.mode,
            pace=_flag(params.get("pace"), True),
            lose_after=int(params.get("lose_after", "3")),
            sequence_dir=params.get("sequence"),
            cooperative=_flag(params.get("cycle"), True),
        )

    # -- control (the demo window and tests) ----------------------------------------------------
    @property
    def scenario(self) -> str:
        return self._scenario

    @property
    def portrait(self) -> str:
        return self._portrait

    @property
    def plugged(self) -> bool:
        return self._plugged

    @property
    def frames_served(self) -> int:
        return self._frames_served

    @property
    def scene_time(self) -> float:
        """Seconds into the current scenario of the last frame served (simulated time when unpaced)."""
        return self._scene_time

    def act(self, action: str) -> None:
        """The person in front of the camera blinks, turns left or turns right now ("blink", "turn_left", ...)."""
        self.person.act(action)

    def set_scenario(self, scenario: str, portrait: str | None = None) -> None:
        if scenario not in SCENARIOS:
            raise ValueError(f"unknown camera scenario {scenario!r}; known: {', '.join(SCENARIOS)}")
        chosen = portrait or self._portrait
        scene = self._render(scenario, chosen)  # renders before taking the lock: readers are not held up
        moving = self._moving_scene(scenario, chosen)
        with self._lock:
            self._scenario, self._portrait, self._scene, self._moving = scenario, chosen, scene, moving
            self._served_in_scenario = 0
            self._scene_started = self._clock()
        self._wake.set()
        log.debug("simulated camera %s: scenario %s, portrait %s", self.name, scenario, chosen)

    def add_portrait(self, portrait_id: str, image: np.ndarray) -> None:
        """Make another face presentable (e.g. a demo registry photo); kept in memory only."""
        if image.ndim == 2:
            image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
        self._extra_portraits[portrait_id] = image.copy()

    def portrait_ids(self) -> list[str]:
        return scenes.portrait_ids() + sorted(self._extra_portraits)

    def present(self, portrait_id: str, scenario: str = "live") -> None:
        """A citizen with this portrait's face steps in front of the camera (and follows the prompts)."""
        self.set_scenario(scenario, portrait_id)

    def remove(self) -> None:
        """The citizen walks away: the camera sees the empty kiosk."""
        self.set_scenario("no_face")

    def unplug(self) -> None:
        self._plugged = False
        self._wake.set()

    def replug(self) -> None:
        """Plug the camera back in; a camera lost by the 'lost' scenario comes back showing a face."""
        if self._scenario == "lost":
            self.set_scenario("face")
        self._plugged = True
        self._wake.set()

    # -- frames ---------------------------------------------------------------------------------
    def _portrait_image(self, portrait_id: str) -> np.ndarray:
        extra = self._extra_portraits.get(portrait_id)
        return extra if extra is not None else scenes.load_portrait(portrait_id)

    def _face(self, portrait_id: str) -> scenes.PortraitRig | np.ndarray:
        """A rig when the portrait has landmarks (it can blink and turn), else the still picture."""
        if portrait_id in self._extra_portraits:
            return self._extra_portraits[portrait_id]
        return scenes.portrait_rig(portrait_id) or scenes.load_portrait(portrait_id)

    def _moving_scene(self, scenario: str, portrait: str) -> MovingScene | None:
        if scenario not in MOVING_SCENARIOS or self._sequence:
            return None
        if scenario == "other_person":
            portrait = next((p for p in self.portrait_ids() if p != portrait), portrait)
        return MovingScene(scenario, self._face(portrait), self.mode.width, self.mode.height, self.person)

    def _render(self, scenario: str, portrait: str) -> np.ndarray:
        if scenario in MOVING_SCENARIOS:
            scenario = "face"  # the still frame: what a sequence or a first look shows
        if self._sequence:
            return scenes.apply_condition(self._sequence[0], scenario)
        second = next((p for p in self.portrait_ids() if p != portrait), portrait)
        images = self._portrait_image(portrait), self._portrait_image(second)
        return scenes.compose(scenario, images[0], self.mode.width, self.mode.height, images[1])

    def _load_sequence(self, folder: Path) -> list[np.ndarray]:
        paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in _IMAGE_SUFFIXES)
        frames = [cv2.imread(str(p), cv2.IMREAD_COLOR) for p in paths]
        loaded = [scenes.fit_to_frame(f, self.mode.width, self.mode.height) for f in frames if f is not None]
        if not loaded:
            raise ValueError(f"no pictures in camera sequence folder {folder}")
        return loaded

    def _wait_for_due_time(self, deadline: Deadline) -> bool:
        """Pace frames at the mode's rate (demo); returns False if the deadline came first."""
        if not self.pace:
            return True
        wait = self._next_due - self._clock()
        if wait > deadline.remaining():
            self._wake.wait(deadline.remaining())
            self._wake.clear()
            return False
        if wait > 0:
            self._wake.wait(wait)
            self._wake.clear()
        self._next_due = max(self._next_due, self._clock()) + 1.0 / self.mode.fps
        return True

    def next_frame(self, out: np.ndarray | None, deadline: Deadline) -> np.ndarray | None:
        """Copy the next frame into `out` (reused when it fits); None when no frame came before the deadline."""
        if not self._plugged:
            raise SimulatedUnplug(f"camera {self.name} unplugged")
        if not self._wait_for_due_time(deadline):
            return None
        with self._lock:
            if not self._plugged:
                raise SimulatedUnplug(f"camera {self.name} unplugged")
            if self._scenario == "stalled":
                stalled = True
            else:
                stalled = False
                if self._scenario == "lost" and self._served_in_scenario >= self.lose_after:
                    self._plugged = False
                    raise SimulatedUnplug(f"camera {self.name} lost mid-capture")
                scene = self._scene_for_frame()
                if out is None or out.shape != scene.shape:
                    out = np.empty_like(scene)
                np.copyto(out, scene)
                self._frames_served += 1
                self._served_in_scenario += 1
        if stalled:
            self._wake.wait(min(deadline.remaining(), 1.0 / self.mode.fps))
            self._wake.clear()
            return None
        return out

    def _scene_for_frame(self) -> np.ndarray:
        if self.pace:
            self._scene_time = self._clock() - self._scene_started
        else:
            self._scene_time = self._served_in_scenario / self.mode.fps
        if self._moving is not None:
            return self._moving.frame(self._scene_time)
        if len(self._sequence) > 1:
            picture = self._sequence[self._frames_served % len(self._sequence)]
            return scenes.apply_condition(picture, self._scenario)
        assert self._scene is not None
        return self._scene


# -- named instances: the same name always reaches the same simulated camera ------------------------
_instances: dict[str, CameraSimulator] = {}
_instances_lock = threading.Lock()


def simulator_for(url: CameraUrl) -> CameraSimulator:
    """The simulator a simcam:// URL names, created from the URL's parameters on first use."""
    name = url.sim_name or "camera"
    with _instances_lock:
        sim = _instances.get(name)
        if sim is None:
            sim = CameraSimulator.from_url(url)
            _instances[name] = sim
        return sim


def get_simulator(name: str) -> CameraSimulator | None:
    with _instances_lock:
        return _instances.get(name)


def register_simulator(sim: CameraSimulator) -> None:
    with _instances_lock:
        _instances[sim.name] = sim


def forget_all() -> None:
    """Drop every simulated camera (tests call this between cases)."""
    with _instances_lock:
        _instances.clear()


class SimFrameSource:
    """A FrameSource over a named CameraSimulator; an unplugged simulator raises like a lost camera."""

    def __init__(self, url: CameraUrl) -> None:
        if not url.is_simulated:
            raise ValueError("SimFrameSource needs a simcam:// URL")
        self.url = url
        self.settings = SourceSettings(url=f"simcam://{url.sim_name}")
        self._sim: CameraSimulator | None = None
        self._buffer: np.ndarray | None = None

    @property
    def simulator(self) -> CameraSimulator:
        return simulator_for(self.url)

    @property
    def is_open(self) -> bool:
        return self._sim is not None

    def open(self) -> None:
        sim = simulator_for(self.url)
        if not sim.plugged:
            raise DeviceUnavailable(f"camera {self.settings.url} is not present")
        self._sim = sim

    def close(self) -> None:
        self._sim = None

    def read(self, deadline: Deadline, cancel: CancelToken | None = None) -> np.ndarray | None:
        if self._sim is None:
            raise DeviceUnavailable(f"camera {self.settings.url} is not open")
        if cancel is not None:
            cancel.raise_if_cancelled()
        try:
            frame = self._sim.next_frame(self._buffer, deadline)
        except SimulatedUnplug as error:
            self.close()
            raise DeviceUnavailable(str(error)) from error
        if frame is not None:
            self._buffer = frame
        return frame

    def actual_mode(self) -> CaptureMode:
        return self.simulator.mode

    def wipe(self) -> None:
        if self._buffer is not None:
            self._buffer.fill(0)
