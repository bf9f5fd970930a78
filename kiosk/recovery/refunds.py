"""Giving money back: a paid order that cannot be delivered is refunded by the kiosk itself, through the
backend's payment platform, during the visit or at any later reconciliation pass, until the backend confirms.

    desk = RefundDesk(client, journal)
    outcome = desk.settle(order)      # REFUND_PENDING -> REFUND_REQUESTED / REFUNDED; REFUND_REQUESTED -> REFUNDED

One refund per payment order, asked under one idempotency key (the order's payment key + "-refund"); the
backend refunds a payment order at most once, so asking again can never pay out twice. A refund the platform
refused stays owed (REFUND_PENDING, last_error refund_failed) and is asked again at the next pass.
"""

from __future__ import annotations

from dataclasses import dataclass

from contracts import ErrorCode, Refund, RefundState
from kiosk.backend.client import BackendClient
from kiosk.backend.errors import BackendRejected
from kiosk.journal import Journal, OrderRecord, OrderState
from kiosk.journal.ports import PortUnavailable
from kiosk.recovery.calls import backend_call

REFUND_FAILED = "refund_failed"


@dataclass(frozen=True)
class RefundOutcome:
    state: str  # refunded | requested (accepted, not confirmed) | failed (refused this time) | owed (not answered)
    reference: str
    amount_cents: int

    def to_view(self) -> dict[str, object]:
        """What the citizen is shown (and the receipt says)."""
        return {"amount_cents": self.amount_cents, "reference": self.reference, "state": str(self.state)}


class RefundDesk:
    def __init__(self, client: BackendClient, journal: Journal) -> None:
        self._client, self._journal = client, journal

    def settle(self, order: OrderRecord) -> RefundOutcome:
        """Move an owed refund as far as the backend allows now; PortUnavailable when it cannot answer."""
        if order.state not in (OrderState.REFUND_PENDING, OrderState.REFUND_REQUESTED):
            raise ValueError(f"order {order.order_id} owes no refund ({order.state})")
        if not order.payment_order_id:
            raise PortUnavailable("a refund needs the payment order id")
        with backend_call():
            refund = self._ask(order)
        return self._record(order, refund)

    def _ask(self, order: OrderRecord) -> Refund:
        if order.state is OrderState.REFUND_REQUESTED:
            try:
                status = self._client.refund_status(order.payment_order_id or "")
            except BackendRejected as rejected:
                if rejected.code != ErrorCode.NOT_FOUND:
                    raise
            else:
                if status.state is not RefundState.FAILED:
                    return status
        reason = (order.last_error or "undeliverable")[:64]
        reason = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "_.") else "_" for ch in reason.lower())
        return self._client.request_refund(order.payment_order_id or "", order.amount_cents, reason or "undeliverable",
                                           idempotency_key=f"{order.payment_key}-refund")  # fmt: skip

    def _record(self, order: OrderRecord, refund: Refund) -> RefundOutcome:
        outcome = RefundOutcome(str(refund.state), refund.refund_id, refund.amount_cents or order.amount_cents)
        if refund.state is RefundState.REFUNDED:
            self._journal.refunded(order.order_id, refund.refund_id)
        elif refund.state is RefundState.REQUESTED and order.state is OrderState.REFUND_PENDING:
            self._journal.refund_requested(order.order_id, refund.refund_id)
        elif refund.state is RefundState.FAILED:
            self._journal.note_error(order.order_id, REFUND_FAILED)
        return outcome
