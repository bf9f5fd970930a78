"""Printing what the citizen takes away, through the spooler (each job journalled before it is sent, transient
errors retried within a deadline), with the time left shown; the receipt is a courtesy that never fails a visit;
a refund gets its own receipt."""

from __future__ import annotations

from typing import Any

from devices.errors import DeviceError
from kiosk.flows import keys
from kiosk.flows.base import StepKind
from kiosk.flows.failures import FlowFailed
from kiosk.journal.records import OrderRecord
from kiosk.recovery.refunds import RefundOutcome
from printing.receipts import RefundReceiptData, refund_receipt

PRINT_DEADLINE_S = 120.0  # a card takes ~40 s; beyond two minutes the citizen is told and staff called


class PrintSteps:
    """Mixed into ServiceFlow. `delivery_eta_s`: about how long issuing and printing take, for the screen."""

    delivery_eta_s = 20

    def show_printing(self, eta_s: int | None = None) -> None:
        data: dict[str, Any] = {"stage_key": "stage.printing", "eta_s": eta_s or self.delivery_eta_s}
        if self.order is not None and self.order.amount_cents:
            data["paid_cents"] = self.order.amount_cents
        self._show(StepKind.WORKING, "prompt.paid" if self.committed else "prompt.working", data, (),
                   len(self.steps))  # fmt: skip

    def print_or_fail(self, kind: str, document: Any, document_number: str | None = None) -> None:
        """Print an order's document; a failure ends the visit (a paid one is refunded)."""
        error = self._print(kind, document, document_number)
        if error is not None:
            raise FlowFailed(keys.device_failure(error), "next.call_staff")

    def print_receipt(self, job: Any) -> bool:
        """Receipts are a courtesy: a failure is journalled, never a reason to fail a finished service."""
        error = self._print("receipt_printer", job, None)
        if error is not None and self.order is not None:
            self.ctx.journal.note_error(self.order.order_id, f"receipt_{error}"[:64])
        return error is None

    def print_refund_receipt(self, order: OrderRecord, outcome: RefundOutcome) -> bool:
        return self.print_receipt(refund_receipt(RefundReceiptData(
            order_id=order.order_id, service_name=self.display_name, amount_fen=outcome.amount_cents,
            refund_reference=outcome.reference, state=outcome.state, at=self.ctx.journal.now(),
            kiosk_id=self.ctx.config.kiosk_id,
        )))  # fmt: skip

    def _print(self, kind: str, document: Any, document_number: str | None) -> str | None:
        """None when printed, else the error code."""
        order_id = self.order.order_id if self.order is not None else "no-order"
        if self.ctx.spooler is not None:
            outcome = self.ctx.spooler.print_and_wait(order_id, kind, document, document_number=document_number,
                                                      job_name=order_id, deadline_s=PRINT_DEADLINE_S)  # fmt: skip
            return None if outcome.ok else (outcome.error_code or "print_failed")
        printer = self.ctx.device(kind)
        if printer is None:
            return f"{kind}_missing"
        try:
            if hasattr(document, "elements"):
                printer.print_job(document, timeout=PRINT_DEADLINE_S)
            else:
                printer.print_pdf(document, job_name=order_id, timeout=PRINT_DEADLINE_S)
        except DeviceError as failure:
            return failure.code
        return None

    def done(self, document_key: str, take_items: list[str], document_number: str | None = None,
             receipt: bool = False, outcome: str = "issued", prompt_key: str = "prompt.done") -> None:  # fmt: skip
        data: dict[str, Any] = {"outcome": outcome, "document_key": document_key, "take_items": take_items,
                                "receipt": receipt}  # fmt: skip
        if document_number:
            data["document_number"] = document_number
        if self.order is not None and self.order.amount_cents and self.committed:
            data["paid_cents"] = self.order.amount_cents
        self._show(StepKind.DONE, prompt_key, data, ("finish",), len(self.steps))
        self._end_if_abandoned()
