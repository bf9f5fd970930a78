"""The contract between a service flow and whatever drives it (touchscreen, `kiosk flow`, tests).

A flow is a state machine. Its `view()` says what to show: the step kind, a prompt key (the UI turns keys
into Chinese/English text and voice), display data, and which intents are allowed. `handle(intent, **payload)`
advances it; it may block on devices or the backend, so the UI calls it from a worker thread. Navigation,
validation, retries and "what next" live here, never in a screen.

Step kinds and their `data` (all personal values already masked where shown):
  read_card        {}                                   intents: read_card, enter_id_number, cancel
  enter_id_number  {"error_key"?: str}                  intents: submit_id_number(id_number), cancel
  enter_plate      {"plate_types": [[code, key]], "error_key"?}
                                                        intents: submit_plate(plate, plate_type, vin6), read_card, cancel
  capture_face     {"attempt": n, "max_attempts": n, "guidance_key"?: str}
                                                        intents: capture_face(frame), cancel
  choose_purpose   {"purposes": [str]}                   intents: submit_purpose(purpose), cancel
  select_items     {"items": [{"id", "title", "detail", "fine_cents", "late_fee_cents", "points", "eligible",
                    "reason_key"}], "points_total"?}     intents: select_items(ids), cancel
  confirm          {"fields": [[label_key, value]], "amount_cents": int}
                                                        intents: confirm, cancel
  pay              {"amount_cents", "qr_text", "order_ref", "expires_in_s"}
                                                        intents: check_payment, cancel
  working          {"stage_key": str}                    intents: (none; the flow is busy)
  done             {"document_key": str, "document_number"?: str, "take_items": [key], "receipt": bool}
                                                        intents: finish
  failed           {"error_code": str, "next_key": str}  intents: finish (and retry when allowed)
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


class StepKind(enum.StrEnum):
    READ_CARD = "read_card"
    ENTER_ID_NUMBER = "enter_id_number"
    ENTER_PLATE = "enter_plate"
    CAPTURE_FACE = "capture_face"
    CHOOSE_PURPOSE = "choose_purpose"
    SELECT_ITEMS = "select_items"
    CONFIRM = "confirm"
    PAY = "pay"
    WORKING = "working"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class FlowView:
    service: str  # temp_id | certificate | traffic
    step: StepKind
    prompt_key: str  # the main instruction, spoken and shown
    data: Mapping[str, Any] = field(default_factory=dict)
    intents: tuple[str, ...] = ()
    progress: tuple[int, int] = (0, 0)  # (step number, of steps) for the progress bar

    @property
    def finished(self) -> bool:
        return self.step in (StepKind.DONE, StepKind.FAILED)


class FlowError(Exception):
    """An intent that is not allowed now or carries bad input; the view stays as it was."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(message or code)
        self.code = code


class Flow(Protocol):
    service: str

    def view(self) -> FlowView: ...

    def handle(self, intent: str, **payload: Any) -> FlowView: ...

    def abort(self) -> None:
        """End at once (idle time-out, citizen walked away): cancel what can be cancelled, wipe data."""
        ...
