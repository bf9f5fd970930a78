"""The base of every service flow: the Flow protocol (views, intents, listeners, abort), failures that always
say what to do next, going back and trying again. The shared steps are mixed in from their own modules:
identify (card or ID number), live face, payment, printing.

Money rules: the journal row moves before each side effect; a payment is created once per order under the
order's payment key; once paid the visit is committed: it cannot be cancelled or aborted, it delivers (document
and receipt) or, when it cannot, refunds the citizen itself (kiosk/recovery/refunds.py) and says so.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from devices.errors import DeviceError
from devices.operation import CancelToken
from kiosk.backend.errors import BackendRejected, BackendUnavailable
from kiosk.face import VerificationAttempts
from kiosk.flows import keys
from kiosk.flows.base import FlowError, FlowView, StepKind
from kiosk.flows.context import ServiceContext
from kiosk.flows.face_step import FaceSteps
from kiosk.flows.failures import FlowFailed
from kiosk.flows.identify import IdentifySteps
from kiosk.flows.payment import PaymentSteps
from kiosk.flows.printing import PrintSteps
from kiosk.journal.ports import PortUnavailable
from kiosk.journal.records import OrderRecord
from kiosk.services import spec_of

log = logging.getLogger(__name__)

__all__ = ["FlowFailed", "ServiceFlow", "UndeclaredTextKey"]


class UndeclaredTextKey(AssertionError):
    """A view carries a text key nobody declared: the catalogue cannot be complete (a bug, caught by tests)."""


class ServiceFlow(IdentifySteps, FaceSteps, PaymentSteps, PrintSteps):
    """Subclasses set `service`, `steps`, `service_keys` and define `first_view()` and the `_after_*` hooks."""

    service = ""
    steps: tuple[str, ...] = ()  # label keys of the step indicator, in order
    service_keys: frozenset[str] = frozenset()  # text keys this service emits beyond the shared ones
    strict_keys = False  # tests set it: an undeclared key raises instead of being logged

    def __init__(self, context: ServiceContext) -> None:
        self.ctx = context
        self.session = context.session
        self._listeners: list[Callable[[FlowView], None]] = []
        self._finished = threading.Event()
        self._reset()
        self._view = self.first_view()

    def _reset(self) -> None:
        """A fresh visit of this service (also what "try again" does; the face attempts are kept)."""
        self.wipe_visit_data()
        self.order: OrderRecord | None = None
        self.payment_order_id: str | None = None
        self._payment_deadline = 0.0
        self.verification_token: str | None = None
        self.committed = False  # paid: the visit delivers or refunds, it can no longer be cancelled
        self.abandoned = False  # the citizen left while a committed visit was delivering
        self.refund: dict[str, Any] | None = None
        self.keep_order_open = False  # a paid, issued order the citizen can still finish later (not refunded)
        self._resumes_left = 2  # after payment, how often a delivery the backend did not answer is asked again
        self._cancel = CancelToken()  # abort() wakes a blocked card read at once
        if not hasattr(self, "_attempts"):
            self._attempts = VerificationAttempts(self.face_verifier(), self.ctx.config.face.max_attempts)

    def face_verifier(self) -> Any:
        """Who compares the live face (the configured verifier: the police platform, or the kiosk's engine)."""
        return self.ctx.verifier

    @property
    def display_name(self) -> str:
        return spec_of(self.service).display_name

    @classmethod
    def declared_keys(cls) -> frozenset[str]:
        return frozenset({*keys.shared_keys(), *cls.steps, *cls.service_keys})

    # -- the Flow protocol ---------------------------------------------------------------------------
    def view(self) -> FlowView:
        return self._view

    def add_view_listener(self, listener: Callable[[FlowView], None]) -> None:
        self._listeners.append(listener)

    def handle(self, intent: str, **payload: Any) -> FlowView:
        if intent not in self._view.intents:
            raise FlowError("intent_not_allowed", f"{intent!r} is not possible at step {self._view.step}")
        self._guarded(intent, lambda: getattr(self, f"on_{intent}")(**payload))
        return self._view

    def _guarded(self, intent: str, step: Callable[[], None]) -> None:
        """Run one step; every way it can end becomes a view that says what happened and what to do next."""
        try:
            step()
        except FlowFailed as failure:
            self._fail(failure.code, failure.next_key, retry=failure.retry, extra=failure.extra)
        except (BackendUnavailable, PortUnavailable):
            if self.committed and self._resumes_left > 0:
                # Paid, and the backend did not answer: the issue calls replay under the same key, so asking
                # again never issues twice and may deliver after all.
                self._resumes_left -= 1
                self._guarded("resume", self._after_paid)
            elif self.committed:
                self._fail("issue_unconfirmed", "next.refund_if_not_issued")
            else:
                self._fail("backend_unavailable", "next.retry_later", retry=True)
        except BackendRejected as rejected:
            self._fail(keys.backend_failure(rejected.code), "next.counter")
        except DeviceError as error:
            self._fail(keys.device_failure(error.code), "next.call_staff")
        except (FlowError, UndeclaredTextKey):
            raise
        except Exception as error:  # defence in depth: never a crash, never a traceback on the screen
            self._unexpected(intent, error)

    def abort(self) -> bool:
        """Idle time-out or walk-away. A committed visit goes on delivering (False); otherwise any open payment
        is cancelled at the backend and the session wiped (True)."""
        self._cancel.cancel()
        if self.committed and not self._view.finished:
            self.abandoned = True
            return False
        try:
            if self._view.step is StepKind.PAY and self.order is not None:
                self._cancel_payment("abandoned")
        except Exception:  # the wipe must happen whatever the backend says
            log.warning("abort: could not cancel the payment of order %s", self.order and self.order.order_id)
        finally:
            self.wipe_visit_data()
            self.session.wipe()
            self._finished.set()
        return True

    def wait_finished(self, timeout: float) -> bool:
        return self._finished.wait(timeout)

    # -- views ---------------------------------------------------------------------------------------
    def first_view(self) -> FlowView:  # pragma: no cover - abstract
        raise NotImplementedError

    def make_view(self, step: StepKind, prompt_key: str, data: dict[str, Any] | None = None,
                  intents: tuple[str, ...] = ("cancel",), progress: int = 0, back: FlowView | None = None) -> FlowView:  # fmt: skip
        if back is not None and "back" not in intents:
            intents = (*intents[:-1], "back", intents[-1]) if intents and intents[-1] == "cancel" else (*intents, "back")
        view = FlowView(self.service, step, prompt_key, dict(data or {}), intents, (progress, len(self.steps)),
                        self.steps, back)  # fmt: skip
        self._check_keys(view)
        return view

    def _show(self, step: StepKind, prompt_key: str, data: dict[str, Any] | None = None,
              intents: tuple[str, ...] = ("cancel",), progress: int = 0, back: FlowView | None = None) -> None:  # fmt: skip
        self._publish(self.make_view(step, prompt_key, data, intents, progress, back))

    def _publish(self, view: FlowView) -> None:
        self._view = view
        for listener in list(self._listeners):
            try:
                listener(view)
            except Exception as error:  # a screen that is gone must not break the visit
                log.warning("a view listener failed: %s", type(error).__name__)
        if view.finished:
            self._finished.set()

    def _check_keys(self, view: FlowView) -> None:
        undeclared = view.text_keys() - self.declared_keys()
        if undeclared:
            if self.strict_keys:
                raise UndeclaredTextKey(f"{self.service} shows undeclared text keys {sorted(undeclared)}")
            log.error("%s shows undeclared text keys %s", self.service, sorted(undeclared))

    def on_back(self) -> None:
        target = self._view.back
        if target is None:
            raise FlowError("no_way_back")
        self.on_went_back(target)
        self._publish(target)

    def on_went_back(self, target: FlowView) -> None:
        """Hook: undo what the steps after `target` decided (identity, purpose...)."""
        self.wipe_face()
        if target.step in (StepKind.READ_CARD, StepKind.ENTER_ID_NUMBER, StepKind.ENTER_PLATE):
            self.session.set_identity({})
            self.verification_token = None

    # -- endings ---------------------------------------------------------------------------------------
    def _fail(self, code: str, next_key: str, *, retry: bool = False, extra: dict[str, Any] | None = None) -> None:
        log.info("%s flow failed: %s", self.service, code)
        self.wipe_visit_data()
        data: dict[str, Any] = {"error_code": code, "error_key": f"error.{code}", "next_key": next_key, **(extra or {})}
        order = self.order
        if order is not None:
            outcome = self.close_order_after_failure(order, code)
            data["order_ref"] = order.order_id[:8].upper()
            if self.committed:
                data["paid_cents"] = order.amount_cents
            if outcome is not None:
                self.refund = outcome.to_view()
                data["refund"] = self.refund
                data["next_key"] = "next.refunded" if outcome.state == "refunded" else "next.refund_pending"
                data["paid_cents"] = order.amount_cents
                self.print_refund_receipt(order, outcome)
        intents = ("finish", "retry") if retry and not self.committed else ("finish",)
        self._show(StepKind.FAILED, "prompt.failed", data, intents, self._view.progress[0])
        self._end_if_abandoned()

    def _unexpected(self, intent: str, error: Exception) -> None:
        frames = traceback.extract_tb(error.__traceback__)
        where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
        log.error("%s flow: unexpected %s in %r at %s", self.service, type(error).__name__, intent, where)
        self.ctx.alert("flow_internal_error", {"service": self.service, "error": type(error).__name__, "at": where})
        try:
            self._fail("internal", "next.call_staff")
        except Exception as second:  # even the failure path failed: show it without touching anything else
            log.error("%s flow: the failure path failed too: %s", self.service, type(second).__name__)
            self._publish(FlowView(self.service, StepKind.FAILED, "prompt.failed",
                                   {"error_code": "internal", "error_key": "error.internal",
                                    "next_key": "next.call_staff"}, ("finish",), (0, len(self.steps)), self.steps))  # fmt: skip

    def on_retry(self) -> None:
        self._reset()
        self._publish(self.first_view())

    def on_cancel(self) -> None:
        if self._view.step is StepKind.PAY:
            if self._cancel_payment("cancelled_by_citizen"):
                return  # it was paid after all: the flow went on to issue
        elif self.order is not None and not self.ctx.journal.get(self.order.order_id).terminal:
            self.ctx.journal.cancel(self.order.order_id, "cancelled_by_citizen")
        self._show(StepKind.FAILED, "prompt.cancelled", {"error_code": "cancelled", "error_key": "error.cancelled",
                                                         "next_key": "next.not_charged"}, ("finish",))  # fmt: skip

    def on_finish(self) -> None:
        self.wipe_visit_data()
        self.session.wipe()
        self._publish(FlowView(self.service, self._view.step, self._view.prompt_key, dict(self._view.data), (),
                               self._view.progress, self._view.steps))  # fmt: skip

    def wipe_visit_data(self) -> None:
        """What the flow holds itself besides the session (face frames; a service adds its own): wiped at every
        ending of the visit."""
        self.wipe_face()

    def _end_if_abandoned(self) -> None:
        """The citizen left while the paid visit delivered: now that it is over, wipe what it held."""
        if self.abandoned:
            self.session.wipe()
            self._finished.set()
