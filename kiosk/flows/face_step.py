"""The live face (人证核验): liveness first - two challenges (blink, turn left, turn right) judged on the preview
frames the screen streams in, refusing photos and screens - then the 1:1 comparison of the best live frame with
the reference photo; a few comparison attempts, then the counter. "back" returns to identification.

Frames, landmarks and the best frame live in the liveness session only; it is wiped when the face step ends,
whichever way (matched, refused, back, cancel, the visit's end).
"""

from __future__ import annotations

from typing import Any

from faceengine.liveness import REASON_KEYS
from kiosk.face import LIVENESS_KEYS, FaceReference, LivenessProgress, LivenessSession, start_liveness
from kiosk.flows.base import StepKind
from kiosk.flows.failures import FlowFailed

# What the face step can show: every liveness instruction, and an error text for every refusal reason.
_REASONS = frozenset(key for key in LIVENESS_KEYS if key in REASON_KEYS)
FACE_KEYS = frozenset({*(key for key in LIVENESS_KEYS if key not in _REASONS), *(f"error.{key}" for key in _REASONS)})


class FaceSteps:
    """Mixed into ServiceFlow."""

    _liveness: LivenessSession | None = None

    def show_face_step(self, guidance_key: str | None = None, progress: int = 2,
                       live: LivenessProgress | None = None) -> None:  # fmt: skip
        data: dict[str, Any] = {"attempt": self._attempts.attempts_used + 1, "max_attempts": self._attempts.max_attempts}
        if live is not None:
            data.update({"challenge": live.challenge, "challenge_index": live.challenge_index,
                         "challenge_total": live.challenge_total, "time_left_s": round(live.time_left_s, 1)})  # fmt: skip
            guidance_key = guidance_key or live.instruction
        if guidance_key:
            data["guidance_key"] = guidance_key
        back = self._view.back if self._view.step is StepKind.CAPTURE_FACE else self._identify_target()
        self._show(StepKind.CAPTURE_FACE, "prompt.capture_face", data, ("capture_face", "cancel"), progress, back)

    def _identify_target(self) -> Any:
        """Where "back" from the face step goes: the way this citizen identified (card or number)."""
        view = self._view
        if view.step is StepKind.ENTER_ID_NUMBER:
            return self._id_entry_view(back=view.back)
        if view.step is StepKind.READ_CARD:
            return self.identify_view()
        return None

    def on_capture_face(self, frame: Any, t: float | None = None) -> None:
        """One preview frame, taken at time `t` (seconds, monotonic; default now): advance the liveness
        challenge; once live, compare the best frame with the reference."""
        if self._liveness is None:
            self._liveness = start_liveness(self.ctx.config.face, clock=self.ctx.clock)
        live = self._liveness.feed(frame, self.ctx.clock() if t is None else t)
        if not live.finished:
            self.show_face_step(progress=self._view.progress[0], live=live)
            return
        if not live.live:
            self.wipe_face()
            raise FlowFailed(live.reason or "liveness.timeout", "next.counter")
        try:
            outcome = self._attempts.verify(live.best, self.face_reference())
        finally:
            self.wipe_face()  # the comparison is made: no frame, landmark or embedding stays
        if outcome.match.match:
            self.verification_token = outcome.match.verification_token
            self.face_match = outcome.match  # score, threshold, engine: what may be kept of the comparison
            self._after_face()
        elif outcome.refer_to_staff:
            raise FlowFailed("face_no_match", "next.counter")
        else:  # a new liveness round for the next comparison: the same person must prove it again
            self.show_face_step("guidance.no_match_retry", self._view.progress[0])

    def face_reference(self) -> FaceReference:
        """Whom the live face must be: by default the registry photo of the identified ID number."""
        return FaceReference(id_number=self.id_number)

    def wipe_face(self) -> None:
        session, self._liveness = self._liveness, None
        if session is not None:
            session.wipe()

    def _after_face(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError
