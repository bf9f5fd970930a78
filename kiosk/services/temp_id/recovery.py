"""After a crash: a temporary ID card issued but not printed is printed with the same card number, then the fee
receipt, exactly as an uninterrupted visit would (the receipt is a courtesy: its failure does not undo the card)."""

from __future__ import annotations

import logging

from contracts import IssuedDocument
from devices.errors import DeviceError
from kiosk.journal import OrderRecord
from kiosk.recovery.service import RecoveryPrinter, ServiceRecovery
from kiosk.services.temp_id.documents import card_pdf, fee_receipt

log = logging.getLogger(__name__)


class TempIdRecovery(ServiceRecovery):
    def deliver(self, order: OrderRecord, document: IssuedDocument, printer: RecoveryPrinter, *,
                reprint: bool, kiosk_id: str) -> None:  # fmt: skip
        if document.temp_id_card is None:
            raise LookupError("the backend returned no card to print")
        printer.print(order, "card_printer", card_pdf(document.temp_id_card, printer.capabilities("card_printer")),
                      document_number=order.document_number, reprint=reprint)  # fmt: skip
        self.finish(order, printer, kiosk_id=kiosk_id)

    def finish(self, order: OrderRecord, printer: RecoveryPrinter, *, kiosk_id: str) -> None:
        """The fee receipt, once (a receipt job already done is not printed again)."""
        if printer.printed_on(order, "receipt_printer"):
            return
        receipt = fee_receipt(order.order_id, order.amount_cents, printer.paid_at(order), kiosk_id)
        try:
            printer.print(order, "receipt_printer", receipt, document_number=None, reprint=False)
        except DeviceError as error:
            log.warning("recovered order %s: receipt not printed (%s)", order.order_id, error.code)
