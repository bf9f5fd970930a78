"""Start-up reconciliation: bring every unfinished order to a safe end without charging anyone twice.

Per state: CREATED -> cancelled (nothing was announced); PAYMENT_PENDING -> ask the backend by key: paid goes
on to issue, unpaid is cancelled at the backend and here; PAID/ISSUE_PENDING -> (re)play the issue with the
same key; PRINT_PENDING -> fetch the document by number and print it, marked as a reprint if an attempt had
started; PRINTED -> done. A paid order that cannot be issued is refunded (REFUND_PENDING -> REFUND_REQUESTED ->
REFUNDED, asked again at every pass until the backend confirms), never FAILED.
No port can create a payment, so a new charge is impossible by construction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from devices.errors import DeviceError
from kiosk.journal.journal import Journal
from kiosk.journal.ports import BackendPort, IssueResult, PaymentStatus, PortUnavailable, PrintPort
from kiosk.journal.records import OrderRecord
from kiosk.journal.states import OrderState

log = logging.getLogger(__name__)
S = OrderState
MAX_STEPS = 12  # more than the longest path; a guard against a step that does not move the order


@dataclass(frozen=True)
class OrderOutcome:
    order_id: str
    from_state: OrderState
    to_state: OrderState
    actions: tuple[str, ...]
    error: str | None = None  # why the order was left unfinished (retry on the next pass)

    @property
    def finished(self) -> bool:
        return self.to_state.terminal


@dataclass(frozen=True)
class ReconcileReport:
    outcomes: tuple[OrderOutcome, ...] = ()
    abandoned_print_jobs: int = 0

    @property
    def unfinished(self) -> tuple[OrderOutcome, ...]:
        return tuple(outcome for outcome in self.outcomes if not outcome.finished)

    def for_order(self, order_id: str) -> OrderOutcome:
        return next(outcome for outcome in self.outcomes if outcome.order_id == order_id)


@dataclass
class _Progress:
    order: OrderRecord
    actions: list[str] = field(default_factory=list)


Step = Callable[[_Progress], OrderRecord]


class Reconciler:
    def __init__(self, journal: Journal, backend: BackendPort, printer: PrintPort) -> None:
        self._journal = journal
        self._backend = backend
        self._printer = printer
        self._steps: dict[OrderState, Step] = {
            S.CREATED: self._abandon_created,
            S.PAYMENT_PENDING: self._settle_payment,
            S.PAID: self._start_issue,
            S.ISSUE_PENDING: self._replay_issue,
            S.PRINT_PENDING: self._print_again,
            S.PRINTED: self._finish,
            S.REFUND_PENDING: self._refund,
            S.REFUND_REQUESTED: self._refund,
        }

    def reconcile(self, *, exclude: Collection[str] = (), states: Collection[OrderState] | None = None,
                  startup: bool = True) -> ReconcileReport:  # fmt: skip
        """At start-up (before the first citizen) every unfinished order. Later passes (`startup=False`) must
        `exclude` the live session's order ids, or a citizen's open payment would be cancelled under them, and
        may be limited to `states` (money only: a periodic pass never prints while a citizen may be there)."""
        abandoned = self._journal.print_jobs.abandon_unfinished() if startup else 0
        orders = [order for order in self._journal.unfinished_orders()
                  if order.order_id not in exclude and (states is None or order.state in states)]  # fmt: skip
        return ReconcileReport(tuple(self.reconcile_order(order, states) for order in orders), abandoned)

    def reconcile_order(self, order: OrderRecord, states: Collection[OrderState] | None = None) -> OrderOutcome:
        progress, start, error = _Progress(order), order.state, None
        try:
            for _ in range(MAX_STEPS):
                if progress.order.terminal or (states is not None and progress.order.state not in states):
                    break
                before = progress.order.state
                progress.order = self._steps[before](progress)
                progress.actions.append(f"{before}->{progress.order.state}")
        except PortUnavailable as exc:
            error = getattr(exc, "code", PortUnavailable.code)
        except DeviceError as exc:
            error = exc.code
            self._journal.note_error(order.order_id, exc.code)
        except Exception as exc:  # one bad order must not stop the others; no personal data in the log
            log.warning("reconciling order %s failed: %s", order.order_id, type(exc).__name__)
            error = "reconcile_error"
        log.info("order %s: %s -> %s (%s)", order.order_id, start, progress.order.state, error or "ok")
        return OrderOutcome(order.order_id, start, progress.order.state, tuple(progress.actions), error)

    def _abandon_created(self, progress: _Progress) -> OrderRecord:
        return self._journal.cancel(progress.order.order_id, "abandoned")

    def _settle_payment(self, progress: _Progress) -> OrderRecord:
        order = progress.order
        status = self._backend.payment_status(order.payment_key, order.payment_order_id)
        progress.actions.append(f"payment_status:{status}")
        if status in (PaymentStatus.PENDING, PaymentStatus.NOT_FOUND):
            # The citizen is gone after a restart: close the payment order so it can no longer be paid.
            status = self._backend.cancel_payment(order.payment_key, order.payment_order_id)
            progress.actions.append(f"cancel_payment:{status}")
        if status is PaymentStatus.PAID:
            return self._journal.mark_paid(order.order_id)
        if status is PaymentStatus.PENDING:  # the backend would not close it: ask again next pass
            raise PortUnavailable("payment order still open")
        return self._journal.cancel(order.order_id, f"payment_{status}")

    def _start_issue(self, progress: _Progress) -> OrderRecord:
        return self._journal.begin_issue(progress.order.order_id)

    def _replay_issue(self, progress: _Progress) -> OrderRecord:
        order = progress.order
        outcome = self._backend.issue(order)
        progress.actions.append(f"issue:{outcome.result}")
        if outcome.result is IssueResult.ISSUED and outcome.document_number:
            return self._journal.begin_print(order.order_id, outcome.document_number,
                                             outcome.document_kind or "document")  # fmt: skip
        code = outcome.code or str(outcome.result)
        if order.paid_service:  # money was taken: it goes back, whatever the reason
            return self._journal.request_refund(order.order_id, code)
        if outcome.result is IssueResult.REFERRED:
            return self._journal.refer(order.order_id, code)
        return self._journal.fail(order.order_id, code)

    def _finish(self, progress: _Progress) -> OrderRecord:
        self._printer.finish(progress.order)
        return self._journal.complete(progress.order.order_id)

    def _refund(self, progress: _Progress) -> OrderRecord:
        before = progress.order.state
        order = self._backend.refund(progress.order)
        if order.state is before:  # accepted earlier, not confirmed yet: ask again on the next pass
            raise PortUnavailable("refund not confirmed yet")
        return order

    def _print_again(self, progress: _Progress) -> OrderRecord:
        order = progress.order
        assert order.document_number is not None  # the journal refuses PRINT_PENDING without one
        document = self._backend.fetch_document(order.document_number)
        reprint = order.print_attempts > 0  # an attempt had started: a copy may be in the tray
        try:
            self._printer.print_document(order, document, reprint=reprint)
        finally:
            del document  # personal data: not a moment longer than the print
        progress.actions.append("reprint" if reprint else "print")
        return self._journal.mark_printed(order.order_id)
