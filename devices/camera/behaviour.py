"""What the simulated person (or attacker) in front of the camera does over time.

A cooperative person cannot hear the kiosk's prompt, so by default they cycle blink -> turn left -> turn
right every CYCLE_S seconds: any two of the three challenges complete within two cycles (< 6 s).
act() makes them do one thing now (the demo window's buttons, a test asking for a blink on demand).
Time is the simulator's scene time in seconds, so tests step it without sleeping.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

from devices.camera.warp import Pose

ACTIONS = ("blink", "turn_left", "turn_right")
TURN_DEGREES = 22.0
BLINK_S = 0.3
TURN_S = 1.4  # 0.3 s turning, 0.8 s held (as people do when asked), 0.3 s back
_RAMP_S = 0.3
# (start, action) within one cycle: a short frontal pause between actions.
_CYCLE = ((0.3, "blink"), (0.9, "turn_left"), (2.7, "turn_right"))
CYCLE_S = 4.6


def _action_pose(action: str, elapsed: float) -> Pose | None:
    """The pose `elapsed` seconds into an action, or None once it is over."""
    if action == "blink":
        if not 0 <= elapsed < BLINK_S:
            return None
        return Pose(closure=math.sin(math.pi * elapsed / BLINK_S) ** 0.5)  # quick close, held, quick open
    if not 0 <= elapsed < TURN_S:
        return None
    ramp = min(1.0, elapsed / _RAMP_S, (TURN_S - elapsed) / _RAMP_S)
    sign = 1.0 if action == "turn_left" else -1.0  # the subject's left is the image's right: positive yaw
    return Pose(yaw=sign * TURN_DEGREES * ramp)


class Person:
    """A live person: cycles the actions (cooperative) and performs act() requests on top."""

    def __init__(self, cooperative: bool = True) -> None:
        self.cooperative = cooperative
        self._lock = threading.Lock()
        self._requested: list[tuple[float | None, str]] = []

    def act(self, action: str) -> None:
        """Do `action` at the next frame (queued behind one already under way)."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}; known: {', '.join(ACTIONS)}")
        with self._lock:
            self._requested.append((None, action))

    def pose(self, t: float) -> Pose:
        with self._lock:
            while self._requested:
                start, action = self._requested[0]
                if start is None:
                    self._requested[0] = (start := t, action)
                pose = _action_pose(action, t - start)
                if pose is not None:
                    return pose
                self._requested.pop(0)
        if not self.cooperative:
            return Pose()
        phase = t % CYCLE_S
        for start, action in _CYCLE:
            pose = _action_pose(action, phase - start)
            if pose is not None:
                return pose
        return Pose()


@dataclass(frozen=True)
class PlaneMotion:
    """A picture held in the hand: turned and tilted as a flat sheet, drifting a little."""

    yaw_degrees: float = 24.0
    period_s: float = 2.4

    def at(self, t: float) -> tuple[float, float, float, float]:
        """(yaw, pitch, dx, dy) of the sheet at time t: degrees and fractions of the frame."""
        phase = 2 * math.pi * t / self.period_s
        return (self.yaw_degrees * math.sin(phase), 4.0 * math.sin(0.7 * phase + 1.0),
                0.02 * math.sin(1.3 * phase), 0.01 * math.sin(0.9 * phase + 0.5))  # fmt: skip
