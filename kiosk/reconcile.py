"""Start-up reconciliation against the real police backend and the kiosk's own printers.

Adapts the journal's ports (kiosk/journal/ports.py) to BackendClient and the devices, and runs the generic
Reconciler once from KioskRuntime.open(), before the first citizen.

What can be replayed after a crash, given that the journal keeps no personal data:
- payment status / cancel: by the payment order id; when the crash came before that id was journalled, the
  create call is replayed with the order's payment key and the same non-personal body (amount, purpose, order
  id): the backend answers with the order it made, or makes one that is cancelled at once (a tombstone for
  the key). Nothing here can pay, so a second charge is impossible.
- issue: the issue calls carry the ID number and the face-verification token, so they cannot be repeated.
  The backend is asked what the order's issue key produced (GET /documents/by-key): the same card or
  certificate comes back. Nothing under that key means nothing was issued: a paid order then ends in
  REFUND_PENDING with code `issue_not_replayable` (a free one FAILED), never a second charge.
- traffic: paying a violation needs only the violation id and the payment order id, neither personal; the
  violation ids are kept in the journal database (`order_items`) before the payment is taken, so a paid
  order whose fines were not settled is settled now with the same per-violation keys.
- print: PRINT_PENDING documents are read back by number (traffic: by the order's key, every decision) and
  printed with the same number; an order found in PRINT_PENDING may already have a copy in the tray, so it is
  marked as a reprint (receipts carry 补打; the card and certificate keep their number, the print job record
  says reprint). A certificate is reprinted with the resident-card wording (the card type is not journalled).
"""

from __future__ import annotations

import base64
import logging
import weakref
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, Integer, MetaData, PrimaryKeyConstraint, String, Table, select
from sqlalchemy.orm import Session

from contracts import DocumentKind, ErrorCode, IssuedDocument, PaymentPurpose, RecordOutcome
from contracts import PaymentStatus as BackendPaymentStatus
from devices.errors import DeviceError, DeviceUnavailable
from kiosk.backend.client import BackendClient
from kiosk.backend.errors import BackendRejected, BackendUnavailable
from kiosk.flows.certificate import certificate_data
from kiosk.journal import Journal, OrderRecord, OrderState, PrintJobState, Reconciler, ReconcileReport, Service
from kiosk.journal.ports import IssueOutcome, PaymentStatus, PortUnavailable
from printing.certificate import build_certificate_pdf
from printing.receipts import TrafficDecisionReceiptData, traffic_decision_receipt
from printing.temp_id import TempIdCardData, build_temp_id_pdf

if TYPE_CHECKING:
    from kiosk.runtime import KioskRuntime

log = logging.getLogger(__name__)

NOT_REPLAYABLE = "issue_not_replayable"
PURPOSES = {Service.TEMP_ID: PaymentPurpose.TEMP_ID, Service.TRAFFIC: PaymentPurpose.TRAFFIC_FINE}
PRINTERS = {DocumentKind.TEMP_ID: "card_printer", DocumentKind.CERTIFICATE: "document_printer",
            DocumentKind.TRAFFIC_DECISION: "receipt_printer"}  # fmt: skip
_STATUSES = {BackendPaymentStatus.PAID: PaymentStatus.PAID, BackendPaymentStatus.PENDING: PaymentStatus.PENDING,
             BackendPaymentStatus.CANCELLED: PaymentStatus.CANCELLED,
             BackendPaymentStatus.FAILED: PaymentStatus.EXPIRED}  # fmt: skip

# -- the non-personal items of an order (traffic: violation ids), kept next to the journal -------------------
_items_metadata = MetaData()
ORDER_ITEMS = Table(
    "order_items", _items_metadata,
    Column("order_id", String(36), nullable=False), Column("position", Integer, nullable=False),
    Column("item_id", String(32), nullable=False), PrimaryKeyConstraint("order_id", "position"),
)  # fmt: skip
_items_ready: weakref.WeakSet[Any] = weakref.WeakSet()


def _ensure_items_table(journal: Journal) -> None:
    if journal.engine not in _items_ready:
        _items_metadata.create_all(journal.engine)
        _items_ready.add(journal.engine)


def record_order_items(journal: Journal, order_id: str, item_ids: Sequence[str]) -> None:
    """Commit the order's item ids (never personal data) before the side effect that needs them."""
    _ensure_items_table(journal)
    rows = [{"order_id": order_id, "position": n, "item_id": item} for n, item in enumerate(item_ids)]
    if rows:
        with journal.write() as session:
            session.execute(ORDER_ITEMS.insert(), rows)


def order_items(journal: Journal, order_id: str) -> list[str]:
    _ensure_items_table(journal)
    query = select(ORDER_ITEMS.c.item_id).where(ORDER_ITEMS.c.order_id == order_id).order_by(ORDER_ITEMS.c.position)
    with Session(journal.engine) as session:
        return list(session.scalars(query))


@contextmanager
def _backend_call() -> Iterator[None]:
    """Backend failures and refusals not handled by the caller leave the order for the next pass."""
    try:
        yield
    except BackendUnavailable as error:
        raise PortUnavailable(str(error)) from error
    except BackendRejected as rejected:
        raise PortUnavailable(f"backend refused: {rejected.code}") from rejected


class BackendAdapter:
    """The journal's BackendPort over the real BackendClient."""

    def __init__(self, client: BackendClient, journal: Journal) -> None:
        self._client, self._journal = client, journal

    def payment_status(self, payment_key: str, payment_order_id: str | None) -> PaymentStatus:
        with _backend_call():
            order_id = payment_order_id or self._replay_create(payment_key)
            try:
                return _STATUSES[self._client.payment_status(order_id).status]
            except BackendRejected as rejected:
                if rejected.code != ErrorCode.NOT_FOUND:
                    raise
                return PaymentStatus.NOT_FOUND

    def cancel_payment(self, payment_key: str, payment_order_id: str | None) -> PaymentStatus:
        with _backend_call():
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
        if order is None or order.service not in PURPOSES:
            raise PortUnavailable("no unfinished paid order with this payment key")
        payment = self._client.create_payment(order.amount_cents, PURPOSES[order.service], order.order_id,
                                              idempotency_key=payment_key)  # fmt: skip
        self._journal.record_payment_order(order.order_id, payment.order_id)
        return payment.order_id

    def issue(self, order: OrderRecord) -> IssueOutcome:
        with _backend_call():
            if order.service is Service.TRAFFIC:
                rejected = self._settle_violations(order)
                if rejected is not None:
                    return rejected
            try:
                document = self._client.issued_document(order.issue_key)
            except BackendRejected as rejected:
                if rejected.code != ErrorCode.NOT_FOUND:
                    raise
                return IssueOutcome.rejected(NOT_REPLAYABLE)  # nothing was issued under the key
            return _outcome(document)

    def _settle_violations(self, order: OrderRecord) -> IssueOutcome | None:
        """Pay each journalled violation under its own key (already paid ones replay); None when all are."""
        items = order_items(self._journal, order.order_id)
        if not items or not order.payment_order_id:
            return None  # nothing journalled: only what was paid before the crash can be read back
        for violation_id in items:
            try:
                self._client.pay_violation(violation_id, order.payment_order_id,
                                           idempotency_key=f"{order.issue_key}-{violation_id}")  # fmt: skip
            except BackendRejected as rejected:
                return IssueOutcome.rejected(f"traffic.{rejected.code}")
        return None

    def fetch_document(self, document_number: str) -> IssuedDocument:
        order = next((o for o in self._journal.unfinished_orders() if o.document_number == document_number), None)
        if order is None:
            raise PortUnavailable("no unfinished order prints this document")
        with _backend_call():
            if order.document_kind == DocumentKind.TRAFFIC_DECISION:  # every decision of the order
                return self._client.issued_document(order.issue_key)
            return self._client.fetch_document(order.document_kind or "", document_number)


def _outcome(document: IssuedDocument) -> IssueOutcome:
    if document.kind is DocumentKind.CERTIFICATE and document.outcome is RecordOutcome.REFER_TO_COUNTER:
        return IssueOutcome.referred("refer_to_counter")
    if document.kind is DocumentKind.CERTIFICATE and document.outcome is RecordOutcome.PENDING:
        return IssueOutcome.referred("pending_acceptance")
    if document.number is None:
        return IssueOutcome.rejected(NOT_REPLAYABLE)
    return IssueOutcome.issued(document.number, str(document.kind))


class DevicePrinter:
    """The journal's PrintPort over the runtime's printers; each attempt is journalled before it is sent."""

    def __init__(self, journal: Journal, devices: dict[str, Any], kiosk_id: str, started: Collection[str]) -> None:
        self._journal, self._devices, self._kiosk_id = journal, devices, kiosk_id
        self._started = frozenset(started)  # orders found in PRINT_PENDING: a copy may be in the tray

    def print_document(self, order: OrderRecord, document: object, *, reprint: bool) -> None:
        assert isinstance(document, IssuedDocument)
        reprint = reprint or order.order_id in self._started
        printer_kind = PRINTERS[document.kind]
        device = self._devices.get(printer_kind)
        if device is None:
            raise DeviceUnavailable(f"no {printer_kind} to print on", code=f"{printer_kind}_missing")
        jobs = self._journal.print_jobs
        job_id = jobs.add(order.order_id, printer_kind, document_number=order.document_number, is_reprint=reprint)
        jobs.attempt_started(job_id)
        try:
            self._send(device, order, document, reprint)
        except DeviceError as error:
            jobs.finish(job_id, PrintJobState.FAILED, error.code)
            raise
        jobs.finish(job_id, PrintJobState.DONE)

    def _send(self, device: Any, order: OrderRecord, document: IssuedDocument, reprint: bool) -> None:
        if document.kind is DocumentKind.TEMP_ID and document.temp_id_card is not None:
            device.print_pdf(_temp_id_pdf(document), job_name=order.order_id, timeout=120)
        elif document.kind is DocumentKind.CERTIFICATE and document.certificate is not None:
            pdf = build_certificate_pdf(certificate_data(document.certificate))
            device.print_pdf(pdf, job_name=order.order_id, timeout=120)
        elif document.kind is DocumentKind.TRAFFIC_DECISION and document.decisions:
            for decision in document.decisions:
                payment = decision.payment
                job = traffic_decision_receipt(TrafficDecisionReceiptData(
                    decision_number=payment.decision_number, plate_number=decision.plate_number,
                    violation=decision.description, points=decision.points, fine_fen=payment.fine_cents,
                    late_fee_fen=payment.late_fee_cents, paid_at=payment.paid_at, channel="扫码支付",
                    order_id=order.order_id, kiosk_id=self._kiosk_id,
                ), is_reprint=reprint)  # fmt: skip
                device.print_job(job, timeout=30)
        else:
            raise DeviceError("the backend returned nothing printable", code="nothing_to_print")


def _temp_id_pdf(document: IssuedDocument) -> bytes:
    card = document.temp_id_card
    assert card is not None
    months = (card.valid_until.year - card.valid_from.year) * 12 + card.valid_until.month - card.valid_from.month
    return build_temp_id_pdf(TempIdCardData(
        name=card.name, sex=card.sex, ethnicity=card.ethnicity, birth_date=card.birth_date, address=card.address,
        id_number=card.id_number, photo=base64.b64decode(card.photo_jpeg_b64),
        issuing_authority=card.issuing_authority, issue_date=card.valid_from, card_number=card.card_number,
        valid_months=months,
    ))  # fmt: skip


def reconcile_at_startup(runtime: KioskRuntime) -> ReconcileReport:
    """Bring every unfinished order to a safe end; run before the first citizen (no session to exclude)."""
    journal = runtime.journal
    started = [order.order_id for order in journal.unfinished_orders() if order.state is OrderState.PRINT_PENDING]
    printer = DevicePrinter(journal, runtime.devices, runtime.config.kiosk_id, started)
    report = Reconciler(journal, BackendAdapter(runtime.backend, journal), printer).reconcile()
    if report.outcomes:
        log.info("start-up reconciliation: %d orders, %d left for later", len(report.outcomes),
                 len(report.unfinished))  # fmt: skip
    return report
