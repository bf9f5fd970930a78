"""港澳签注 (re-endorsement): ID card or number -> the permit number -> the permit on the reader (its chip opened
with BAC) -> liveness and the face against the chip's photo -> what the holder may get now -> choose -> confirm
-> pay -> the backend issues a signed endorsement -> written to the chip (read back) -> printed on the back ->
the backend told -> receipt.

An endorsement issued and paid but never written (the permit pulled out, a crash) is finished when that permit
is presented again: the backend hands the same record back, so there is no second charge and no second issue.
"""

from __future__ import annotations

import re
from typing import Any

import cv2
import numpy as np

from contracts import EndorsementOption, EndorsementRefusal, IssuedEndorsement, PaymentPurpose
from contracts.endorsement import PERMIT_NUMBER_PATTERN
from devices.errors import DeviceError
from devices.permit.errors import AccessDenied, CardRemoved, NoCard
from devices.permit.mrz import AccessKey
from kiosk.face import FaceReference
from kiosk.face.local import LocalFaceVerifier
from kiosk.flows.base import FlowView, StepKind
from kiosk.flows.common import FlowFailed, ServiceFlow
from kiosk.flows.context import device_usable
from kiosk.journal.states import OrderState
from kiosk.services.endorsement.documents import back_block, chip_record, fee_receipt

STEPS = ("steps.identify", "steps.permit", "steps.face", "steps.choose", "steps.pay", "steps.print")
_FULL_WIDTH = str.maketrans({chr(0xFF10 + n): str(n) for n in range(10)} | {chr(0xFF21 + n): chr(0x41 + n) for n in range(26)})
OPTION_KEYS = ("place.HK", "place.MO", "endorsement_type.G", "endorsement_type.L", "entries.1", "entries.2")


class EndorsementFlow(ServiceFlow):
    service = "endorsement"
    steps = STEPS
    delivery_eta_s = 25  # issue, chip write and read-back, erase and print the back
    service_keys = frozenset({
        "prompt.enter_permit_number", "prompt.read_permit", "prompt.choose_endorsement", "doc.endorsement",
        "take.permit", "stage.writing_chip", "stage.printing_back", "field.destination", "field.endorsement_type",
        "field.entries", "field.validity", "error.permit_number.bad_format", "error.permit_number.unknown",
        "error.permit_number.mismatch", "error.endorsement.write_pending", "error.endorsement.not_holder",
        "next.present_permit_again", *OPTION_KEYS,
        *(f"error.endorsement.{reason}" for reason in EndorsementRefusal),
    })  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.permit_number = ""
        self.access: AccessKey | None = None
        self.options: list[EndorsementOption] = []
        self.choice: EndorsementOption | None = None
        self._chip_photo: np.ndarray | None = None
        super().__init__(*args, **kwargs)

    def first_view(self) -> FlowView:
        return self.identify_view(allow_card=True)

    # -- the permit --------------------------------------------------------------------------------------
    def _after_identity(self) -> None:
        self._publish(self._permit_number_view())

    def _permit_number_view(self, error_key: str | None = None) -> FlowView:
        data = {"error_key": error_key} if error_key else {}
        return self.make_view(StepKind.ENTER_PERMIT_NUMBER, "prompt.enter_permit_number", data,
                              ("submit_permit_number", "cancel"), 2, back=self.identify_view())  # fmt: skip

    def on_submit_permit_number(self, permit_number: str) -> None:
        number = str(permit_number)[:16].translate(_FULL_WIDTH).strip().upper().replace(" ", "")
        if not re.fullmatch(PERMIT_NUMBER_PATTERN, number) or not number.isascii():
            self._publish(self._permit_number_view("error.permit_number.bad_format"))
            return
        from kiosk.backend.errors import BackendRejected

        try:
            access = self.ctx.backend.permit_access(self.id_number, number)
        except BackendRejected as rejected:
            if rejected.code != "not_found":
                raise
            self._publish(self._permit_number_view("error.permit_number.unknown"))
            return
        self.permit_number = number
        self.access = AccessKey(access.document_number, access.birth_date, access.expiry_date)
        self._show_read_permit()

    def _show_read_permit(self, error_key: str | None = None) -> None:
        if not device_usable(self.ctx.device("permit_reader")):
            raise FlowFailed("device.permit_reader_unavailable", "next.retry_later")
        data = {"error_key": error_key} if error_key else {}
        self._show(StepKind.READ_PERMIT, "prompt.read_permit", data, ("read_permit", "cancel"), 2,
                   back=self._permit_number_view())  # fmt: skip

    def on_read_permit(self) -> None:
        reader = self.ctx.device("permit_reader")
        assert self.access is not None
        try:
            permit = reader.read_permit(self.access, timeout=self.ctx.card_read_timeout_s, cancel=self._cancel)
        except NoCard:
            return  # not on the reader yet: the screen asks again
        except CardRemoved:
            self._show_read_permit("error.card_read_failed")
            return
        except AccessDenied:  # the number typed is not this permit's
            self._publish(self._permit_number_view("error.permit_number.mismatch"))
            return
        try:
            self._accept_permit(permit)
        finally:
            permit.wipe()

    def _accept_permit(self, permit: Any) -> None:
        if permit.personal_number and permit.personal_number != self.id_number:
            raise FlowFailed("endorsement.not_holder", "next.counter")
        if permit.is_expired(self.ctx.journal.now().date()):
            raise FlowFailed("endorsement.permit_expired", "next.counter")
        photo = np.frombuffer(bytes(permit.photo), dtype=np.uint8)
        self._chip_photo = cv2.imdecode(photo, cv2.IMREAD_COLOR) if photo.size else None
        if self._chip_photo is None:
            raise FlowFailed("device.damaged_data", "next.counter")
        eligibility = self.ctx.backend.endorsement_eligibility(self.id_number, self.permit_number)
        if eligibility.unwritten is not None:
            self._finish_unwritten(eligibility.unwritten)
        elif not eligibility.eligible:
            extra = {"retry_on": eligibility.next_allowed_on.isoformat()} if eligibility.next_allowed_on else {}
            raise FlowFailed(f"endorsement.{eligibility.reason or 'unknown_permit'}", "next.counter", extra=extra)
        else:
            self.options = list(eligibility.options)
            self.show_face_step(progress=3)

    # -- the face against the chip's photo -------------------------------------------------------------------
    def face_verifier(self) -> Any:
        return LocalFaceVerifier(threshold=self.ctx.config.face.match_threshold)

    def face_reference(self) -> FaceReference:
        return FaceReference(photo=self._chip_photo)

    def _after_face(self) -> None:
        match = self.face_match
        self.face_evidence = {"engine": match.engine_version or "local", "live": True, "score": round(match.score, 4),
                              "threshold": match.threshold}  # fmt: skip
        self._wipe_chip_photo()
        options = [{"id": n, "destination": str(o.destination), "type": str(o.type), "entries": o.entries,
                    "validity_months": o.validity_months, "fee_cents": o.fee_cents}
                   for n, o in enumerate(self.options)]  # fmt: skip
        self._show(StepKind.CHOOSE_ENDORSEMENT, "prompt.choose_endorsement", {"options": options},
                   ("choose_endorsement", "cancel"), 4)  # fmt: skip

    def on_choose_endorsement(self, option_id: int) -> None:
        if not isinstance(option_id, int) or not 0 <= option_id < len(self.options):
            raise FlowFailed("traffic.bad_selection", "next.retry_later", retry=True)
        self.choice = option = self.options[option_id]
        self._show(StepKind.CONFIRM, "prompt.confirm", {
            "fields": [["field.destination", "", f"place.{option.destination}"],
                       ["field.endorsement_type", "", f"endorsement_type.{option.type}"],
                       ["field.entries", "", f"entries.{option.entries}"],
                       ["field.validity", str(option.validity_months), "unit.months"]],
            "amount_cents": option.fee_cents,
        }, ("confirm", "cancel"), 4, back=self._view)  # fmt: skip

    # -- pay, issue, write, print ------------------------------------------------------------------------------
    def on_confirm(self) -> None:
        assert self.choice is not None
        self.require_available()
        self.create_order(self.choice.fee_cents)
        self.start_payment(PaymentPurpose.ENDORSEMENT, 5)

    def _after_paid(self) -> None:
        order, option = self.order, self.choice
        assert order is not None and option is not None
        self.begin_issue()
        issued = self.ctx.backend.issue_endorsement({
            "id_number": self.id_number, "permit_number": self.permit_number, "destination": str(option.destination),
            "type": str(option.type), "entries": option.entries, "validity_months": option.validity_months,
            "payment_order_id": self.payment_order_id or "", "face": self.face_evidence,
        }, idempotency_key=order.issue_key)  # fmt: skip
        self._deliver(issued)

    def _deliver(self, issued: IssuedEndorsement) -> None:
        """Write the chip, print the back, tell the backend; a permit pulled out keeps the order open."""
        order = self.order
        assert order is not None
        if self.ctx.journal.get(order.order_id).state is not OrderState.PRINT_PENDING:
            self.ctx.journal.begin_print(order.order_id, issued.number, "endorsement")
        self._show(StepKind.WORKING, "prompt.paid", {"stage_key": "stage.writing_chip", "eta_s": self.delivery_eta_s,
                                                     "paid_cents": order.amount_cents}, (), len(self.steps))  # fmt: skip
        try:
            self.ctx.device("permit_reader").write_endorsement(chip_record(issued), timeout=20, cancel=None)
        except DeviceError as error:
            self.keep_order_open = True  # issued and paid: finished when the permit comes back, never lost
            self.print_receipt(fee_receipt(order.order_id, order.amount_cents, self.ctx.journal.now(),
                                           self.ctx.config.kiosk_id))  # fmt: skip
            raise FlowFailed("endorsement.write_pending", "next.present_permit_again") from error
        self.show_printing(10)
        self.print_or_fail("rewritable_printer", back_block(issued), issued.number)
        self.ctx.backend.endorsement_written(issued.number)
        self.ctx.journal.mark_printed(order.order_id)
        receipt = order.amount_cents == 0 or self.print_receipt(
            fee_receipt(order.order_id, order.amount_cents, self.ctx.journal.now(), self.ctx.config.kiosk_id))
        self.ctx.journal.complete(order.order_id)
        self.done("doc.endorsement", ["take.permit", *(["take.receipt"] if receipt else [])], issued.number,
                  bool(receipt and order.amount_cents))  # fmt: skip

    def _finish_unwritten(self, issued: IssuedEndorsement) -> None:
        """The same record again (paid and issued before): write and print it, no payment, the old order closed."""
        self._wipe_chip_photo()
        earlier = next((o for o in self.ctx.journal.unfinished_orders() if o.document_number == issued.number), None)
        if earlier is None:  # issued through another kiosk: a free order here keeps the trail
            earlier = self.create_order(0)
            self.ctx.journal.begin_issue(earlier.order_id)
        self.order, self.committed = earlier, True
        self.session.attach_order(earlier.order_id)
        self._deliver(issued)

    def _wipe_chip_photo(self) -> None:
        """The chip's photo and its face template: not a moment longer than the comparison needs them."""
        if self._chip_photo is not None:
            self._chip_photo.fill(0)
            self._chip_photo = None
        attempts = getattr(self, "_attempts", None)  # not made yet while the flow is being built
        if attempts is not None:
            attempts.verifier.wipe()

    def wipe_visit_data(self) -> None:
        super().wipe_visit_data()
        self._wipe_chip_photo()
        reader = self.ctx.device("permit_reader")
        if reader is not None and hasattr(reader, "end_session"):
            reader.end_session()  # the reader keeps the access key between read and write: drop it
