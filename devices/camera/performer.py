"""Scenes that change from frame to frame: a live person, a printed photo, a phone replay.

`live` shows the card holder's portrait blinking and turning (devices.camera.behaviour.Person);
`other_person` the same with another portrait (a live face that is not the card holder); `photo` a print
of the holder's portrait held up and turned as a flat sheet; `screen` a phone replaying a recording of the
holder doing the challenges (so only the screen's own traces can give it away).
"""

from __future__ import annotations

import functools

import numpy as np

from devices.camera import scenes
from devices.camera.behaviour import Person
from devices.camera.warp import PortraitRig, Pose

MOVING_SCENARIOS = ("live", "other_person", "photo", "screen")
_REPLAY_OFFSET_S = 0.7  # the recording does not start in step with the kiosk's first frame


class MovingScene:
    """Renders one moving scenario at scene time t (seconds). Live poses are cached, quantised."""

    def __init__(self, scenario: str, face: PortraitRig | np.ndarray, width: int, height: int, person: Person) -> None:
        if scenario not in MOVING_SCENARIOS:
            raise ValueError(f"{scenario!r} is not a moving scenario")
        self.scenario = scenario
        self.face = face
        self.width, self.height = width, height
        self.person = person
        self._posed = functools.lru_cache(maxsize=48)(self._render_pose)

    def _portrait(self) -> np.ndarray:
        return self.face.image if isinstance(self.face, PortraitRig) else self.face

    def _render_pose(self, yaw: float, closure: float) -> np.ndarray:
        frame = scenes.compose_posed(self.face, Pose(yaw, closure), self.width, self.height)
        frame.flags.writeable = False
        return frame

    def _pose_picture(self, pose: Pose) -> np.ndarray:
        if isinstance(self.face, PortraitRig):
            return self.face.render(pose)
        return self.face

    def frame(self, t: float) -> np.ndarray:
        if self.scenario in ("live", "other_person"):
            pose = self.person.pose(t)
            return self._posed(round(pose.yaw), round(pose.closure, 1))
        if self.scenario == "photo":
            return scenes.compose_print(self._portrait(), t, self.width, self.height)
        # The replayed recording is a cooperative person: it blinks and turns on its own schedule.
        recorded = Person(cooperative=True).pose(t + _REPLAY_OFFSET_S)
        return scenes.compose_screen(self._pose_picture(recorded), t, self.width, self.height)
