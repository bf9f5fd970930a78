"""The transaction journal: one row per order, each transition committed before the side effect it announces.

A flow calls, for a paid service:
    order = journal.create_order(Service.TEMP_ID, amount_cents=1000, id_number=...)
    journal.begin_payment(order.order_id)            # then create the payment order with order.payment_key
    journal.record_payment_order(order.order_id, ...) # once the backend has answered
    journal.mark_paid(order.order_id)                # after the backend confirms the payment
    journal.begin_issue(order.order_id)              # then issue with order.issue_key
    journal.begin_print(order.order_id, number, kind)  # then print (the spooler records attempts)
    journal.mark_printed(order.order_id); journal.complete(order.order_id)
A free service skips the payment steps (CREATED -> ISSUE_PENDING).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from contracts.services import Service
from kiosk.journal.db import create_journal_engine
from kiosk.journal.models import Order, OrderEvent, OrderItem
from kiosk.journal.person import SECRET_FILE_NAME, PersonHasher, load_or_create_secret
from kiosk.journal.printjobs import PrintJobLog
from kiosk.journal.records import OrderEventRecord, OrderRecord, UnknownOrder
from kiosk.journal.states import REFUND_STATES, IllegalTransition, OrderState, is_legal
from kiosk.migrations import JOURNAL, upgrade_database

Clock = Callable[[], datetime]
S = OrderState

# Fields a transition may set besides the state (never personal data).
_ADVANCE_FIELDS = frozenset({"payment_order_id", "document_number", "document_kind", "reprint", "refund_reference"})
DEFAULT_STALE_AFTER = timedelta(minutes=30)
REFERRED_CODE = "referred"


def utc_now() -> datetime:
    return datetime.now(UTC)


class Journal:
    def __init__(
        self,
        engine: Engine,
        *,
        kiosk_id: str,
        person_hasher: PersonHasher | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.engine = engine
        self.kiosk_id = kiosk_id
        self._hasher = person_hasher
        self._clock = clock
        # SQLite allows one writer; serialising this process's writes avoids lock-upgrade failures.
        self._write_lock = threading.RLock()
        self.print_jobs = PrintJobLog(self)

    @classmethod
    def open(cls, url: str, *, kiosk_id: str, secret_path: Path | None = None, clock: Clock = utc_now) -> Journal:
        """Open (and create if needed) the journal at `url`; `secret_path` enables person hashes."""
        engine = create_journal_engine(url)
        upgrade_database(engine, JOURNAL)  # before anything reads it; refuses a journal of newer software
        hasher = PersonHasher(load_or_create_secret(secret_path)) if secret_path else None
        return cls(engine, kiosk_id=kiosk_id, person_hasher=hasher, clock=clock)

    @classmethod
    def for_home(cls, root: Path, *, kiosk_id: str, url: str | None = None) -> Journal:
        """The journal of a kiosk data directory (KioskHome.root); the secret lives next to it."""
        return cls.open(url or f"sqlite:///{root / 'journal.sqlite3'}", kiosk_id=kiosk_id,
                        secret_path=root / SECRET_FILE_NAME)  # fmt: skip

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def now(self) -> datetime:
        return self._clock()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One committed write transaction (committed when the block ends without error)."""
        with self._write_lock, Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    # --- creating and moving orders -------------------------------------------------------------

    def create_order(
        self,
        service: Service | str,
        *,
        amount_cents: int = 0,
        id_number: str | None = None,
        order_id: str | None = None,
        face: Mapping[str, Any] | None = None,
    ) -> OrderRecord:
        """A new CREATED order with fresh idempotency keys; the ID number is kept only as a keyed hash."""
        if amount_cents < 0:
            raise ValueError("amount_cents must not be negative")
        if id_number is not None and self._hasher is None:
            raise ValueError("this journal was opened without a person-hash secret")
        now = self._clock()
        row = Order(
            order_id=order_id or str(uuid.uuid4()), kiosk_id=self.kiosk_id, service=str(Service(service)),
            state=S.CREATED, amount_cents=amount_cents, payment_key=uuid.uuid4().hex,
            issue_key=uuid.uuid4().hex, print_key=uuid.uuid4().hex, print_attempts=0, reprint=False,
            person_hash=self._hasher.hash_id_number(id_number) if id_number and self._hasher else None,
            face_score=(face or {}).get("score"), face_threshold=(face or {}).get("threshold"),
            face_engine=str((face or {}).get("engine_version") or "")[:64] or None,
            created_at=now, updated_at=now,
        )  # fmt: skip
        with self.write() as session:
            session.add(row)
            session.add(OrderEvent(order_id=row.order_id, from_state=None, to_state=S.CREATED, at=now))
        return OrderRecord.from_row(row)

    def advance(
        self, order_id: str, to_state: OrderState | str, *, error_code: str | None = None, **fields: Any
    ) -> OrderRecord:
        """Move an order to `to_state` (validated against the table) and commit before returning."""
        to_state = OrderState(to_state)
        unknown = set(fields) - _ADVANCE_FIELDS
        if unknown:
            raise TypeError(f"advance() cannot set {sorted(unknown)}")
        with self.write() as session:
            row = self._load(session, order_id)
            paid = row.amount_cents > 0
            if not is_legal(row.state, to_state, paid_service=paid):
                raise IllegalTransition(order_id, row.state, to_state, "paid order" if paid else "free order")
            for name, value in fields.items():
                setattr(row, name, value)
            if to_state is S.PRINT_PENDING and not row.document_number:
                raise IllegalTransition(order_id, row.state, to_state, "no document number")
            now = self._clock()
            session.add(OrderEvent(order_id=order_id, from_state=row.state, to_state=to_state,
                                   error_code=error_code, at=now))  # fmt: skip
            row.state, row.updated_at = to_state, now
            if error_code is not None:
                row.last_error = error_code
            session.flush()
            return OrderRecord.from_row(row)

    def begin_payment(self, order_id: str, payment_order_id: str | None = None) -> OrderRecord:
        extra = {"payment_order_id": payment_order_id} if payment_order_id else {}
        return self.advance(order_id, S.PAYMENT_PENDING, **extra)

    def record_payment_order(self, order_id: str, payment_order_id: str) -> OrderRecord:
        """The backend's payment order id, learnt after PAYMENT_PENDING was committed."""
        return self._update(order_id, S.PAYMENT_PENDING, payment_order_id=payment_order_id)

    def mark_paid(self, order_id: str) -> OrderRecord:
        return self.advance(order_id, S.PAID)

    def begin_issue(self, order_id: str) -> OrderRecord:
        return self.advance(order_id, S.ISSUE_PENDING)

    def begin_print(self, order_id: str, document_number: str, document_kind: str) -> OrderRecord:
        return self.advance(order_id, S.PRINT_PENDING, document_number=document_number,
                            document_kind=document_kind)  # fmt: skip

    def mark_printed(self, order_id: str) -> OrderRecord:
        return self.advance(order_id, S.PRINTED)

    def complete(self, order_id: str) -> OrderRecord:
        return self.advance(order_id, S.DONE)

    def fail(self, order_id: str, error_code: str) -> OrderRecord:
        return self.advance(order_id, S.FAILED, error_code=error_code)

    def cancel(self, order_id: str, error_code: str | None = None) -> OrderRecord:
        return self.advance(order_id, S.CANCELLED, error_code=error_code)

    def request_refund(self, order_id: str, error_code: str) -> OrderRecord:
        """The money must go back (why: error_code); the refund itself is asked for next (kiosk/refunds.py)."""
        return self.advance(order_id, S.REFUND_PENDING, error_code=error_code)

    def refund_requested(self, order_id: str, reference: str) -> OrderRecord:
        return self.advance(order_id, S.REFUND_REQUESTED, refund_reference=reference)

    def refunded(self, order_id: str, reference: str) -> OrderRecord:
        return self.advance(order_id, S.REFUNDED, refund_reference=reference)

    def refunds_owed(self) -> list[OrderRecord]:
        """Paid orders whose money must go back and whose refund the backend has not confirmed yet."""
        query = select(Order).where(Order.state.in_(list(REFUND_STATES))).order_by(Order.created_at)
        with Session(self.engine) as session:
            return [OrderRecord.from_row(row) for row in session.scalars(query)]

    def refer(self, order_id: str, error_code: str | None = None) -> OrderRecord:
        """Sent to the counter. For a certificate that can mean "a record was found", so a referral keeps no
        reason and no link to the person: the code is always "referred" and the person hash is dropped."""
        self._update(order_id, None, person_hash=None)
        return self.advance(order_id, S.REFERRED, error_code=REFERRED_CODE)

    def note_error(self, order_id: str, error_code: str) -> OrderRecord:
        """Record the last error (e.g. paper_out) without changing state."""
        return self._update(order_id, None, last_error=error_code)

    def _update(self, order_id: str, required_state: OrderState | None, **fields: Any) -> OrderRecord:
        with self.write() as session:
            row = self._load(session, order_id)
            if required_state is not None and row.state is not required_state:
                raise IllegalTransition(order_id, row.state, required_state, "field update in wrong state")
            for name, value in fields.items():
                setattr(row, name, value)
            row.updated_at = self._clock()
            session.flush()
            return OrderRecord.from_row(row)

    @staticmethod
    def _load(session: Session, order_id: str) -> Order:
        row = session.get(Order, order_id, with_for_update=True)
        if row is None:
            raise UnknownOrder(order_id)
        return row

    def record_order_items(self, order_id: str, item_ids: list[str]) -> None:
        """Commit the order's item ids (never personal data) before the side effect that needs them."""
        with self.write() as session:
            self._load(session, order_id)
            session.add_all(OrderItem(order_id=order_id, position=n, item_id=item) for n, item in enumerate(item_ids))

    # --- reading -------------------------------------------------------------------------------

    def order_items(self, order_id: str) -> list[str]:
        query = select(OrderItem.item_id).where(OrderItem.order_id == order_id).order_by(OrderItem.position)
        with Session(self.engine) as session:
            return list(session.scalars(query))

    def get(self, order_id: str) -> OrderRecord:
        with Session(self.engine) as session:
            row = session.get(Order, order_id)
            if row is None:
                raise UnknownOrder(order_id)
            return OrderRecord.from_row(row)

    def events(self, order_id: str) -> list[OrderEventRecord]:
        query = select(OrderEvent).where(OrderEvent.order_id == order_id).order_by(OrderEvent.id)
        with Session(self.engine) as session:
            return [OrderEventRecord.from_row(row) for row in session.scalars(query)]

    def unfinished_orders(self) -> list[OrderRecord]:
        """Orders not in a terminal state, oldest first: the reconciler's work list."""
        query = select(Order).where(Order.state.not_in(_terminal())).order_by(Order.created_at)
        with Session(self.engine) as session:
            return [OrderRecord.from_row(row) for row in session.scalars(query)]

    def open_transaction_count(self, stale_after: timedelta = DEFAULT_STALE_AFTER) -> int:
        """Unfinished orders touched within `stale_after`: a citizen may be mid-transaction.

        The time-out keeps a crashed, never-reconciled order from blocking the fleet agent for ever.
        """
        cutoff = self._clock() - stale_after
        query = (
            select(func.count()).select_from(Order).where(Order.state.not_in(_terminal()), Order.updated_at >= cutoff)
        )
        with Session(self.engine) as session:
            return int(session.scalar(query) or 0)

    def recent_orders(self, limit: int = 50) -> list[OrderRecord]:
        query = select(Order).order_by(Order.updated_at.desc(), Order.created_at.desc()).limit(limit)
        with Session(self.engine) as session:
            return [OrderRecord.from_row(row) for row in session.scalars(query)]

    def counts_by_state(self, since: datetime | None = None) -> dict[OrderState, int]:
        query = select(Order.state, func.count()).group_by(Order.state)
        if since is not None:
            query = query.where(Order.created_at >= since)
        with Session(self.engine) as session:
            counts = {state: int(count) for state, count in session.execute(query)}
        return {state: counts.get(state, 0) for state in OrderState}

    def count_for_person(
        self, id_number: str, *, service: Service | str | None = None, since: datetime | None = None,
        states: frozenset[OrderState] = frozenset({S.DONE, S.PRINTED, S.PRINT_PENDING}),
    ) -> int:  # fmt: skip
        """How many orders this person has in `states` (e.g. certificates this year, for a yearly cap)."""
        if self._hasher is None:
            raise ValueError("this journal was opened without a person-hash secret")
        query = (
            select(func.count())
            .select_from(Order)
            .where(Order.person_hash == self._hasher.hash_id_number(id_number), Order.state.in_(states))
        )
        if service is not None:
            query = query.where(Order.service == Service(service))
        if since is not None:
            query = query.where(Order.created_at >= since)
        with Session(self.engine) as session:
            return int(session.scalar(query) or 0)


def _terminal() -> list[OrderState]:
    return [state for state in OrderState if state.terminal]
