"""Liveness (presentation attack detection) before any face comparison: a pure, UI-agnostic state machine.

    session = LivenessSession(rng=random.Random(), clock=time.monotonic, settings=LivenessSettings())
    for frame in camera.frames():                      # BGR frames, the flow's own loop (>= 10 frames/s)
        progress = session.feed(frame, t)              # t: seconds (default: the clock)
        show(progress.instruction, progress.challenge_index, progress.challenge_total, progress.time_left_s)
        if progress.finished:
            break
    if progress.live:
        result = engine.compare(reference_template, progress.best)   # the best frontal frame, no re-detection
    else:
        refuse(progress.reason)                        # liveness.planar | liveness.screen | liveness.timeout | ...
    session.wipe()                                      # at the end of the visit, live or not

Per attempt, two of blink / turn_left / turn_right are asked in random order within `time_budget_s`
(6 s). The first `baseline_frames` frames record the citizen's own open eyes and straight-ahead head.
Blinks are read from the eye aspect ratio, turns from where the nose sits between the cheek contours;
a turn counts only if the face showed depth (parallax) meanwhile. An attempt that runs out of time starts
again with new challenges (instruction liveness.retry) up to `max_attempts` (3); then the citizen is
referred to the counter (liveness.refer_to_staff). Passive cues (faceengine.liveness.cues) refuse at once:
a display's moire or glare (liveness.screen); a face turned as a flat sheet (liveness.planar) is refused
when its attempt times out. Every key it can emit is in keys.ALL_KEYS.

`LivenessProgress.best` (an Observation: frame copy, box, landmarks) is set only when live; the session
owns it and wipe() zeroes it, so compare before wiping.
"""

from faceengine.liveness import keys
from faceengine.liveness.keys import ALL_KEYS, CHALLENGES, INSTRUCTION_KEYS, REASON_KEYS
from faceengine.liveness.session import LIVE, REFUSED, RUNNING, LivenessProgress, LivenessSession
from faceengine.liveness.settings import LivenessSettings

__all__ = [
    "ALL_KEYS",
    "CHALLENGES",
    "INSTRUCTION_KEYS",
    "LIVE",
    "REASON_KEYS",
    "REFUSED",
    "RUNNING",
    "LivenessProgress",
    "LivenessSession",
    "LivenessSettings",
    "keys",
]
