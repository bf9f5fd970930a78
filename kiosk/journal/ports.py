"""What the reconciler needs from the outside world, as typing.Protocol ports.

The integrator adapts the real backend client and the print spooler to these; tests pass fakes. Nothing here
can create a payment: after a crash the kiosk only asks, replays by idempotency key, cancels or reprints.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from kiosk.journal.records import OrderRecord


class PaymentStatus(enum.StrEnum):
    PAID = "paid"  # money taken: the order must go on to issue and print
    PENDING = "pending"  # payment order open, not paid (yet)
    EXPIRED = "expired"  # the backend closed it unpaid
    CANCELLED = "cancelled"  # closed unpaid at our request
    NOT_FOUND = "not_found"  # the creating request never reached the backend


class PortUnavailable(Exception):
    """A port could not answer now (backend unreachable, time-out); the order is left for a later pass."""

    code = "port_unavailable"


class IssueResult(enum.StrEnum):
    ISSUED = "issued"
    REFERRED = "referred"  # the citizen must see staff (e.g. a record was found); no details on screen
    REJECTED = "rejected"  # refused for good (no pending application, not eligible...)


@dataclass(frozen=True)
class IssueOutcome:
    result: IssueResult
    document_number: str | None = None
    document_kind: str | None = None
    code: str | None = None  # machine-readable reason for REFERRED / REJECTED

    @classmethod
    def issued(cls, document_number: str, document_kind: str) -> IssueOutcome:
        return cls(IssueResult.ISSUED, document_number, document_kind)

    @classmethod
    def referred(cls, code: str = "referred") -> IssueOutcome:
        return cls(IssueResult.REFERRED, code=code)

    @classmethod
    def rejected(cls, code: str) -> IssueOutcome:
        return cls(IssueResult.REJECTED, code=code)


@runtime_checkable
class BackendPort(Protocol):
    """The police backend, seen by the reconciler. Raise PortUnavailable for transient failures."""

    def payment_status(self, payment_key: str, payment_order_id: str | None) -> PaymentStatus:
        """The status of the payment order created with this idempotency key (or id, when known)."""
        ...

    def cancel_payment(self, payment_key: str, payment_order_id: str | None) -> PaymentStatus:
        """Close an unpaid payment order (idempotent, also for one never created: a tombstone for the key).

        Returns the final status: CANCELLED/EXPIRED/NOT_FOUND, or PAID if the citizen paid in the meantime.
        """
        ...

    def issue(self, order: OrderRecord) -> IssueOutcome:
        """Issue the order's document with order.issue_key; the backend replays the first result for a key.

        The kiosk holds no personal data after a crash, so the backend must find the application by the
        order id / payment order id it saw at the eligibility check and payment.
        """
        ...

    def fetch_document(self, document_number: str) -> object:
        """The printable content of an issued document (personal data: kept in memory, then dropped)."""
        ...

    def refund(self, order: OrderRecord) -> OrderRecord:
        """Ask for (or after) the refund an order owes and journal what the backend says; returns the order as
        it now stands. Raise PortUnavailable when the backend cannot answer or refused this attempt."""
        ...


@runtime_checkable
class PrintPort(Protocol):
    """Prints an issued document for an order; raises devices.errors.DeviceError when it cannot.

    It must record each attempt in the journal before sending (kiosk.spooler.Spooler does, via
    journal.print_jobs), so a later crash knows a copy may exist and marks the next print as a reprint.
    """

    def print_document(self, order: OrderRecord, document: object, *, reprint: bool) -> None: ...

    def finish(self, order: OrderRecord) -> None:
        """After the document: what an uninterrupted visit prints last (e.g. the fee receipt), unless already done."""
        ...
