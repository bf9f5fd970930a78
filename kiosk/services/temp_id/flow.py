"""临时居民身份证: ID number (the citizen's card is lost or being replaced) -> live face vs registry photo ->
eligibility (a pending card application) -> confirm 10 yuan -> pay -> issue -> print the card -> receipt."""

from __future__ import annotations

from contracts import PaymentPurpose, TempIdIneligibleReason
from contracts.idnumber import mask_id_number
from kiosk.flows.base import FlowView, StepKind
from kiosk.flows.common import FlowFailed, ServiceFlow
from kiosk.services.temp_id.documents import card_pdf, fee_receipt

STEPS = ("steps.id_number", "steps.face", "steps.confirm", "steps.pay", "steps.print")


class TemporaryIdFlow(ServiceFlow):
    service = "temp_id"
    steps = STEPS
    delivery_eta_s = 30  # issue + a laminated card: about half a minute
    service_keys = frozenset({
        "doc.temp_id", "take.temp_id_card", "field.validity",
        *(f"error.temp_id.{reason}" for reason in TempIdIneligibleReason),
    })  # fmt: skip

    def first_view(self) -> FlowView:
        # The applicant's card is lost or in production, so there is no card to read.
        return self.identify_view(allow_card=False)

    def _after_identity(self) -> None:
        eligibility = self.ctx.backend.temp_id_eligibility(self.id_number)
        if not eligibility.eligible:
            raise FlowFailed(f"temp_id.{eligibility.reason}", "next.bring_documents")
        self.fee_cents = eligibility.fee_cents
        self.validity_months = eligibility.validity_months
        self.show_face_step()

    def _after_face(self) -> None:
        person = self.ctx.backend.lookup_person(self.id_number)
        self._show(StepKind.CONFIRM, "prompt.confirm", {
            "fields": [["field.name", person.name_masked, ""], ["field.id_number", mask_id_number(self.id_number), ""],
                       ["field.validity", str(self.validity_months), "unit.months"]],
            "amount_cents": self.fee_cents,
        }, ("confirm", "cancel"), 3, back=self._id_entry_view())  # fmt: skip

    def on_confirm(self) -> None:
        self.require_available()
        self.create_order(self.fee_cents)
        self.start_payment(PaymentPurpose.TEMP_ID, 4)

    def _after_paid(self) -> None:
        order = self.order
        assert order is not None and self.verification_token is not None
        self.begin_issue()
        card = self.ctx.backend.issue_temp_id(
            self.id_number, self.verification_token, self.payment_order_id or "", idempotency_key=order.issue_key
        )
        self.ctx.journal.begin_print(order.order_id, card.card_number, "temp_id")
        pdf = card_pdf(card, _capabilities(self.ctx.device("card_printer")))
        self.session.add_print_payload(order.order_id, pdf)
        self.show_printing()
        self.print_or_fail("card_printer", pdf, card.card_number)
        self.ctx.journal.mark_printed(order.order_id)
        receipt = self.print_receipt(
            fee_receipt(order.order_id, order.amount_cents, self.ctx.journal.now(), self.ctx.config.kiosk_id)
        )
        self.ctx.journal.complete(order.order_id)
        self.done("doc.temp_id", ["take.temp_id_card", *(["take.receipt"] if receipt else [])], card.card_number,
                  receipt)  # fmt: skip


def _capabilities(printer: object) -> dict[str, object] | None:
    """The card printer's dpi and stock, for a card laid out exactly for it."""
    capabilities = getattr(printer, "capabilities", None)
    return capabilities() if callable(capabilities) else None
