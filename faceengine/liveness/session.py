"""The liveness state machine: one per visit, fed frame by frame (see faceengine.liveness for the API)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from faceengine.detect import FaceBox, FaceDetector
from faceengine.engine import Observation
from faceengine.image import wipe
from faceengine.landmarks import eye_aspect_ratio, head_turn
from faceengine.liveness import cues, keys
from faceengine.liveness.challenges import Baseline, ChallengeJudge
from faceengine.liveness.evidence import Evidence
from faceengine.liveness.settings import LivenessSettings
from faceengine.liveness.tracker import FaceTracker, TrackedFace

RUNNING, LIVE, REFUSED = "running", "live", "refused"


@dataclass(frozen=True)
class LivenessProgress:
    """What the screen shows after a frame. `best` (an Observation) is set only once the state is live."""

    state: str  # running | live | refused
    instruction: str  # a key of keys.INSTRUCTION_KEYS
    challenge: str | None  # blink | turn_left | turn_right, while one is asked
    challenge_index: int  # 1-based; 0 before the first challenge
    challenge_total: int
    time_left_s: float
    attempt: int
    attempts_total: int
    reason: str | None = None  # a key of keys.REASON_KEYS once refused
    challenges: tuple[str, ...] = ()  # this attempt's challenges, in the order asked
    face: FaceBox | None = None
    best: Observation | None = None

    @property
    def finished(self) -> bool:
        return self.state != RUNNING

    @property
    def live(self) -> bool:
        return self.state == LIVE


class LivenessSession:
    def __init__(self, rng: random.Random | None = None, clock: Callable[[], float] = time.monotonic,
                 settings: LivenessSettings | None = None, detector: FaceDetector | None = None) -> None:  # fmt: skip
        self.settings = settings or LivenessSettings()
        self._rng = rng or random.SystemRandom()
        self._clock = clock
        self._tracker = FaceTracker(self.settings, detector)
        self._attempt = 0
        self._final: LivenessProgress | None = None
        self._best: Observation | None = None
        self._best_quality = -1.0
        self._start_attempt()

    # -- attempts ---------------------------------------------------------------------------------
    def _start_attempt(self) -> None:
        self._attempt += 1
        self.challenges = tuple(self._rng.sample(keys.CHALLENGES, self.settings.challenges_per_attempt))
        self._index = 0
        self._started: float | None = None
        self._baseline = Baseline()
        self._reference: np.ndarray | None = None
        self._judge: ChallengeJudge | None = None
        self._evidence = Evidence(self.settings)
        self._tracker.reset()

    def feed(self, frame: np.ndarray, t: float | None = None) -> LivenessProgress:
        """Analyse one BGR frame taken at time t (seconds, any monotonic origin; default: the clock)."""
        if self._final is not None:
            return self._final
        now = self._clock() if t is None else t
        if self._started is None:
            self._started = now
        grey = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        face = self._tracker.track(frame, grey)
        instruction = face.guidance
        if face.usable:
            instruction = self._analyse(frame, grey, face)
        if self._final is not None:
            return self._final
        left = self.settings.time_budget_s - (now - self._started)
        if left <= 0:
            return self._attempt_timed_out()
        return self._progress(RUNNING, instruction or self._asking(), left, face.box)

    def _analyse(self, frame: np.ndarray, grey: np.ndarray, face: TrackedFace) -> str | None:
        points = face.landmarks
        assert points is not None and face.box is not None
        self._evidence.saw_face = True
        if len(self._baseline.ears) < self.settings.baseline_frames:
            self._baseline.add(points)
            self._reference = points.copy() if self._reference is None else self._reference
            self._keep_if_best(frame, grey, face)
            return keys.LOOK_AT_CAMERA
        assert self._reference is not None
        parallax = self._evidence.add(frame, face.box, cues.planarity(points, self._reference))
        if self._evidence.attack is not None:
            self._finish(REFUSED, keys.REFER_TO_STAFF, self._evidence.attack)
            return None
        self._keep_if_best(frame, grey, face)
        if self._judge is None:
            self._judge = ChallengeJudge(self.challenges[self._index], self._baseline, self.settings)
        if self._judge.feed(points, parallax):
            self._index += 1
            self._judge = None
            if self._index == len(self.challenges):
                self._finish(LIVE, keys.DONE, None)
        return None

    def _attempt_timed_out(self) -> LivenessProgress:
        planar = self._evidence.planar_suspected
        saw_face = self._evidence.saw_face
        if planar:
            return self._finish(REFUSED, keys.REFER_TO_STAFF, keys.REASON_PLANAR)
        if self._attempt >= self.settings.max_attempts:
            reason = keys.REASON_TIMEOUT if saw_face else keys.REASON_NO_FACE
            return self._finish(REFUSED, keys.REFER_TO_STAFF, reason)
        self._start_attempt()
        return self._progress(RUNNING, keys.RETRY, self.settings.time_budget_s, None)

    # -- best frame for the comparison ------------------------------------------------------------
    def _keep_if_best(self, frame: np.ndarray, grey: np.ndarray, face: TrackedFace) -> None:
        """The sharpest large frontal open-eyed frame so far is kept (a copy) for the comparison."""
        points, box = face.landmarks, face.box
        assert points is not None and box is not None
        if self._baseline.turns and abs(head_turn(points) - self._baseline.turn) > 0.1:
            return
        if self._baseline.ears and eye_aspect_ratio(points) < 0.9 * self._baseline.ear:
            return
        patch = grey[max(0, box.y) : box.y + box.height, max(0, box.x) : box.x + box.width]
        quality = box.width * float(cv2.Laplacian(patch, cv2.CV_64F).var()) ** 0.5 if patch.size else 0.0
        if quality > self._best_quality:
            if self._best is not None:
                self._best.wipe()
            self._best = Observation(frame.copy(), box, points.copy())
            self._best_quality = quality

    # -- results ----------------------------------------------------------------------------------
    def _asking(self) -> str:
        if self._index < len(self.challenges):
            return keys.CHALLENGE_INSTRUCTIONS[self.challenges[self._index]]
        return keys.DONE

    def _progress(self, state: str, instruction: str, left: float, box: FaceBox | None,
                  reason: str | None = None) -> LivenessProgress:  # fmt: skip
        asking = state == RUNNING and instruction in keys.CHALLENGE_INSTRUCTIONS.values()
        return LivenessProgress(
            state=state, instruction=instruction, challenge=self.challenges[self._index] if asking else None,
            challenge_index=min(self._index + 1, len(self.challenges)) if asking else self._index,
            challenge_total=len(self.challenges), time_left_s=max(0.0, left), attempt=self._attempt,
            attempts_total=self.settings.max_attempts, reason=reason, challenges=self.challenges, face=box,
            best=self._best if state == LIVE else None,
        )  # fmt: skip

    def _finish(self, state: str, instruction: str, reason: str | None) -> LivenessProgress:
        if state != LIVE:
            self._drop_best()
        self._final = self._progress(state, instruction, 0.0, None, reason)
        return self._final

    @property
    def progress(self) -> LivenessProgress | None:
        return self._final

    def _drop_best(self) -> None:
        if self._best is not None:
            self._best.wipe()
        self._best, self._best_quality = None, -1.0

    def wipe(self) -> None:
        """Zero every frame and landmark the session holds (the visit ended). The session cannot go on."""
        self._drop_best()
        if self._reference is not None:
            wipe(self._reference)
        self._baseline.ears.clear()
        self._baseline.turns.clear()
        if self._final is None or self._final.best is not None:
            self._final = self._progress(REFUSED, keys.REFER_TO_STAFF, 0.0, None, self._final and self._final.reason)
