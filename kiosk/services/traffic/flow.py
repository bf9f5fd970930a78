"""交通违法处理: look up camera-recorded violations by driving licence (card or ID number + live face) or by
plate + plate type + last 6 of the VIN; handle the eligible ones (points to the verified driver), pay the
fines and late fees in one payment, print a decision receipt per violation."""

from __future__ import annotations

import uuid
from typing import Any

from contracts import PLATE_TYPES, IneligibleReason, PaymentPurpose, Violation, ViolationList, ViolationStatus
from kiosk.flows import keys
from kiosk.flows.base import FlowView, StepKind
from kiosk.flows.common import FlowFailed, ServiceFlow
from kiosk.plates import InvalidPlate, validate_plate
from kiosk.services.traffic.documents import decision_receipt

POINTS_LIMIT = 12
PLATE_TYPE_KEYS = [[code, f"plate_type.{code}"] for code in PLATE_TYPES]
STEPS = ("steps.identify", "steps.face", "steps.select", "steps.confirm", "steps.pay", "steps.print")


class TrafficFlow(ServiceFlow):
    service = "traffic"
    steps = STEPS
    delivery_eta_s = 10
    identify_prompt = "prompt.read_card_or_plate"
    identify_intents = ("read_card", "enter_id_number", "lookup_by_plate", "cancel")
    service_keys = frozenset({
        "prompt.read_card_or_plate", "prompt.enter_plate", "prompt.select_items", "doc.traffic_receipt",
        "doc.no_violations", "take.decision_receipt", "field.violations", "field.points", "field.new_points",
        "error.points_limit", "error.traffic.bad_selection", "reason.traffic.needs_driver",
        *(f"reason.traffic.{reason}" for reason in IneligibleReason), *(key for _code, key in PLATE_TYPE_KEYS),
        *keys.PLATE_ERRORS,
    })  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.violations: dict[str, Violation] = {}
        self.driver_points: int | None = None
        self.selected: list[str] = []
        self._handling_key = uuid.uuid4().hex  # one key family per visit: a retried handling is not doubled
        super().__init__(*args, **kwargs)

    def first_view(self) -> FlowView:
        return self.identify_view(allow_card=True)

    @property
    def identified(self) -> bool:
        return self.verification_token is not None

    # -- lookup ---------------------------------------------------------------------------------------
    def on_lookup_by_plate(self, error_key: str | None = None) -> None:
        data: dict[str, Any] = {"plate_types": PLATE_TYPE_KEYS}
        if error_key:
            data["error_key"] = error_key
        back = self._view.back if self._view.step is StepKind.ENTER_PLATE else self._view
        self._show(StepKind.ENTER_PLATE, "prompt.enter_plate", data, ("submit_plate", "cancel"), 1, back)

    def on_submit_plate(self, plate: str, plate_type: str, vin6: str) -> None:
        try:
            plate = validate_plate(plate, plate_type)
        except InvalidPlate as error:
            self.on_lookup_by_plate(f"error.plate.{error.reason}")
            return
        vin6 = vin6.strip().upper()
        if len(vin6) != 6 or not (vin6.isascii() and vin6.isalnum()) or set(vin6) & set("IOQ"):
            self.on_lookup_by_plate("error.plate.bad_vin")
            return
        self._show_items(self.ctx.backend.violations_by_plate(plate, plate_type, vin6))

    def _after_identity(self) -> None:
        self.show_face_step()

    def _after_face(self) -> None:
        self._show_items(self.ctx.backend.violations_by_licence(self.id_number))

    # -- choose ---------------------------------------------------------------------------------------
    def _eligibility(self, violation: Violation) -> tuple[bool, str | None]:
        if violation.status is ViolationStatus.PAID:
            return False, "reason.traffic.already_paid"
        if violation.status is ViolationStatus.HANDLED:
            return True, None  # decided already: only the fine (and any late fee) is due
        if not violation.self_service:
            return False, f"reason.traffic.{violation.reason}"
        if not self.identified:
            return False, "reason.traffic.needs_driver"
        return True, None

    def _show_items(self, found: ViolationList, error_key: str | None = None) -> None:
        self.violations = {v.violation_id: v for v in found.violations}
        self.driver_points = found.driver_points
        if not self.violations:
            self.done("doc.no_violations", [], outcome="nothing_found", prompt_key="prompt.nothing_found")
            return
        items = []
        for violation in found.violations:
            eligible, reason = self._eligibility(violation)
            items.append({
                "id": violation.violation_id, "title": violation.description,
                "detail": f"{violation.time:%Y-%m-%d %H:%M} {violation.place} {violation.plate_number}",
                "fine_cents": violation.fine_cents, "late_fee_cents": violation.late_fee_cents,
                "points": violation.points, "eligible": eligible, "reason_key": reason,
            })  # fmt: skip
        data: dict[str, Any] = {"items": items, "driver_points": found.driver_points}
        if error_key:
            data["error_key"] = error_key
        self._show(StepKind.SELECT_ITEMS, "prompt.select_items", data, ("select_items", "cancel"), 3)

    def on_select_items(self, ids: list[str]) -> None:
        chosen = [self.violations[i] for i in ids if i in self.violations]
        if not chosen or any(not self._eligibility(v)[0] for v in chosen):
            raise FlowFailed("traffic.bad_selection", "next.retry_later", retry=True)
        new_points = sum(v.points for v in chosen if v.status is ViolationStatus.UNHANDLED)
        if new_points and (self.driver_points or 0) + new_points >= POINTS_LIMIT:
            self._show_items(ViolationList(driver_points=self.driver_points, violations=list(self.violations.values())),
                             "error.points_limit")  # fmt: skip
            return
        self.selected = [v.violation_id for v in chosen]
        total = sum(self._amount_due(v) for v in chosen)
        self._show(StepKind.CONFIRM, "prompt.confirm", {
            "fields": [["field.violations", str(len(chosen)), "unit.items"],
                       ["field.new_points", str(new_points), "unit.points"]],
            "amount_cents": total,
        }, ("confirm", "cancel"), 4, back=self._view)  # fmt: skip

    @staticmethod
    def _amount_due(violation: Violation) -> int:
        return violation.amount_due_cents or violation.fine_cents + violation.late_fee_cents

    # -- handle, pay, print ---------------------------------------------------------------------------------
    def on_confirm(self) -> None:
        self.require_available()
        decisions: dict[str, str] = {}
        for vid in self.selected:
            violation = self.violations[vid]
            if violation.status is ViolationStatus.UNHANDLED:
                decision = self.ctx.backend.handle_violation(
                    vid, self.id_number, self.verification_token or "", idempotency_key=f"{self._handling_key}-{vid}"
                )
                decisions[vid] = decision.decision_number
        self.decisions = decisions
        total = sum(self._amount_due(self.violations[v]) for v in self.selected)
        self.order = self.ctx.journal.create_order(
            self.service, amount_cents=total, id_number=self.session.identity.get("id_number"), face=self.face_fields()
        )
        self.session.attach_order(self.order.order_id)
        self.ctx.journal.record_order_items(self.order.order_id, self.selected)  # replayable after a crash
        self.start_payment(PaymentPurpose.TRAFFIC_FINE, 5)

    def _after_paid(self) -> None:
        order = self.order
        assert order is not None
        self.begin_issue()
        payments = [
            self.ctx.backend.pay_violation(vid, self.payment_order_id or "", idempotency_key=f"{order.issue_key}-{vid}")
            for vid in self.selected
        ]
        self.ctx.journal.begin_print(order.order_id, payments[0].decision_number, "traffic_decision")
        self.show_printing(5 * len(payments))
        for payment in payments:
            violation = self.violations[payment.violation_id]
            job = decision_receipt(payment, plate_number=violation.plate_number, description=violation.description,
                                   points=violation.points, order_id=order.order_id,
                                   kiosk_id=self.ctx.config.kiosk_id)  # fmt: skip
            self.print_or_fail("receipt_printer", job, payment.decision_number)
        self.ctx.journal.mark_printed(order.order_id)
        self.ctx.journal.complete(order.order_id)
        self.done("doc.traffic_receipt", ["take.decision_receipt"], payments[0].decision_number, True)


__all__ = ["TrafficFlow"]
