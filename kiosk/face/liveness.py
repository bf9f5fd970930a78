"""Liveness for the flows: a faceengine LivenessSession configured from kiosk.config.FaceConfig.

    session = start_liveness(config.face)           # one per visit (or per face step)
    progress = session.feed(frame, time.monotonic()) # per preview frame; progress.instruction is a text key
    ...                                              # progress.live -> verifier.verify(progress.best, reference)
    session.wipe()                                   # with the visit

Every key the session can emit is LIVENESS_KEYS (faceengine.liveness.ALL_KEYS).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

from faceengine.liveness import ALL_KEYS, LivenessProgress, LivenessSession, LivenessSettings

LIVENESS_KEYS = ALL_KEYS


def liveness_settings(face_config: Any) -> LivenessSettings:
    return LivenessSettings.from_config(face_config)


def start_liveness(face_config: Any, rng: random.Random | None = None,
                   clock: Callable[[], float] = time.monotonic) -> LivenessSession:  # fmt: skip
    """A new session; the challenges are drawn from `rng` (default: the system's random source)."""
    return LivenessSession(rng=rng, clock=clock, settings=liveness_settings(face_config))


__all__ = ["LIVENESS_KEYS", "LivenessProgress", "LivenessSession", "liveness_settings", "start_liveness"]
