"""The live face: quality guidance frame by frame, then the 1:1 comparison with the reference photo, a few
attempts, then the counter. Never a dead end: "back" returns to identification."""

from __future__ import annotations

from typing import Any

from kiosk.face import FaceReference
from kiosk.flows.base import StepKind
from kiosk.flows.failures import FlowFailed


class FaceSteps:
    """Mixed into ServiceFlow."""

    def show_face_step(self, guidance_key: str | None = None, progress: int = 2) -> None:
        data: dict[str, Any] = {"attempt": self._attempts.attempts_used + 1, "max_attempts": self._attempts.max_attempts}
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

    def on_capture_face(self, frame: Any) -> None:
        self.session.add_face_frame(frame)
        report = self.ctx.quality.check(frame)
        if not report.ok:
            self.show_face_step(f"guidance.{report.instruction.key}", self._view.progress[0])
            return
        outcome = self._attempts.verify(frame, FaceReference(id_number=self.id_number))
        if outcome.match.match:
            self.verification_token = outcome.match.verification_token
            self._after_face()
        elif outcome.refer_to_staff:
            raise FlowFailed("face_no_match", "next.counter")
        else:
            self.show_face_step("guidance.no_match_retry", self._view.progress[0])

    def _after_face(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError
