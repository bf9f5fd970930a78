"""A scripted runtime and flows for UI tests, screenshots and benchmarks: each service walks through the views
the real flows show (same keys, same intents, kiosk/flows/base.py): the named steps, `back`, the face step fed
by streamed frames with its liveness actions, views published mid-call, refunds, the endorsement's steps.

FakeFlow follows the flow contract (kiosk/flows/base.py): it refuses intents its view does not offer with
FlowError, validates the ID number it is given, blocks in read_card until a gate opens (when given one),
answers check_payment with the pay view a set number of times, and records every call.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from contracts.idnumber import InvalidIdNumber, validate_id_number
from kiosk.config import KioskConfig, UiConfig
from kiosk.flows.base import FlowError, FlowView, StepKind
from kiosk.home import KioskHome
from kiosk.technician import TechnicianService
from kiosk.technician.audit_sink import MemoryAudit
from kiosk.technician.auth import TechnicianAuth

S = StepKind
TECHNICIAN_PIN = "246810"
HELP_PHONE = "010-12345678"
FAST_SCRYPT_N = 2**10  # tests hash PINs often; production uses auth.SCRYPT_N
PLATE_TYPES = [["02", "plate_type.02"], ["52", "plate_type.52"], ["01", "plate_type.01"], ["51", "plate_type.51"]]
VIOLATIONS = [
    {"id": "v1", "title": "机动车违反禁止标线指示", "detail": "2024-03-01 08:12 朝阳路与建国路口", "fine_cents": 20000,
     "late_fee_cents": 0, "points": 1, "eligible": True, "reason_key": None},
    {"id": "v2", "title": "机动车违反规定停放", "detail": "2024-03-09 19:40 西大街", "fine_cents": 10000,
     "late_fee_cents": 3000, "points": 0, "eligible": True, "reason_key": None},
    {"id": "v3", "title": "超过规定时速50%以上", "detail": "2024-04-02 14:03 京承高速", "fine_cents": 200000,
     "late_fee_cents": 0, "points": 12, "eligible": False, "reason_key": "reason.traffic.code_1603"},
]  # fmt: skip
STEPS = {
    "temp_id": ("steps.id_number", "steps.face", "steps.confirm", "steps.pay", "steps.print"),
    "certificate": ("steps.identify", "steps.face", "steps.purpose", "steps.confirm", "steps.print"),
    "traffic": ("steps.identify", "steps.select", "steps.confirm", "steps.pay", "steps.print"),
    "endorsement": ("steps.identify", "steps.permit", "steps.face", "steps.choose", "steps.pay", "steps.print"),
}
ENDORSEMENTS = [
    {"id": "0", "destination": "HK", "type": "G", "entries": 1, "validity_months": 3, "fee_cents": 1500},
    {"id": "1", "destination": "HK", "type": "G", "entries": 2, "validity_months": 3, "fee_cents": 3000},
    {"id": "2", "destination": "MO", "type": "G", "entries": 1, "validity_months": 3, "fee_cents": 1500},
]
FRAMES_PER_CHALLENGE = 3
CHALLENGES = ("blink", "turn_left")


def _pay(amount_cents: int, ref: str, step: int) -> tuple[S, str, dict, int]:
    data = {"amount_cents": amount_cents, "qr_text": f"https://pay.example.cn/o/{ref}", "order_ref": ref,
            "expires_in_s": 180}  # fmt: skip
    return (S.PAY, "prompt.pay", data, step)


FACE = {"attempt": 1, "max_attempts": 3}
# (step, prompt key, data, index into STEPS + 1)
SCRIPTS: dict[str, list[tuple[S, str, dict, int]]] = {
    "temp_id": [
        (S.ENTER_ID_NUMBER, "prompt.enter_id_number", {}, 1),
        (S.CAPTURE_FACE, "prompt.capture_face", dict(FACE), 2),
        (S.CONFIRM, "prompt.confirm", {"fields": [["field.name", "张*", ""], ["field.id_number", "110***********002X", ""],
                                                  ["field.validity", "3", "unit.months"]], "amount_cents": 1000}, 3),
        _pay(1000, "TMP20240001", 4),
        (S.WORKING, "prompt.paid", {"stage_key": "stage.printing", "eta_s": 20, "paid_cents": 1000}, 5),
        (S.DONE, "prompt.done", {"outcome": "issued", "document_key": "doc.temp_id", "document_number": "T110105202400012",
                                 "take_items": ["take.temp_id_card", "take.receipt"], "receipt": True,
                                 "paid_cents": 1000}, 5),
    ],
    "certificate": [
        (S.READ_CARD, "prompt.read_card", {}, 1),
        (S.ENTER_ID_NUMBER, "prompt.enter_id_number", {}, 1),
        (S.CAPTURE_FACE, "prompt.capture_face", dict(FACE), 2),
        (S.CHOOSE_PURPOSE, "prompt.choose_purpose", {"purposes": ["就业", "出国（境）", "入学", "收养", "其他"]}, 3),
        (S.CONFIRM, "prompt.confirm", {"fields": [["field.id_number", "440***********1512", ""],
                                                  ["field.purpose", "就业", ""]], "amount_cents": 0}, 4),
        (S.WORKING, "prompt.working", {"stage_key": "stage.printing", "eta_s": 15}, 5),
        (S.DONE, "prompt.done", {"outcome": "issued", "document_key": "doc.certificate",
                                 "document_number": "BJ-2024-000321", "take_items": ["take.certificate"],
                                 "receipt": False}, 5),
    ],
    "traffic": [
        (S.READ_CARD, "prompt.read_card_or_plate", {}, 1),
        (S.ENTER_ID_NUMBER, "prompt.enter_id_number", {}, 1),
        (S.ENTER_PLATE, "prompt.enter_plate", {"plate_types": PLATE_TYPES}, 1),
        (S.CAPTURE_FACE, "prompt.capture_face", dict(FACE), 1),
        (S.SELECT_ITEMS, "prompt.select_items", {"items": VIOLATIONS, "driver_points": 1}, 2),
        (S.CONFIRM, "prompt.confirm", {"fields": [["field.violations", "2", "unit.items"],
                                                  ["field.points", "1", "unit.points"]], "amount_cents": 33000}, 3),
        _pay(33000, "JT20240077", 4),
        (S.WORKING, "prompt.paid", {"stage_key": "stage.printing", "eta_s": 10, "paid_cents": 33000}, 5),
        (S.DONE, "prompt.done", {"outcome": "issued", "document_key": "doc.traffic_receipt",
                                 "document_number": "1101052024000123", "take_items": ["take.decision_receipt"],
                                 "receipt": True, "paid_cents": 33000}, 5),
    ],
    "endorsement": [
        (S.READ_CARD, "prompt.read_card", {}, 1),
        (S.ENTER_ID_NUMBER, "prompt.enter_id_number", {}, 1),
        (S.ENTER_PERMIT_NUMBER, "prompt.enter_permit_number", {}, 2),
        (S.READ_PERMIT, "prompt.read_permit", {}, 2),
        (S.CAPTURE_FACE, "prompt.capture_face", dict(FACE), 3),
        (S.CHOOSE_ENDORSEMENT, "prompt.choose_endorsement", {"options": ENDORSEMENTS}, 4),
        (S.CONFIRM, "prompt.confirm", {"fields": [["field.destination", "", "place.HK"],
                                                  ["field.endorsement_type", "", "endorsement_type.G"],
                                                  ["field.entries", "", "entries.1"],
                                                  ["field.validity", "3", "unit.months"]], "amount_cents": 1500}, 4),
        _pay(1500, "QZ20240005", 5),
        (S.WORKING, "prompt.paid", {"stage_key": "stage.writing_chip", "eta_s": 25, "paid_cents": 1500}, 6),
        (S.DONE, "prompt.done", {"outcome": "issued", "document_key": "doc.endorsement", "document_number": "E20240005",
                                 "take_items": ["take.permit", "take.receipt"], "receipt": True,
                                 "paid_cents": 1500}, 6),
    ],
}  # fmt: skip
INTENTS: dict[S, tuple[str, ...]] = {
    S.READ_CARD: ("read_card", "enter_id_number", "cancel"),
    S.ENTER_ID_NUMBER: ("submit_id_number", "back", "cancel"),
    S.ENTER_PLATE: ("submit_plate", "read_card", "back", "cancel"),
    S.ENTER_PERMIT_NUMBER: ("submit_permit_number", "back", "cancel"),
    S.READ_PERMIT: ("read_permit", "back", "cancel"),
    S.CHOOSE_ENDORSEMENT: ("choose_endorsement", "cancel"),
    S.CAPTURE_FACE: ("capture_face", "cancel"),
    S.CHOOSE_PURPOSE: ("submit_purpose", "back", "cancel"),
    S.SELECT_ITEMS: ("select_items", "cancel"),
    S.CONFIRM: ("confirm", "back", "cancel"),
    S.PAY: ("check_payment", "cancel"),
    S.WORKING: (),
    S.DONE: ("finish",),
    S.FAILED: ("finish", "retry"),
}
FAILURES = {  # failed views the screens must explain, by name
    "face": {"error_code": "face_no_match", "error_key": "error.face_no_match", "next_key": "next.counter"},
    "refund": {"error_code": "device.print_failed", "error_key": "error.device.print_failed",
               "next_key": "next.refund_pending", "order_ref": "TMP20240001", "paid_cents": 1000,
               "refund": {"amount_cents": 1000, "reference": "RF20240001", "state": "pending"}},
    "backend": {"error_code": "backend_unavailable", "error_key": "error.backend_unavailable",
                "next_key": "next.retry_later"},
    "recently": {"error_code": "endorsement.applied_recently", "error_key": "error.endorsement.applied_recently",
                 "next_key": "next.counter", "retry_on": "2025-03-01"},
}  # fmt: skip


def intents_for(service: str, step: S) -> tuple[str, ...]:
    intents = INTENTS[step]
    if service == "traffic" and step is S.READ_CARD:
        intents = ("read_card", "enter_id_number", "lookup_by_plate", "cancel")
    if service == "temp_id" and step is S.ENTER_ID_NUMBER:
        intents = ("submit_id_number", "cancel")  # no card to fall back to: it is lost or being made
    return intents


def make_view(service: str, step: S, prompt: str, data: dict, number: int, intents: tuple[str, ...]) -> FlowView:
    steps = STEPS[service]
    return FlowView(service, step, prompt, dict(data), intents, (number, len(steps)), steps=steps)


def view_of(service: str, step: StepKind, **extra: Any) -> FlowView:
    """The scripted view of `service` at `step`, as the flow would show it (for rendering without a flow)."""
    kind, prompt, data, number = next(entry for entry in SCRIPTS[service] if entry[0] == step)
    return make_view(service, kind, prompt, {**data, **extra}, number, intents_for(service, kind))


def liveness_view(challenge: str = "turn_left") -> FlowView:
    """The face step asking for a liveness action (frames stream to the flow all along)."""
    return view_of("certificate", S.CAPTURE_FACE, challenge=challenge, challenge_index=0,
                   challenge_total=len(CHALLENGES), guidance_key="guidance.hold_still", time_left_s=25)  # fmt: skip


def failed_view(service: str = "temp_id", failure: str = "face", *, retry: bool = True) -> FlowView:
    intents = ("finish", "retry") if retry else ("finish",)
    return make_view(service, S.FAILED, "prompt.failed", FAILURES[failure], 2, intents)


class FakeFlow:
    def __init__(self, service: str, *, pay_polls: int = 1, fail_at: S | None = None, raise_on: str | None = None,
                 refuse_on: str | None = None, read_gate: threading.Event | None = None,
                 progress_gate: threading.Event | None = None) -> None:  # fmt: skip
        self.service, self.script, self.index = service, SCRIPTS[service], 0
        self.pay_polls, self.fail_at, self.raise_on, self.read_gate = pay_polls, fail_at, raise_on, read_gate
        self.refuse_on, self.progress_gate = refuse_on, progress_gate
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.polls = self.working_looks = self.frames = 0
        self.aborted = threading.Event()
        self.failed_view: FlowView | None = None
        self.error_key: str | None = None
        self.listeners: list[Callable[[FlowView], None]] = []

    # --- the contract ------------------------------------------------------------------------------------------
    def view(self) -> FlowView:
        """What the UI sees; a working step finishes by the second look (the UI polls while it works)."""
        if self.script[self.index][0] == S.WORKING and self.failed_view is None:
            self.working_looks += 1
            if self.working_looks >= 2:
                self.working_looks = 0
                self._advance()
        return self._view()

    def add_view_listener(self, listener: Callable[[FlowView], None]) -> None:
        """Views published while a long handle() runs (the contract's intermediate views)."""
        self.listeners.append(listener)

    def _view(self) -> FlowView:
        if self.failed_view is not None:
            return self.failed_view
        step, prompt, data, number = self.script[self.index]
        data = dict(data)
        intents = intents_for(self.service, step)
        if self.error_key:
            data["error_key"] = self.error_key
        if step == S.PAY:
            data["expires_in_s"] = max(0, data["expires_in_s"] - 2 * self.polls)
        if step == S.CAPTURE_FACE:  # liveness: one action after another as frames come in
            done = min(self.frames // FRAMES_PER_CHALLENGE, len(CHALLENGES) - 1)
            data.update(challenge=CHALLENGES[done], challenge_index=done, challenge_total=len(CHALLENGES),
                        time_left_s=25)  # fmt: skip
        return make_view(self.service, step, prompt, data, number, intents)

    def handle(self, intent: str, **payload: Any) -> FlowView:
        self.calls.append((intent, payload))
        current = self._view()
        if intent not in current.intents:
            raise FlowError("not_allowed", f"{intent} is not offered at {current.step}")
        if intent == self.raise_on:
            raise RuntimeError("simulated crash in the flow")
        if intent == self.refuse_on:
            raise FlowError("bad_input", "refused by the script")
        self.error_key = None
        getattr(self, f"_on_{intent}", self._on_other)(intent, payload, current)
        return self._view()

    def abort(self) -> None:
        self.aborted.set()
        if self.read_gate is not None:
            self.read_gate.set()

    # --- intents -----------------------------------------------------------------------------------------------
    def _on_read_card(self, _intent: str, _payload: dict, current: FlowView) -> None:
        if current.step != S.READ_CARD:
            self._jump(lambda step: step == S.READ_CARD)
            return
        if self.read_gate is not None and not self.read_gate.wait(timeout=0.5):
            return  # the reader's wait ended without a card: ask again
        self._jump(self._after_identity)

    def _on_enter_id_number(self, *_args: Any) -> None:
        self._jump(lambda step: step == S.ENTER_ID_NUMBER)

    def _on_lookup_by_plate(self, *_args: Any) -> None:
        self._jump(lambda step: step == S.ENTER_PLATE)

    def _on_submit_plate(self, *_args: Any) -> None:
        self._jump(lambda step: step == S.SELECT_ITEMS)

    def _on_submit_id_number(self, _intent: str, payload: dict, _current: FlowView) -> None:
        try:
            validate_id_number(payload["id_number"])
        except InvalidIdNumber as error:
            self.error_key = f"error.id_number.{error.reason}"
            return
        self._jump(self._after_identity)

    def _after_identity(self, step: S) -> bool:
        return step in (S.ENTER_PERMIT_NUMBER, S.CAPTURE_FACE)

    def _on_capture_face(self, _intent: str, payload: dict, _current: FlowView) -> None:
        assert isinstance(payload["frame"], np.ndarray) and isinstance(payload["t"], float)
        self.frames += 1
        if self.frames >= FRAMES_PER_CHALLENGE * len(CHALLENGES):
            self.frames = 0
            self._advance()

    def _on_submit_permit_number(self, *_args: Any) -> None:
        self._jump(lambda step: step == S.READ_PERMIT)

    def _on_read_permit(self, *_args: Any) -> None:
        if self.read_gate is not None and not self.read_gate.wait(timeout=0.5):
            return  # no permit on the reader yet: ask again
        self._jump(lambda step: step == S.CAPTURE_FACE)

    def _on_check_payment(self, *_args: Any) -> None:
        self.polls += 1
        if self.polls >= self.pay_polls:
            self._advance()
            if self.progress_gate is not None:  # publish "paid, printing" at once, then print until the gate
                for listener in list(self.listeners):
                    listener(self._view())
                self.progress_gate.wait(5)
                self._advance()

    def _on_back(self, _intent: str, _payload: dict, current: FlowView) -> None:
        self.index = max(0, self.index - 1)
        if self.script[self.index][0] in (S.ENTER_ID_NUMBER, S.ENTER_PLATE) and current.step is S.CAPTURE_FACE:
            self.index = 0

    def _on_retry(self, *_args: Any) -> None:
        self.failed_view, self.index, self.frames = None, 0, 0

    def _on_other(self, intent: str, *_args: Any) -> None:
        if intent not in ("finish", "cancel"):
            self._advance()

    # --- helpers -----------------------------------------------------------------------------------------------
    def intents_sent(self) -> list[str]:
        return [intent for intent, _payload in self.calls]

    def _jump(self, matches: Callable[[S], bool]) -> None:
        self.index = next(i for i, entry in enumerate(self.script) if matches(entry[0]))
        self._check_failure()

    def _advance(self) -> None:
        self.index = min(self.index + 1, len(self.script) - 1)
        self._check_failure()

    def _check_failure(self) -> None:
        if self.script[self.index][0] == self.fail_at:
            self.failed_view = replace(failed_view(self.service), progress=(self.script[self.index][3], 5))


def synthetic_frame(width: int = 640, height: int = 480) -> np.ndarray:
    """A drawn head-and-shoulders silhouette (no real person) on a soft background, BGR."""
    frame = np.full((height, width, 3), (200, 190, 180), np.uint8)
    cv2.ellipse(frame, (width // 2, height + 60), (200, 170), 0, 180, 360, (90, 60, 40), -1)
    cv2.ellipse(frame, (width // 2, height // 2 - 20), (85, 110), 0, 0, 360, (140, 170, 210), -1)
    for dx in (-32, 32):
        cv2.circle(frame, (width // 2 + dx, height // 2 - 40), 9, (40, 40, 40), -1)
    cv2.ellipse(frame, (width // 2, height // 2 + 30), (30, 12), 0, 0, 180, (60, 60, 150), 3)
    return frame


class HelpUiConfig(UiConfig):
    """UiConfig with the help number the core is adding (config `ui.help_phone`)."""

    help_phone: str = HELP_PHONE


def fake_config(**ui: Any) -> KioskConfig:
    return KioskConfig(site_name="朝阳区某某街道智慧警务室", ui=HelpUiConfig(**ui))


@dataclass
class FakeRuntime:
    config: KioskConfig = field(default_factory=fake_config)
    availability: dict[str, tuple[bool, str | None]] = field(
        default_factory=lambda: {
            "temp_id": (True, None),
            "certificate": (True, None),
            "traffic": (False, "reason.backend_down"),
            "endorsement": (False, "reason.not_offered"),
        }
    )
    flow_options: dict[str, Any] = field(default_factory=dict)
    broken_start: bool = False
    flows: list[FakeFlow] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)
    duty_calls: list[str] = field(default_factory=list)
    frame: np.ndarray = field(default_factory=synthetic_frame)
    technician_home: Path | None = None  # None: a temporary directory
    technician_audit: MemoryAudit = field(default_factory=MemoryAudit)
    _technician: TechnicianService | None = None

    def service_availability(self) -> dict[str, tuple[bool, str | None]]:
        return dict(self.availability)

    def start_flow(self, service: str) -> FakeFlow:
        if self.broken_start:
            raise OSError("backend unreachable")
        flow = FakeFlow(service, **self.flow_options)
        self.flows.append(flow)
        return flow

    def camera_frame(self) -> np.ndarray | None:
        return self.frame

    def end_session(self, reason: str) -> None:
        self.ended.append(reason)

    def call_duty_officer(self, where: str) -> None:
        self.duty_calls.append(where)

    def technician_service(self) -> TechnicianService:
        """A real TechnicianService (PIN TECHNICIAN_PIN, in-memory audit) over this runtime's config."""
        if self._technician is None:
            root = self.technician_home or Path(tempfile.mkdtemp(prefix="kiosk-ui-tech-"))
            home = KioskHome(root).ensure()
            auth = TechnicianAuth(home, self.technician_audit, scrypt_n=FAST_SCRYPT_N)
            auth.set_pin(TECHNICIAN_PIN, actor="cli:test")
            self._technician = TechnicianService(
                home, self.config, audit=self.technician_audit, auth=auth, require_login=True
            )
        return self._technician
