"""The journal's BackendPort over the real BackendClient: payment status and cancel by key, issue read-back.

What can be replayed after a crash, given that the journal keeps no personal data:
- payment status / cancel: by the payment order id; when the crash came before that id was journalled, the
  create call is replayed with the order's payment key and the same non-personal body (amount, purpose, order
  id): the backend answers with the order it made, or makes one that is cancelled at once (a tombstone for
  the key). Nothing here can pay, so a second charge is impossible.
- issue: the issue calls carry the ID number and the face-verification token, so they cannot be repeated.
  The backend is asked what the order's issue key produced (GET /documents/by-key): the same card or
  certificate comes back. Before that a service may settle what it can replay without personal data (traffic:
  pays the journalled violations). Nothing under the key means nothing was issued: a paid order then ends in
  REFUND_PENDING with code `issue_not_replayable` (a free one FAILED), never a second charge.
"""

from __future__ import annotations

from contracts import ErrorCode, IssuedDocument
from contracts import PaymentStatus as BackendPaymentStatus
from kiosk.backend.client import BackendClient
from kiosk.backend.errors import BackendRejected
from kiosk.journal import Journal, OrderRecord
from kiosk.journal.ports import IssueOutcome, PaymentStatus, PortUnavailable
from kiosk.recovery.calls import backend_call
from kiosk.recovery.refunds import RefundDesk
from kiosk.recovery.service import NOT_REPLAYABLE
from kiosk.services import spec_of

_STATUSES = {BackendPaymentStatus.PAID: PaymentStatus.PAID, BackendPaymentStatus.PENDING: PaymentStatus.PENDING,
             BackendPaymentStatus.CANCELLED: PaymentStatus.CANCELLED,
             BackendPaymentStatus.FAILED: PaymentStatus.EXPIRED}  # fmt: skip


class BackendAdapter:
    """The journal's BackendPort over the real BackendClient."""

    def __init__(self, client: BackendClient, journal: Journal) -> None:
        self._client, self._journal = client, journal

    def payment_status(self, payment_key: str, payment_order_id: str | None) -> PaymentStatus:
        with backend_call():
            order_id = payment_order_id or self._replay_create(payment_key)
            try:
                return _STATUSES[self._client.payment_status(order_id).status]
            except BackendRejected as rejected:
                if rejected.code != ErrorCode.NOT_FOUND:
                    raise
                return PaymentStatus.NOT_FOUND

    def cancel_payment(self, payment_key: str, payment_order_id: str | None) -> PaymentStatus:
        with backend_call():
            order_id = payment_order_id or self._replay_create(payment_key)
            try:  # the flow's own cancel key: a cancel it already sent is replayed, not repeated
                status = self._client.cancel_payment(order_id, idempotency_key=f"{payment_key}-cancel").status
            except BackendRejected as rejected:
                if rejected.code == ErrorCode.NOT_FOUND:
                    return PaymentStatus.NOT_FOUND  # no such order at the backend: nothing can be paid
                if rejected.code != ErrorCode.ORDER_NOT_PENDING:
                    raise
                status = self._client.payment_status(order_id).status  # settled meanwhile: say how
            return _STATUSES[status]

    def _replay_create(self, payment_key: str) -> str:
        """The payment order made under this key (or a new, unpaid one, cancelled right after)."""
        order = next((o for o in self._journal.unfinished_orders() if o.payment_key == payment_key), None)
        purpose = spec_of(order.service).payment_purpose if order is not None else None
        if order is None or purpose is None:
            raise PortUnavailable("no unfinished paid order with this payment key")
        payment = self._client.create_payment(order.amount_cents, purpose, order.order_id, idempotency_key=payment_key)
        self._journal.record_payment_order(order.order_id, payment.order_id)
        return payment.order_id

    def issue(self, order: OrderRecord) -> IssueOutcome:
        with backend_call():
            recovery = spec_of(order.service).load_recovery()
            settled = recovery.settle(order, self._client, self._journal)
            if settled is not None:
                return settled
            try:
                document = self._client.issued_document(order.issue_key)
            except BackendRejected as rejected:
                if rejected.code != ErrorCode.NOT_FOUND:
                    raise
                return IssueOutcome.rejected(NOT_REPLAYABLE)  # nothing was issued under the key
            return recovery.outcome(document)

    def refund(self, order: OrderRecord) -> OrderRecord:
        outcome = RefundDesk(self._client, self._journal).settle(order)
        if str(outcome.state) == "failed":
            raise PortUnavailable("the payment platform refused the refund; asked again at the next pass")
        return self._journal.get(order.order_id)

    def fetch_document(self, document_number: str) -> IssuedDocument:
        order = next((o for o in self._journal.unfinished_orders() if o.document_number == document_number), None)
        if order is None:
            raise PortUnavailable("no unfinished order prints this document")
        with backend_call():  # by the order's issue key: the backend reads back nothing by document number
            return self._client.issued_document(order.issue_key)

