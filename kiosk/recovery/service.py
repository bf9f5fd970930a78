"""What a service tells start-up recovery: how to settle an order it can replay without personal data, what
an issued document means, and how to print what the citizen would have taken away."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from contracts import IssuedDocument
from kiosk.backend.client import BackendClient
from kiosk.journal import Journal, OrderRecord
from kiosk.journal.ports import IssueOutcome

NOT_REPLAYABLE = "issue_not_replayable"


class RecoveryPrinter(Protocol):
    """Prints one document for an order; each attempt is journalled before it is sent (print_jobs)."""

    def print(self, order: OrderRecord, printer_kind: str, document: Any, *, document_number: str | None,
              reprint: bool) -> None: ...  # fmt: skip

    def paid_at(self, order: OrderRecord) -> datetime: ...

    def printed_on(self, order: OrderRecord, printer_kind: str) -> bool: ...

    def capabilities(self, printer_kind: str) -> dict[str, Any] | None: ...


class ServiceRecovery:
    """The defaults: nothing to settle; a numbered document is issued (read back by the order's issue key)."""

    def settle(self, order: OrderRecord, client: BackendClient, journal: Journal) -> IssueOutcome | None:
        """Replay what needs no personal data before the issue read-back; None when nothing is to be done."""
        return None

    def outcome(self, document: IssuedDocument) -> IssueOutcome:
        if document.number is None:
            return IssueOutcome.rejected(NOT_REPLAYABLE)
        return IssueOutcome.issued(document.number, str(document.kind))

    def deliver(self, order: OrderRecord, document: IssuedDocument, printer: RecoveryPrinter, *,
                reprint: bool, kiosk_id: str) -> None:  # fmt: skip
        """Print what an uninterrupted visit would have printed for this document (then `finish`)."""
        raise NotImplementedError

    def finish(self, order: OrderRecord, printer: RecoveryPrinter, *, kiosk_id: str) -> None:
        """What an uninterrupted visit prints after its document; by default nothing."""
