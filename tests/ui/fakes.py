"""A scripted runtime and flows for UI tests and screenshots: each service walks through realistic views.

FakeFlow follows the flow contract (kiosk/flows/base.py): it refuses intents its view does not offer with
FlowError, validates the ID number it is given, blocks in read_card until a gate opens (when given one),
answers check_payment with the pay view a set number of times, and records every call.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from contracts.idnumber import InvalidIdNumber, validate_id_number
from kiosk.config import KioskConfig
from kiosk.flows.base import FlowError, FlowView, StepKind
from kiosk.home import KioskHome
from kiosk.technician import TechnicianService
from kiosk.technician.audit_sink import MemoryAudit
from kiosk.technician.auth import TechnicianAuth

S = StepKind
TECHNICIAN_PIN = "246810"
FAST_SCRYPT_N = 2**10  # tests hash PINs often; production uses auth.SCRYPT_N
PLATE_TYPES = [["02", "plate_type.02"], ["52", "plate_type.52"], ["01", "plate_type.01"], ["51", "plate_type.51"]]
VIOLATIONS = [
    {
        "id": "v1",
        "title": "机动车违反禁止标线指示",
        "detail": "2024-03-01 08:12 朝阳路与建国路口",
        "fine_cents": 20000,
        "late_fee_cents": 0,
        "points": 1,
        "eligible": True,
        "reason_key": None,
    },
    {
        "id": "v2",
        "title": "机动车违反规定停放",
        "detail": "2024-03-09 19:40 西大街",
        "fine_cents": 10000,
        "late_fee_cents": 3000,
        "points": 0,
        "eligible": True,
        "reason_key": None,
    },
    {
        "id": "v3",
        "title": "超过规定时速50%以上",
        "detail": "2024-04-02 14:03 京承高速",
        "fine_cents": 200000,
        "late_fee_cents": 0,
        "points": 12,
        "eligible": False,
        "reason_key": "reason.speeding_over_50",
    },
]


def _pay(amount_cents: int, ref: str) -> tuple[S, str, dict]:
    return (
        S.PAY,
        "prompt.pay",
        {
            "amount_cents": amount_cents,
            "qr_text": f"https://pay.example.cn/o/{ref}",
            "order_ref": ref,
            "expires_in_s": 180,
        },
    )


SCRIPTS: dict[str, list[tuple[S, str, dict]]] = {
    "temp_id": [
        (S.READ_CARD, "prompt.read_card", {}),
        (S.ENTER_ID_NUMBER, "prompt.enter_id_number", {}),
        (
            S.CAPTURE_FACE,
            "prompt.capture_face",
            {"attempt": 1, "max_attempts": 3, "guidance_key": "guidance.face_not_centred"},
        ),
        (
            S.CONFIRM,
            "prompt.confirm",
            {
                "fields": [
                    ["field.name", "张*"],
                    ["field.id_number", "110***********002X"],
                    ["field.validity", "3个月"],
                ],
                "amount_cents": 1000,
            },
        ),
        _pay(1000, "TMP20240001"),
        (S.WORKING, "prompt.working", {"stage_key": "stage.printing"}),
        (
            S.DONE,
            "prompt.done",
            {
                "document_key": "document.temp_id_card",
                "take_items": ["take.temp_id_card", "take.receipt"],
                "receipt": True,
            },
        ),
    ],
    "certificate": [
        (S.READ_CARD, "prompt.read_card", {}),
        (S.ENTER_ID_NUMBER, "prompt.enter_id_number", {}),
        (S.CAPTURE_FACE, "prompt.capture_face", {"attempt": 1, "max_attempts": 3}),
        (S.CHOOSE_PURPOSE, "prompt.choose_purpose", {"purposes": ["就业", "出国（境）", "入学", "收养", "其他"]}),
        (
            S.CONFIRM,
            "prompt.confirm",
            {
                "fields": [["field.name", "李*"], ["field.id_number", "440***********1512"], ["field.purpose", "就业"]],
                "amount_cents": 0,
            },
        ),
        (S.WORKING, "prompt.working", {"stage_key": "stage.checking_records"}),
        (
            S.DONE,
            "prompt.done",
            {
                "document_key": "document.certificate",
                "document_number": "BJ-2024-000321",
                "take_items": ["take.certificate"],
                "receipt": False,
            },
        ),
    ],
    "traffic": [
        (S.ENTER_PLATE, "prompt.enter_plate", {"plate_types": PLATE_TYPES}),
        (S.SELECT_ITEMS, "prompt.select_items", {"items": VIOLATIONS, "points_total": 1}),
        (
            S.CONFIRM,
            "prompt.confirm",
            {
                "fields": [["field.plate", "京A·1***5"], ["field.items", "2"], ["field.points", "1"]],
                "amount_cents": 33000,
            },
        ),
        _pay(33000, "JT20240077"),
        (S.WORKING, "prompt.working", {"stage_key": "stage.confirming_payment"}),
        (
            S.DONE,
            "prompt.done",
            {
                "document_key": "document.decision",
                "document_number": "1101052024000123",
                "take_items": ["take.decision", "take.receipt"],
                "receipt": True,
            },
        ),
    ],
}
INTENTS: dict[S, tuple[str, ...]] = {
    S.READ_CARD: ("read_card", "enter_id_number", "cancel"),
    S.ENTER_ID_NUMBER: ("submit_id_number", "cancel"),
    S.ENTER_PLATE: ("submit_plate", "read_card", "cancel"),
    S.CAPTURE_FACE: ("capture_face", "cancel"),
    S.CHOOSE_PURPOSE: ("submit_purpose", "cancel"),
    S.SELECT_ITEMS: ("select_items", "cancel"),
    S.CONFIRM: ("confirm", "cancel"),
    S.PAY: ("check_payment", "cancel"),
    S.WORKING: (),
    S.DONE: ("finish",),
    S.FAILED: ("finish", "retry"),
}


def view_of(service: str, step: StepKind) -> FlowView:
    """The scripted view of `service` at `step`, as the flow would show it (for rendering without a flow)."""
    script = SCRIPTS[service]
    index = next(i for i, (kind, _p, _d) in enumerate(script) if kind == step)
    kind, prompt, data = script[index]
    return FlowView(service, kind, prompt, dict(data), INTENTS[kind], (index + 1, len(script)))


class FakeFlow:
    def __init__(
        self,
        service: str,
        *,
        pay_polls: int = 1,
        fail_at: S | None = None,
        raise_on: str | None = None,
        refuse_on: str | None = None,
        read_gate: threading.Event | None = None,
    ) -> None:
        self.service = service
        self.script = SCRIPTS[service]
        self.index = 0
        self.pay_polls, self.fail_at, self.raise_on, self.read_gate = pay_polls, fail_at, raise_on, read_gate
        self.refuse_on = refuse_on
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.polls = 0
        self.working_looks = 0
        self.aborted = threading.Event()
        self.failed_view: FlowView | None = None
        self.error_key: str | None = None

    # --- the contract ------------------------------------------------------------------------------------------
    def view(self) -> FlowView:
        """What the UI sees; a working step finishes by the second look (the UI polls while it works)."""
        if self._current()[0] == S.WORKING and self.failed_view is None:
            self.working_looks += 1
            if self.working_looks >= 2:
                self.working_looks = 0
                self._advance()
        return self._view()

    def _current(self) -> tuple[S, str, dict]:
        return self.script[self.index]

    def _view(self) -> FlowView:
        if self.failed_view is not None:
            return self.failed_view
        step, prompt, data = self._current()
        data = dict(data)
        if self.error_key:
            data["error_key"] = self.error_key
        if step == S.PAY:
            data["expires_in_s"] = max(0, data["expires_in_s"] - 2 * self.polls)
        return FlowView(self.service, step, prompt, data, INTENTS[step], (self.index + 1, len(self.script)))

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
        if intent == "read_card" and current.step == S.READ_CARD:
            if self.read_gate is not None and not self.read_gate.wait(timeout=0.5):
                return self._view()  # the reader's wait ended without a card: ask again
            self._jump(lambda step: step not in (S.READ_CARD, S.ENTER_ID_NUMBER))
        elif intent == "enter_id_number":
            self._jump(lambda step: step == S.ENTER_ID_NUMBER)
        elif intent == "submit_id_number":
            try:
                validate_id_number(payload["id_number"])
            except InvalidIdNumber as error:
                self.error_key = f"id.error.{error.reason}"
                return self._view()
            self._advance()
        elif intent == "check_payment":
            self.polls += 1
            if self.polls >= self.pay_polls:
                self._advance()
        elif intent == "retry":
            self.failed_view = None
            self.index = 0
        elif intent not in ("finish", "cancel"):
            self._advance()
        return self._view()

    def abort(self) -> None:
        self.aborted.set()
        if self.read_gate is not None:
            self.read_gate.set()

    # --- helpers -----------------------------------------------------------------------------------------------
    def intents_sent(self) -> list[str]:
        return [intent for intent, _payload in self.calls]

    def _jump(self, matches: Callable[[S], bool]) -> None:
        self.index = next(i for i, (step, _p, _d) in enumerate(self.script) if matches(step))
        self._check_failure()

    def _advance(self) -> None:
        self.index = min(self.index + 1, len(self.script) - 1)
        self._check_failure()

    def _check_failure(self) -> None:
        step = self.script[self.index][0]
        if step == self.fail_at:
            self.failed_view = FlowView(
                self.service,
                S.FAILED,
                "prompt.failed",
                {"error_code": "face_mismatch", "next_key": "next.counter"},
                INTENTS[S.FAILED],
                (self.index + 1, len(self.script)),
            )


def synthetic_frame(width: int = 640, height: int = 480) -> np.ndarray:
    """A drawn head-and-shoulders silhouette (no real person) on a soft background, BGR."""
    frame = np.full((height, width, 3), (200, 190, 180), np.uint8)
    cv2.ellipse(frame, (width // 2, height + 60), (200, 170), 0, 180, 360, (90, 60, 40), -1)
    cv2.ellipse(frame, (width // 2, height // 2 - 20), (85, 110), 0, 0, 360, (140, 170, 210), -1)
    for dx in (-32, 32):
        cv2.circle(frame, (width // 2 + dx, height // 2 - 40), 9, (40, 40, 40), -1)
    cv2.ellipse(frame, (width // 2, height // 2 + 30), (30, 12), 0, 0, 180, (60, 60, 150), 3)
    return frame


@dataclass
class FakeRuntime:
    config: KioskConfig = field(default_factory=lambda: KioskConfig(site_name="朝阳区某某街道智慧警务室"))
    availability: dict[str, tuple[bool, str | None]] = field(
        default_factory=lambda: {
            "temp_id": (True, None),
            "certificate": (True, None),
            "traffic": (False, "reason.backend_down"),
        }
    )
    flow_options: dict[str, Any] = field(default_factory=dict)
    broken_start: bool = False
    face: tuple[int, int, int, int] | None = (235, 110, 170, 220)
    flows: list[FakeFlow] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)
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

    def detect_face(self, frame: np.ndarray) -> tuple[int, int, int, int] | None:
        return self.face

    def end_session(self, reason: str) -> None:
        self.ended.append(reason)

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
