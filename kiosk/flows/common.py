"""Steps every service shares: identify (card or ID number), verify the live face, take payment, print,
and turn every failure into a view that tells the citizen what to do next.

Money rules: the journal row moves before each side effect; a payment is created once per order under the
order's payment key; once paid, a failure ends in REFUND_PENDING (never silently dropped); a cancel or a
time-out at the payment step asks the backend first, because the citizen may have paid a moment ago.
"""

from __future__ import annotations

import logging
from typing import Any

from contracts import PaymentStatus
from contracts.idnumber import InvalidIdNumber, validate_id_number
from devices.errors import DeviceError
from devices.idcard.errors import CardRemoved, NoCard
from devices.operation import CancelToken
from kiosk.backend.errors import BackendError, BackendRejected, BackendUnavailable
from kiosk.face import FaceReference, VerificationAttempts
from kiosk.flows.base import FlowError, FlowView, StepKind
from kiosk.flows.context import ServiceContext, service_availability
from kiosk.journal.ports import PaymentStatus as Settled
from kiosk.journal.ports import PortUnavailable
from kiosk.journal.records import OrderRecord
from kiosk.journal.states import OrderState
from kiosk.recovery.backend_port import BackendAdapter

log = logging.getLogger(__name__)

PRINT_DEADLINE_S = 120.0  # a card takes ~40 s; beyond two minutes the citizen is told and staff called


class FlowFailed(Exception):
    """Ends the flow on the failed view with an error code and what to do next."""

    def __init__(self, code: str, next_key: str = "next.retry_later") -> None:
        super().__init__(code)
        self.code, self.next_key = code, next_key


class ServiceFlow:
    """Base of the three service flows. Subclasses define `first_view()` and the `_after_*` hooks."""

    service = ""
    total_steps = 5

    def __init__(self, context: ServiceContext) -> None:
        self.ctx = context
        self.session = context.session
        self.order: OrderRecord | None = None
        self.payment_order_id: str | None = None
        self._payment_deadline = 0.0
        self.verification_token: str | None = None
        self._cancel = CancelToken()  # abort() wakes a blocked card read at once
        self._attempts = VerificationAttempts(context.verifier, context.config.face.max_attempts)
        self._view = self.first_view()

    # -- the Flow protocol ---------------------------------------------------------------------------
    def view(self) -> FlowView:
        return self._view

    def handle(self, intent: str, **payload: Any) -> FlowView:
        if intent not in self._view.intents:
            raise FlowError("intent_not_allowed", f"{intent!r} is not possible at step {self._view.step}")
        try:
            getattr(self, f"on_{intent}")(**payload)
        except FlowFailed as failure:
            self._fail(failure.code, failure.next_key)
        except BackendUnavailable:
            self._fail("backend_unavailable", "next.retry_later")
        except BackendRejected as rejected:
            self._fail(f"backend.{rejected.code}", "next.counter")
        except DeviceError as error:
            self._fail(f"device.{error.code}", "next.call_staff")
        return self._view

    def abort(self) -> None:
        """Idle time-out or walk-away: never leave a payment open, then wipe the session."""
        self._cancel.cancel()
        try:
            if self._view.step is StepKind.PAY and self.order is not None:
                self._cancel_payment("abandoned")
        except Exception:  # the wipe must happen whatever the backend says
            log.warning("abort: could not cancel the payment of order %s", self.order and self.order.order_id)
        finally:
            self.session.wipe()

    # -- views ---------------------------------------------------------------------------------------
    def first_view(self) -> FlowView:  # pragma: no cover - abstract
        raise NotImplementedError

    def _show(self, step: StepKind, prompt_key: str, data: dict[str, Any] | None = None,
              intents: tuple[str, ...] = ("cancel",), progress: int = 0) -> None:  # fmt: skip
        self._view = FlowView(self.service, step, prompt_key, dict(data or {}), intents, (progress, self.total_steps))

    def _fail(self, code: str, next_key: str) -> None:
        log.info("%s flow failed: %s", self.service, code)
        order = self.order
        state = self.ctx.journal.get(order.order_id).state if order is not None else None
        if order is not None and state is not None and not state.terminal:
            try:
                self._close_order_after_failure(order, state, code)
            except (BackendError, PortUnavailable) as error:  # the order stays journalled: start-up settles it
                log.warning("%s flow: order %s left to reconciliation (%s)", self.service, order.order_id,
                            type(error).__name__)  # fmt: skip
        self._show(StepKind.FAILED, "prompt.failed", {"error_code": code, "next_key": next_key}, ("finish",))

    def _close_order_after_failure(self, order: OrderRecord, state: OrderState, code: str) -> None:
        if state in (OrderState.PAID, OrderState.ISSUE_PENDING, OrderState.PRINT_PENDING) and order.amount_cents > 0:
            self.ctx.journal.request_refund(order.order_id, code)
        elif state is OrderState.PAYMENT_PENDING:
            self._cancel_payment(code)
        elif state in (OrderState.CREATED, OrderState.ISSUE_PENDING, OrderState.PRINT_PENDING):
            self.ctx.journal.fail(order.order_id, code)

    def on_cancel(self) -> None:
        if self._view.step is StepKind.PAY:
            if self._cancel_payment("cancelled_by_citizen"):
                return  # it was paid after all: the flow went on to issue
        elif self.order is not None and not self.ctx.journal.get(self.order.order_id).terminal:
            self.ctx.journal.cancel(self.order.order_id, "cancelled_by_citizen")
        self._show(StepKind.FAILED, "prompt.cancelled", {"error_code": "cancelled", "next_key": "next.not_charged"},
                   ("finish",))  # fmt: skip

    def on_finish(self) -> None:
        self.session.wipe()
        self._show(self._view.step, self._view.prompt_key, dict(self._view.data), ())

    # -- identify ------------------------------------------------------------------------------------
    def identify_view(self, allow_card: bool = True) -> FlowView:
        if allow_card:
            return FlowView(self.service, StepKind.READ_CARD, "prompt.read_card", {},
                            ("read_card", "enter_id_number", "cancel"), (1, self.total_steps))  # fmt: skip
        return self._id_entry_view()

    def _id_entry_view(self, error_key: str | None = None) -> FlowView:
        data = {"error_key": error_key} if error_key else {}
        return FlowView(self.service, StepKind.ENTER_ID_NUMBER, "prompt.enter_id_number", data,
                        ("submit_id_number", "cancel"), (1, self.total_steps))  # fmt: skip

    def on_enter_id_number(self) -> None:
        self._view = self._id_entry_view()

    def on_read_card(self) -> None:
        reader = self.ctx.device("idcard")
        if reader is None:
            raise FlowFailed("device.idcard_missing", "next.enter_id_number")
        try:
            document = reader.read_card(timeout=self.ctx.card_read_timeout_s, cancel=self._cancel)
        except (NoCard, CardRemoved) as error:
            self._show(StepKind.READ_CARD, "prompt.read_card", {"error_key": f"error.{error.code}"},
                       ("read_card", "enter_id_number", "cancel"), 1)  # fmt: skip
            return
        try:
            if document.is_expired(self.ctx.journal.now().date()):
                raise FlowFailed("card_expired", "next.counter")
            self.session.set_identity({
                "id_number": document.id_number, "name": document.name, "sex": document.sex,
                "card_type": document.card_type,
            })  # fmt: skip
        finally:
            document.wipe()
        self._after_identity()

    def on_submit_id_number(self, id_number: str) -> None:
        try:
            number = validate_id_number(id_number)
        except InvalidIdNumber as error:
            self._view = self._id_entry_view(f"error.id_number.{error.reason}")
            return
        self.session.set_identity({"id_number": number})
        self._after_identity()

    @property
    def id_number(self) -> str:
        return self.session.identity["id_number"]

    def _after_identity(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- live face -----------------------------------------------------------------------------------
    def show_face_step(self, guidance_key: str | None = None, progress: int = 2) -> None:
        data: dict[str, Any] = {"attempt": self._attempts.attempts_used + 1, "max_attempts": self._attempts.max_attempts}
        if guidance_key:
            data["guidance_key"] = guidance_key
        self._show(StepKind.CAPTURE_FACE, "prompt.capture_face", data, ("capture_face", "cancel"), progress)

    def on_capture_face(self, frame: Any) -> None:
        self.session.add_face_frame(frame)
        report = self.ctx.quality.check(frame)
        if not report.ok:
            self.show_face_step(f"guidance.{report.instruction.key}")
            return
        outcome = self._attempts.verify(frame, FaceReference(id_number=self.id_number))
        if outcome.match.match:
            self.verification_token = outcome.match.verification_token
            self._after_face()
        elif outcome.refer_to_staff:
            raise FlowFailed("face_no_match", "next.counter")
        else:
            self.show_face_step("guidance.no_match_retry")

    def _after_face(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- availability and orders -----------------------------------------------------------------------
    def require_available(self) -> None:
        """Decided before any payment: the devices this service needs must be usable right now."""
        available, reason = service_availability(self.ctx, backend_ok=True)[self.service]
        if not available:
            raise FlowFailed(reason or "reason.unavailable", "next.retry_later")

    def create_order(self, amount_cents: int) -> OrderRecord:
        self.order = self.ctx.journal.create_order(self.service, amount_cents=amount_cents, id_number=self.id_number)
        self.session.attach_order(self.order.order_id)
        return self.order

    # -- payment ---------------------------------------------------------------------------------------
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
            raise FlowFailed(f"payment_{status}", "next.not_charged")
        elif self.ctx.clock() >= self._payment_deadline:
            if not self._cancel_payment("payment_timeout"):
                raise FlowFailed("payment_timeout", "next.not_charged")
        else:
            left = max(0, int(self._payment_deadline - self.ctx.clock()))
            self._show(StepKind.PAY, "prompt.pay", {**self._view.data, "expires_in_s": left},
                       self._view.intents, self._view.progress[0])  # fmt: skip

    def _cancel_payment(self, reason: str) -> bool:
        """Cancel at the backend; True when it turned out to be paid (the flow then goes on to issue)."""
        order = self.order
        assert order is not None
        if self.payment_order_id is None:  # the create call's answer was lost: settle the order by its key
            return self._cancel_unanswered_payment(reason)
        try:
            status = self.ctx.backend.cancel_payment(
                self.payment_order_id, idempotency_key=f"{order.payment_key}-cancel"  # type: ignore[arg-type]
            ).status
        except BackendRejected:  # no longer pending: it was settled meanwhile, so ask how
            status = self.ctx.backend.payment_status(self.payment_order_id).status  # type: ignore[arg-type]
        if status is PaymentStatus.PAID:
            self._paid()
            return True
        self.ctx.journal.cancel(order.order_id, reason)
        return False

    def _cancel_unanswered_payment(self, reason: str) -> bool:
        """Cancel whatever the backend made under the payment key (the QR code was never shown, so it cannot
        have been paid; if it somehow was, the flow goes on to issue as for any paid order)."""
        order = self.order
        assert order is not None
        status = BackendAdapter(self.ctx.backend, self.ctx.journal).cancel_payment(order.payment_key, None)
        self.payment_order_id = self.ctx.journal.get(order.order_id).payment_order_id
        if status is Settled.PAID:
            self._paid()
            return True
        self.ctx.journal.cancel(order.order_id, reason)
        return False

    def _paid(self) -> None:
        self.ctx.journal.mark_paid(self.order.order_id)  # type: ignore[union-attr]
        self._show(StepKind.WORKING, "prompt.working", {"stage_key": "stage.issuing"}, (), self.total_steps - 1)
        self._after_paid()

    def _after_paid(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- printing --------------------------------------------------------------------------------------
    def print_or_fail(self, kind: str, document: Any, document_number: str | None = None) -> None:
        """Print an order's document through the spooler (journalled, transient errors retried within the
        deadline); a failure ends the flow, and a paid order goes to REFUND_PENDING."""
        error = self._print(kind, document, document_number)
        if error is not None:
            raise FlowFailed(f"device.{error}", "next.call_staff")

    def print_receipt(self, job: Any) -> bool:
        """Receipts are a courtesy: a failure is journalled, never a reason to fail a finished service."""
        error = self._print("receipt_printer", job, None)
        if error is not None and self.order is not None:
            self.ctx.journal.note_error(self.order.order_id, f"receipt_{error}")
        return error is None

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
             receipt: bool = False) -> None:  # fmt: skip
        data: dict[str, Any] = {"document_key": document_key, "take_items": take_items, "receipt": receipt}
        if document_number:
            data["document_number"] = document_number
        self._show(StepKind.DONE, "prompt.done", data, ("finish",), self.total_steps)
