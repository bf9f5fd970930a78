"""Durable print-job records in the journal database (the documents themselves stay in memory).

Every attempt is committed before the printer is asked, and the order's print_attempts rises with it: after a
crash, print_attempts > 0 means a copy may already be in the tray, so the next print is a reprint.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kiosk.journal.models import Order, PrintJobRecord, PrintJobState
from kiosk.journal.records import PrintJobView, UnknownOrder


class JournalStore(Protocol):
    """What the print-job log needs of the journal it belongs to."""

    engine: Engine

    def write(self) -> AbstractContextManager[Session]: ...

    def now(self) -> datetime: ...


class UnknownPrintJob(KeyError):
    """No print job with this id."""


class PrintJobLog:
    def __init__(self, journal: JournalStore) -> None:
        self._journal = journal

    def add(self, order_id: str, printer: str, *, document_number: str | None, is_reprint: bool) -> int:
        """A queued job for an order; returns its id."""
        now = self._journal.now()
        with self._journal.write() as session:
            if session.get(Order, order_id) is None:
                raise UnknownOrder(order_id)
            row = PrintJobRecord(order_id=order_id, printer=printer, document_number=document_number,
                                 attempt=0, state=PrintJobState.QUEUED, is_reprint=is_reprint,
                                 created_at=now, updated_at=now)  # fmt: skip
            session.add(row)
            session.flush()
            return row.id

    def attempt_started(self, job_id: int) -> PrintJobView:
        """Committed before the document goes to the printer."""
        with self._journal.write() as session:
            row = self._load(session, job_id)
            row.state, row.attempt, row.updated_at = PrintJobState.PRINTING, row.attempt + 1, self._journal.now()
            order = session.get(Order, row.order_id)
            if order is not None and row.document_number and row.document_number == order.document_number:
                order.print_attempts += 1
                order.reprint = order.reprint or row.is_reprint
                order.updated_at = row.updated_at
            return PrintJobView.from_row(row)

    def finish(self, job_id: int, state: PrintJobState, error_code: str | None = None) -> PrintJobView:
        """Mark a job done, failed, or back to queued (waiting for a retry), with the error's code."""
        with self._journal.write() as session:
            row = self._load(session, job_id)
            row.state, row.error_code, row.updated_at = state, error_code, self._journal.now()
            if error_code is not None:
                order = session.get(Order, row.order_id)
                if order is not None:
                    order.last_error = error_code
            return PrintJobView.from_row(row)

    def for_order(self, order_id: str) -> list[PrintJobView]:
        query = select(PrintJobRecord).where(PrintJobRecord.order_id == order_id).order_by(PrintJobRecord.id)
        with Session(self._journal.engine) as session:
            return [PrintJobView.from_row(row) for row in session.scalars(query)]

    def unfinished(self) -> list[PrintJobView]:
        """Jobs queued or printing when the kiosk stopped."""
        states = [PrintJobState.QUEUED, PrintJobState.PRINTING]
        query = select(PrintJobRecord).where(PrintJobRecord.state.in_(states)).order_by(PrintJobRecord.id)
        with Session(self._journal.engine) as session:
            return [PrintJobView.from_row(row) for row in session.scalars(query)]

    def abandon_unfinished(self, error_code: str = "interrupted") -> int:
        """At start-up: jobs left queued/printing lost their in-memory document; mark them failed."""
        count = 0
        for job in self.unfinished():
            self.finish(job.job_id, PrintJobState.FAILED, error_code)
            count += 1
        return count

    @staticmethod
    def _load(session: Session, job_id: int) -> PrintJobRecord:
        row = session.get(PrintJobRecord, job_id, with_for_update=True)
        if row is None:
            raise UnknownPrintJob(job_id)
        return row
