"""Judging one active challenge from landmarks, against the citizen's own frontal baseline."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from faceengine.landmarks import eye_aspect_ratio, head_turn
from faceengine.liveness.settings import LivenessSettings


@dataclass
class Baseline:
    """The citizen's open-eye aspect ratio and straight-ahead head position, from the first frames."""

    ears: list[float] = field(default_factory=list)
    turns: list[float] = field(default_factory=list)

    def add(self, points: np.ndarray) -> None:
        self.ears.append(eye_aspect_ratio(points))
        self.turns.append(head_turn(points))

    @property
    def ear(self) -> float:
        return float(np.median(self.ears))

    @property
    def turn(self) -> float:
        return float(np.median(self.turns))


class ChallengeJudge:
    """Feed landmarks frame by frame; done becomes True when the challenge was performed."""

    def __init__(self, challenge: str, baseline: Baseline, settings: LivenessSettings) -> None:
        self.challenge = challenge
        self.baseline = baseline
        self.settings = settings
        self.done = False
        self._eyes_closed = False

    def feed(self, points: np.ndarray, parallax: bool) -> bool:
        """One frame's landmarks; `parallax` says the face showed depth here (a turn needs it)."""
        if self.done:
            return True
        if self.challenge == "blink":
            ratio = eye_aspect_ratio(points) / max(self.baseline.ear, 1e-6)
            if ratio < self.settings.blink_closed_ratio:
                self._eyes_closed = True
            elif self._eyes_closed and ratio > self.settings.blink_open_ratio:
                self.done = True
        else:
            moved = head_turn(points) - self.baseline.turn
            wanted = moved if self.challenge == "turn_left" else -moved
            self.done = wanted >= self.settings.turn_delta and parallax
        return self.done
