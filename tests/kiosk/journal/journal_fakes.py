"""Fakes shared by the journal tests and the crash-test child: a backend that persists to a JSON file (so a
killed child and the parent see the same money and documents) and a printer that records what came out."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from devices.errors import DeviceError
from kiosk.journal import (
    IssueOutcome,
    Journal,
    OrderRecord,
    OrderState,
    PaymentStatus,
    PortUnavailable,
    Service,
)
from kiosk.spooler import Spooler

S = OrderState

FAKE_NAME = "测试张三丰"
FAKE_ID_NUMBER = "11010519491231002X"
FAKE_ADDRESS = "北京市朝阳区测试路八十八号"


class SettableClock:
    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class FileBackend:
    """A police backend with Stripe-style idempotency keys. State lives in a JSON file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.unavailable = False
        self.issue_answer = "issued"  # issued | referred | rejected
        if not path.exists():
            self._save({"payments": {}, "issues": {}, "calls": {}, "printed": [], "charges": 0, "issued": 0})

    def _load(self) -> dict[str, Any]:
        return json.loads(self.path.read_text())

    def _save(self, state: dict[str, Any]) -> None:
        temp = self.path.with_suffix(".tmp")
        temp.write_text(json.dumps(state))
        os.replace(temp, self.path)

    def _call(self, name: str) -> dict[str, Any]:
        if self.unavailable:
            raise PortUnavailable("backend down")
        state = self._load()
        state["calls"][name] = state["calls"].get(name, 0) + 1
        return state

    def state(self) -> dict[str, Any]:
        return self._load()

    def calls(self, name: str) -> int:
        return self._load()["calls"].get(name, 0)

    # --- used by the flow (never by the reconciler) --------------------------------------------------

    def create_payment(self, payment_key: str, amount_cents: int) -> str:
        state = self._call("create_payment")
        state["payments"].setdefault(payment_key, {"status": "pending", "amount": amount_cents})
        self._save(state)
        return f"PO-{payment_key[:8]}"

    def citizen_pays(self, payment_key: str) -> None:
        state = self._load()
        payment = state["payments"][payment_key]
        if payment["status"] == "pending":
            payment["status"] = "paid"
            state["charges"] += 1
        self._save(state)

    # --- BackendPort ---------------------------------------------------------------------------------

    def payment_status(self, payment_key: str, payment_order_id: str | None) -> PaymentStatus:
        state = self._call("payment_status")
        self._save(state)
        payment = state["payments"].get(payment_key)
        return PaymentStatus.NOT_FOUND if payment is None else PaymentStatus(payment["status"])

    def cancel_payment(self, payment_key: str, payment_order_id: str | None) -> PaymentStatus:
        state = self._call("cancel_payment")
        payment = state["payments"].setdefault(payment_key, {"status": "cancelled", "amount": 0})
        if payment["status"] == "pending":
            payment["status"] = "cancelled"
        self._save(state)
        return PaymentStatus(payment["status"])

    def issue(self, order: OrderRecord) -> IssueOutcome:
        state = self._call("issue")
        first = state["issues"].get(order.issue_key)
        if first is None:
            payment = state["payments"].get(order.payment_key)
            if order.paid_service and (payment is None or payment["status"] != "paid"):
                first = {"result": "rejected", "code": "not_paid"}
            elif self.issue_answer != "issued":
                first = {"result": self.issue_answer, "code": f"backend_{self.issue_answer}"}
            else:
                state["issued"] += 1
                first = {"result": "issued", "number": f"DOC{state['issued']:06d}", "kind": order.service.value}
            state["issues"][order.issue_key] = first
        self._save(state)
        if first["result"] == "issued":
            return IssueOutcome.issued(first["number"], first["kind"])
        if first["result"] == "referred":
            return IssueOutcome.referred(first["code"])
        return IssueOutcome.rejected(first["code"])

    def fetch_document(self, document_number: str) -> object:
        self._save(self._call("fetch_document"))
        return {"number": document_number, "name": FAKE_NAME, "id_number": FAKE_ID_NUMBER}


class RecordingPrinter:
    """A device-level printer (the spooler's Printer protocol) that records into the backend's file."""

    def __init__(self, backend: FileBackend, errors: list[DeviceError] | None = None) -> None:
        self.backend = backend
        self.errors = list(errors or [])

    def submit(self, document: Any, *, job_name: str, timeout: float) -> None:
        if self.errors:
            raise self.errors.pop(0)
        state = self.backend.state()
        state["printed"].append({"job": job_name, "number": document["number"],
                                 "reprint": bool(document.get("reprint"))})  # fmt: skip
        self.backend._save(state)


def render_for_print(order: OrderRecord, document: object, reprint: bool) -> dict[str, Any]:
    """What printing/ would do: turn the backend's document into a printable payload."""
    assert isinstance(document, dict)
    return {**document, "reprint": reprint}


def drive_order(
    journal: Journal, backend: FileBackend, spooler: Spooler | None, *, paid: bool, stop_at: OrderState,
    after_effect: bool, citizen_pays: bool = True, on_stop: Callable[[OrderRecord], None] | None = None,
) -> OrderRecord:  # fmt: skip
    """Run a service flow as the integrator will: commit each state, then do its side effect.

    Stops right after committing `stop_at` (after_effect=False) or after its side effect (True) and calls
    on_stop (the crash child blocks there to be killed).
    """
    order = journal.create_order(Service.TEMP_ID if paid else Service.CERTIFICATE,
                                 amount_cents=1000 if paid else 0, id_number=FAKE_ID_NUMBER)  # fmt: skip
    oid = order.order_id

    def checkpoint(state: OrderState, effect_done: bool) -> bool:
        if state is stop_at and effect_done is after_effect:
            if on_stop:
                on_stop(journal.get(oid))
            return True
        return False

    steps: list[tuple[OrderState, Callable[[], OrderRecord], Callable[[], Any]]] = []
    if paid:
        steps.append(
            (S.PAYMENT_PENDING, lambda: journal.begin_payment(oid), lambda: _pay(journal, backend, oid, citizen_pays))
        )
        steps.append((S.PAID, lambda: journal.mark_paid(oid), lambda: None))
    steps.append((S.ISSUE_PENDING, lambda: journal.begin_issue(oid), lambda: backend.issue(journal.get(oid))))
    for state, commit, effect in steps:
        commit()
        if checkpoint(state, False):
            return journal.get(oid)
        result = effect()
        if checkpoint(state, True):
            return journal.get(oid)
        if state is S.PAYMENT_PENDING and not citizen_pays:
            return journal.get(oid)
    issued = result
    journal.begin_print(oid, issued.document_number, issued.document_kind)
    if checkpoint(S.PRINT_PENDING, False):
        return journal.get(oid)
    assert spooler is not None
    payload = render_for_print(journal.get(oid), backend.fetch_document(issued.document_number), False)
    outcome = spooler.print_and_wait(oid, "card", payload, document_number=issued.document_number)
    assert outcome.ok, outcome
    if checkpoint(S.PRINT_PENDING, True):
        return journal.get(oid)
    journal.mark_printed(oid)
    if checkpoint(S.PRINTED, False):
        return journal.get(oid)
    return journal.complete(oid)


def _pay(journal: Journal, backend: FileBackend, order_id: str, citizen_pays: bool) -> None:
    order = journal.get(order_id)
    journal.record_payment_order(order_id, backend.create_payment(order.payment_key, order.amount_cents))
    if citizen_pays:
        backend.citizen_pays(order.payment_key)
