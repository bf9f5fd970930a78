"""The contract between a service flow and whatever drives it (touchscreen, `kiosk flow`, tests).

A flow is a state machine. Its `view()` says what to show: the step kind, a prompt key (the UI turns keys
into Chinese/English text and voice), display data, which intents are allowed, and where the visit is in the
service's named steps. `handle(intent, **payload)` advances it; it may block on devices or the backend, so the
UI calls it from a worker thread. While a long call runs (payment confirmed -> issuing -> printing) the flow
publishes each intermediate view to its listeners (`add_view_listener`, called on the worker thread), so the
screen says "支付成功 · 正在制证" at once. Navigation, validation, retries and "what next" live here, never in
a screen. Every text key a view carries is declared (kiosk/flows/keys.py and the service's own keys), so the
catalogue (kiosk/texts) is complete by construction.

Step kinds and their `data` (personal values already masked where shown):
  read_card        {"error_key"?}                         intents: read_card, enter_id_number, (lookup_by_plate), cancel
  enter_id_number  {"error_key"?}                         intents: submit_id_number(id_number), (back), cancel
  enter_plate      {"plate_types": [[code, key]], "error_key"?}
                                                          intents: submit_plate(plate, plate_type, vin6), back, cancel
  enter_permit_number {"error_key"?}                     intents: submit_permit_number(permit_number), back, cancel
  read_permit      {"error_key"?}                         intents: read_permit (polled), back, cancel
  choose_endorsement {"options": [{"id", "destination", "type", "entries", "validity_months", "fee_cents"}]}
                                                          intents: choose_endorsement(option_id), cancel
  capture_face     {"attempt": n, "max_attempts": n, "guidance_key"?, "challenge"?, "challenge_index"?,
                    "challenge_total"?, "time_left_s"?}   intents: capture_face(frame, t), back, cancel
                   (the screen streams preview frames, about 10 a second, one call in flight; t = capture time)
  choose_purpose   {"purposes": [str], "purpose_keys": [key]}  intents: submit_purpose(purpose), back, cancel
  select_items     {"items": [{"id", "title", "detail", "fine_cents", "late_fee_cents", "points", "eligible",
                    "reason_key"}], "driver_points": n, "error_key"?}
                                                          intents: select_items(ids), cancel
  confirm          {"fields": [[label_key, value, unit_key]], "amount_cents": int}  (unit_key "" when none; a
                    translated value is its unit_key with an empty value, e.g. ["field.destination", "", "place.HK"])
                                                          intents: confirm, (back), cancel
  pay              {"amount_cents", "qr_text", "order_ref", "expires_in_s"}
                                                          intents: check_payment, cancel
  working          {"stage_key", "eta_s"?, "paid_cents"?}  intents: none - once paid a visit cannot be cancelled
  done             {"outcome": issued|accepted|nothing_found, "document_key", "document_number"?,
                    "take_items": [key], "receipt": bool, "paid_cents"?}
                                                          intents: finish
  failed           {"error_code", "error_key", "next_key", "order_ref"?, "paid_cents"?, "retry_on"? (a date),
                    "refund"?: {"amount_cents", "reference", "state"}}
                                                          intents: finish, (retry when trying again can work)
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


class StepKind(enum.StrEnum):
    READ_CARD = "read_card"
    ENTER_ID_NUMBER = "enter_id_number"
    ENTER_PLATE = "enter_plate"
    ENTER_PERMIT_NUMBER = "enter_permit_number"
    READ_PERMIT = "read_permit"
    CHOOSE_ENDORSEMENT = "choose_endorsement"
    CAPTURE_FACE = "capture_face"
    CHOOSE_PURPOSE = "choose_purpose"
    SELECT_ITEMS = "select_items"
    CONFIRM = "confirm"
    PAY = "pay"
    WORKING = "working"
    DONE = "done"
    FAILED = "failed"


# Keys inside `data` that hold one text key, and those that hold a list of them.
KEY_FIELDS = ("error_key", "guidance_key", "stage_key", "document_key", "next_key", "challenge_key")
KEY_LIST_FIELDS = ("take_items", "purpose_keys")


@dataclass(frozen=True)
class FlowView:
    service: str  # a registry name: temp_id | certificate | traffic | ...
    step: StepKind
    prompt_key: str  # the main instruction, spoken and shown
    data: Mapping[str, Any] = field(default_factory=dict)
    intents: tuple[str, ...] = ()
    progress: tuple[int, int] = (0, 0)  # (index into steps, 1-based; of steps)
    steps: tuple[str, ...] = ()  # label keys of the service's named steps, for the step indicator
    back: FlowView | None = field(default=None, repr=False, compare=False)  # where "back" returns to

    @property
    def finished(self) -> bool:
        return self.step in (StepKind.DONE, StepKind.FAILED)

    def text_keys(self) -> set[str]:
        """Every catalogue key this view asks the screen to show or speak."""
        keys = {self.prompt_key, *self.steps}
        data = self.data
        keys.update(str(data[name]) for name in KEY_FIELDS if data.get(name))
        for name in KEY_LIST_FIELDS:
            keys.update(str(item) for item in data.get(name, ()))
        for label, _value, unit in data.get("fields", ()):
            keys.update(key for key in (label, unit) if key)
        keys.update(str(item["reason_key"]) for item in data.get("items", ()) if item.get("reason_key"))
        keys.update(str(key) for _code, key in data.get("plate_types", ()))
        return keys


class FlowError(Exception):
    """An intent that is not allowed now or carries bad input; the view stays as it was."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(message or code)
        self.code = code


class Flow(Protocol):
    service: str

    def view(self) -> FlowView: ...

    def handle(self, intent: str, **payload: Any) -> FlowView: ...

    def add_view_listener(self, listener: Callable[[FlowView], None]) -> None:
        """Called with every new view, on the thread that made it (a worker), also while handle() runs."""
        ...

    def abort(self) -> bool:
        """End now (idle time-out, citizen walked away): cancel what can be cancelled and wipe the session.
        Returns False when the visit is paid and still delivering: it finishes (documents and receipt), then
        wipes itself; `wait_finished` waits for that."""
        ...

    def wait_finished(self, timeout: float) -> bool: ...
