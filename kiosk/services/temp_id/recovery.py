"""After a crash: a temporary ID card issued but not printed is printed with the same card number."""

from __future__ import annotations

from contracts import IssuedDocument
from kiosk.journal import OrderRecord
from kiosk.recovery.service import RecoveryPrinter, ServiceRecovery
from kiosk.services.temp_id.documents import card_pdf


class TempIdRecovery(ServiceRecovery):
    def deliver(self, order: OrderRecord, document: IssuedDocument, printer: RecoveryPrinter, *,
                reprint: bool, kiosk_id: str) -> None:  # fmt: skip
        if document.temp_id_card is None:
            raise LookupError("the backend returned no card to print")
        printer.print(order, "card_printer", card_pdf(document.temp_id_card),
                      document_number=order.document_number, reprint=reprint)  # fmt: skip
