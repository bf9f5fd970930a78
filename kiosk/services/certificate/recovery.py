"""After a crash: a certificate issued but not printed is printed with the same number. The card type is not
journalled (personal data), so it is printed with the resident-card wording."""

from __future__ import annotations

from contracts import DocumentKind, IssuedDocument, RecordOutcome
from kiosk.journal import OrderRecord
from kiosk.journal.ports import IssueOutcome
from kiosk.recovery.service import RecoveryPrinter, ServiceRecovery
from kiosk.services.certificate.documents import certificate_pdf


class CertificateRecovery(ServiceRecovery):
    def outcome(self, document: IssuedDocument) -> IssueOutcome:
        if document.kind is DocumentKind.CERTIFICATE and document.outcome is RecordOutcome.REFER_TO_COUNTER:
            return IssueOutcome.referred("refer_to_counter")
        if document.kind is DocumentKind.CERTIFICATE and document.outcome is RecordOutcome.PENDING:
            return IssueOutcome.referred("pending_acceptance")
        return super().outcome(document)

    def deliver(self, order: OrderRecord, document: IssuedDocument, printer: RecoveryPrinter, *,
                reprint: bool, kiosk_id: str) -> None:  # fmt: skip
        if document.certificate is None:
            raise LookupError("the backend returned no certificate to print")
        printer.print(order, "document_printer", certificate_pdf(document.certificate),
                      document_number=order.document_number, reprint=reprint)  # fmt: skip
