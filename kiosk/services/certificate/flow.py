"""无犯罪记录证明: card (or ID number) -> live face -> own record check and yearly cap -> purpose -> confirm
-> issue -> print on A4. Free. A record found is referred to the counter without details on screen; an
undecidable case gets an acceptance receipt (受理回执) with its reference number."""

from __future__ import annotations

from contracts import Certificate, CertificateOutcome, RecordOutcome
from contracts.idnumber import mask_id_number
from kiosk.flows.base import FlowView, StepKind
from kiosk.flows.common import FlowFailed, ServiceFlow
from kiosk.services.certificate.documents import acceptance_slip, certificate_pdf

STEPS = ("steps.identify", "steps.face", "steps.purpose", "steps.confirm", "steps.print")


class CertificateFlow(ServiceFlow):
    service = "certificate"
    steps = STEPS
    delivery_eta_s = 15
    service_keys = frozenset({
        "prompt.choose_purpose", "doc.certificate", "doc.acceptance_receipt", "take.certificate",
        "take.acceptance_receipt", "field.purpose", "error.certificate.yearly_cap",
        "error.certificate.refer_to_counter", "error.certificate.bad_purpose",
    })  # fmt: skip

    def first_view(self) -> FlowView:
        return self.identify_view(allow_card=True)

    def _after_identity(self) -> None:
        self.show_face_step()

    def _after_face(self) -> None:
        check = self.ctx.backend.check_record(self.id_number, self.verification_token or "")
        if check.cap_reached:
            raise FlowFailed("certificate.yearly_cap", "next.counter")
        if check.outcome is RecordOutcome.REFER_TO_COUNTER:
            raise FlowFailed("certificate.refer_to_counter", "next.counter")
        self._show_purposes()

    def _show_purposes(self) -> None:
        purposes = list(self.ctx.config.services.certificate.purposes)
        self._show(StepKind.CHOOSE_PURPOSE, "prompt.choose_purpose", {"purposes": purposes},
                   ("submit_purpose", "cancel"), 3)  # fmt: skip

    def on_submit_purpose(self, purpose: str) -> None:
        if purpose not in self.ctx.config.services.certificate.purposes:
            raise FlowFailed("certificate.bad_purpose", "next.retry_later", retry=True)
        self.session.set_form_value("purpose", purpose)
        self._show(StepKind.CONFIRM, "prompt.confirm", {
            "fields": [["field.id_number", mask_id_number(self.id_number), ""], ["field.purpose", purpose, ""]],
            "amount_cents": 0,
        }, ("confirm", "cancel"), 4, back=self._view)  # fmt: skip

    def on_confirm(self) -> None:
        self.require_available()
        order = self.create_order(0)
        self.ctx.journal.begin_issue(order.order_id)
        self._show(StepKind.WORKING, "prompt.working", {"stage_key": "stage.checking"}, (), 5)
        outcome = self.ctx.backend.request_certificate(
            self.id_number, self.verification_token or "", self.session.form["purpose"],
            idempotency_key=order.issue_key,
        )  # fmt: skip
        if outcome.outcome is RecordOutcome.REFER_TO_COUNTER:
            self.ctx.journal.refer(order.order_id, "referred")
            raise FlowFailed("certificate.refer_to_counter", "next.counter")
        if outcome.outcome is RecordOutcome.PENDING:
            self._accepted(outcome)
            return
        assert outcome.certificate is not None
        self._print_certificate(outcome.certificate)

    def _accepted(self, outcome: CertificateOutcome) -> None:
        """Not decidable at once: an acceptance slip that says where and how to look the result up."""
        order = self.order
        assert order is not None
        acceptance_number = outcome.acceptance_number or ""
        receipt = self.print_receipt(acceptance_slip(
            acceptance_number, self.ctx.journal.now(), self.ctx.config.kiosk_id, result_url=outcome.result_url,
            settle_by=outcome.settle_by,
        ))  # fmt: skip
        self.ctx.journal.refer(order.order_id, "pending_acceptance")
        self.done("doc.acceptance_receipt", ["take.acceptance_receipt"] if receipt else [], acceptance_number,
                  receipt, outcome="accepted", prompt_key="prompt.accepted")  # fmt: skip

    def _print_certificate(self, certificate: Certificate) -> None:
        order = self.order
        assert order is not None
        self.ctx.journal.begin_print(order.order_id, certificate.certificate_number, "certificate")
        pdf = certificate_pdf(certificate, self.session.identity.get("card_type", "resident"))
        self.session.add_print_payload(order.order_id, pdf)
        self.show_printing()
        self.print_or_fail("document_printer", pdf, certificate.certificate_number)
        self.ctx.journal.mark_printed(order.order_id)
        self.ctx.journal.complete(order.order_id)
        self.done("doc.certificate", ["take.certificate"], certificate.certificate_number)
