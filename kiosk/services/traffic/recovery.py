"""After a crash: paying a violation needs only its id and the payment order id, neither personal, so a paid
order whose fines were not settled is settled now with the same per-violation keys; every decision of the
order is read back by its key and printed."""

from __future__ import annotations

from contracts import IssuedDocument
from kiosk.backend.client import BackendClient
from kiosk.backend.errors import BackendRejected
from kiosk.journal import Journal, OrderRecord
from kiosk.journal.ports import IssueOutcome
from kiosk.recovery.service import RecoveryPrinter, ServiceRecovery
from kiosk.services.traffic.documents import decision_receipt


class TrafficRecovery(ServiceRecovery):
    def settle(self, order: OrderRecord, client: BackendClient, journal: Journal) -> IssueOutcome | None:
        """Pay each journalled violation under its own key (already paid ones replay); None when all are."""
        items = journal.order_items(order.order_id)
        if not items or not order.payment_order_id:
            return None  # nothing journalled: only what was paid before the crash can be read back
        for violation_id in items:
            try:
                client.pay_violation(violation_id, order.payment_order_id,
                                     idempotency_key=f"{order.issue_key}-{violation_id}")  # fmt: skip
            except BackendRejected as rejected:
                return IssueOutcome.rejected(f"traffic.{rejected.code}")
        return None

    def deliver(self, order: OrderRecord, document: IssuedDocument, printer: RecoveryPrinter, *,
                reprint: bool, kiosk_id: str) -> None:  # fmt: skip
        if not document.decisions:
            raise LookupError("the backend returned no decisions to print")
        for decision in document.decisions:
            job = decision_receipt(decision.payment, plate_number=decision.plate_number,
                                   description=decision.description, points=decision.points,
                                   order_id=order.order_id, kiosk_id=kiosk_id, is_reprint=reprint)  # fmt: skip
            printer.print(order, "receipt_printer", job, document_number=decision.payment.decision_number,
                          reprint=reprint)  # fmt: skip
