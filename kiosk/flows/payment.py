"""Taking the money: a QR payment order under the order's payment key, polled until paid, failed or expired;
a cancel or a time-out asks the backend first, because the citizen may have paid a moment ago. Once paid the
visit is committed. After a failure the order is closed so the journal stays consistent: an unpaid payment is
cancelled, a paid order is refunded by the kiosk itself."""

from __future__ import annotations

import logging

from contracts import PaymentStatus
from kiosk.backend.errors import BackendError
from kiosk.flows.base import StepKind
from kiosk.flows.context import service_availability
from kiosk.flows.failures import FlowFailed
from kiosk.journal.ports import PaymentStatus as Settled
from kiosk.journal.ports import PortUnavailable
from kiosk.journal.records import OrderRecord
from kiosk.journal.states import OrderState
from kiosk.recovery.backend_port import BackendAdapter
from kiosk.recovery.refunds import RefundDesk, RefundOutcome

log = logging.getLogger(__name__)
UNAVAILABLE_CODES = {"reason.out_of_service": "out_of_service", "reason.not_offered": "not_offered",
                     "reason.backend_down": "backend_unavailable"}  # fmt: skip


class PaymentSteps:
    """Mixed into ServiceFlow."""

    def require_available(self) -> None:
        """Decided before any payment: the devices this service needs must be usable right now."""
        available, reason = service_availability(self.ctx, backend_ok=True)[self.service]
        if not available:
            reason = reason or "reason.out_of_service"
            code = UNAVAILABLE_CODES.get(reason) or f"device.{reason.rsplit('.', 1)[-1]}_unavailable"
            raise FlowFailed(code, "next.retry_later")

    def create_order(self, amount_cents: int) -> OrderRecord:
        self.order = self.ctx.journal.create_order(self.service, amount_cents=amount_cents, id_number=self.id_number,
                                                   face=self.face_fields())  # fmt: skip
        self.session.attach_order(self.order.order_id)
        return self.order

    def face_fields(self) -> dict[str, object] | None:
        """What the journal keeps of this visit's face comparison (score, threshold, engine), if there was one."""
        match = getattr(self, "face_match", None)
        return match.journal_fields() if match is not None else None

    def start_payment(self, purpose: str, progress: int) -> None:
        order = self.order
        assert order is not None
        self.ctx.journal.begin_payment(order.order_id)
        payment = self.ctx.backend.create_payment(
            order.amount_cents, purpose, order.order_id, idempotency_key=order.payment_key
        )
        self.ctx.journal.record_payment_order(order.order_id, payment.order_id)
        self.payment_order_id = payment.order_id
        timeout = self.ctx.config.session.payment_timeout_s
        self._payment_deadline = self.ctx.clock() + timeout
        self._show(StepKind.PAY, "prompt.pay", {
            "amount_cents": order.amount_cents, "qr_text": payment.qr_url, "order_ref": order.order_id[:8].upper(),
            "expires_in_s": timeout,
        }, ("check_payment", "cancel"), progress)  # fmt: skip

    def on_check_payment(self) -> None:
        status = self.ctx.backend.payment_status(self.payment_order_id).status  # type: ignore[arg-type]
        if status is PaymentStatus.PAID:
            self._paid()
        elif status in (PaymentStatus.FAILED, PaymentStatus.CANCELLED):
            self.ctx.journal.cancel(self.order.order_id, f"payment_{status}")  # type: ignore[union-attr]
            raise FlowFailed(f"payment_{status}", "next.not_charged", retry=True)
        elif self.ctx.clock() >= self._payment_deadline:
            if not self._cancel_payment("payment_timeout"):
                raise FlowFailed("payment_timeout", "next.not_charged", retry=True)
        else:
            left = max(0, int(self._payment_deadline - self.ctx.clock()))
            self._show(StepKind.PAY, "prompt.pay", {**self._view.data, "expires_in_s": left},
                       self._view.intents, self._view.progress[0])  # fmt: skip

    def _cancel_payment(self, reason: str) -> bool:
        """Cancel at the backend; True when it turned out to be paid (the flow then goes on to issue)."""
        order = self.order
        assert order is not None
        status = BackendAdapter(self.ctx.backend, self.ctx.journal).cancel_payment(order.payment_key,
                                                                                   self.payment_order_id)  # fmt: skip
        self.payment_order_id = self.ctx.journal.get(order.order_id).payment_order_id
        if status is Settled.PAID:
            self._paid()
            return True
        self.ctx.journal.cancel(order.order_id, reason)
        return False

    def _paid(self) -> None:
        order = self.order
        assert order is not None
        self.ctx.journal.mark_paid(order.order_id)
        self.committed = True
        self._show(StepKind.WORKING, "prompt.paid", {"stage_key": "stage.issuing", "eta_s": self.delivery_eta_s,
                                                     "paid_cents": order.amount_cents}, (), len(self.steps))  # fmt: skip
        self._after_paid()

    def _after_paid(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def begin_issue(self) -> None:
        """ISSUE_PENDING before the issue call (re-entrant: a resumed delivery is already there)."""
        assert self.order is not None
        if self.ctx.journal.get(self.order.order_id).state is OrderState.PAID:
            self.ctx.journal.begin_issue(self.order.order_id)

    def close_order_after_failure(self, order: OrderRecord, code: str) -> RefundOutcome | None:
        """Leave the journal consistent; for a paid order, the refund as far as the backend gets it now. An
        issue whose answer never came may have happened: it stays ISSUE_PENDING, and reconciliation reads it
        back by its key and refunds only when nothing was issued."""
        try:
            state = self.ctx.journal.get(order.order_id).state
            if state.terminal or self.keep_order_open or (code == "issue_unconfirmed"
                                                          and state is OrderState.ISSUE_PENDING):  # fmt: skip
                return None
            if state in (OrderState.PAID, OrderState.ISSUE_PENDING, OrderState.PRINT_PENDING) and order.amount_cents:
                return self._refund(self.ctx.journal.request_refund(order.order_id, code))
            if state is OrderState.PAYMENT_PENDING:
                self._cancel_payment(code)
            elif state in (OrderState.CREATED, OrderState.ISSUE_PENDING, OrderState.PRINT_PENDING):
                self.ctx.journal.fail(order.order_id, code)
        except (BackendError, PortUnavailable) as error:  # the order stays journalled: reconciliation settles it
            log.warning("%s flow: order %s left to reconciliation (%s)", self.service, order.order_id,
                        type(error).__name__)  # fmt: skip
        return None

    def _refund(self, order: OrderRecord) -> RefundOutcome:
        """Ask for the refund now; when the backend cannot answer it stays owed and is asked again later."""
        self._show(StepKind.WORKING, "prompt.working", {"stage_key": "stage.refunding"}, (), self._view.progress[0])
        try:
            return RefundDesk(self.ctx.backend, self.ctx.journal).settle(order)
        except (BackendError, PortUnavailable) as error:
            log.warning("refund of order %s not answered now (%s): kept owed", order.order_id, type(error).__name__)
            return RefundOutcome("owed", "", order.amount_cents)
