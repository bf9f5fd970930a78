"""The durable transaction journal: orders, their transitions, print jobs and start-up reconciliation."""

from contracts.services import Service
from kiosk.journal.db import create_journal_engine, sqlite_pragmas
from kiosk.journal.journal import Journal
from kiosk.journal.models import PrintJobState
from kiosk.journal.person import PersonHasher, load_or_create_secret
from kiosk.journal.ports import (
    BackendPort,
    IssueOutcome,
    IssueResult,
    PaymentStatus,
    PortUnavailable,
    PrintPort,
)
from kiosk.journal.printjobs import UnknownPrintJob
from kiosk.journal.reconcile import OrderOutcome, Reconciler, ReconcileReport
from kiosk.journal.records import OrderEventRecord, OrderRecord, PrintJobView, UnknownOrder
from kiosk.journal.states import (
    TERMINAL_STATES,
    TRANSITIONS,
    IllegalTransition,
    OrderState,
    allowed_targets,
    is_legal,
)

__all__ = [
    "TERMINAL_STATES",
    "TRANSITIONS",
    "BackendPort",
    "IllegalTransition",
    "IssueOutcome",
    "IssueResult",
    "Journal",
    "OrderEventRecord",
    "OrderOutcome",
    "OrderRecord",
    "OrderState",
    "PaymentStatus",
    "PersonHasher",
    "PortUnavailable",
    "PrintJobState",
    "PrintJobView",
    "PrintPort",
    "ReconcileReport",
    "Reconciler",
    "Service",
    "UnknownOrder",
    "UnknownPrintJob",
    "allowed_targets",
    "create_journal_engine",
    "is_legal",
    "load_or_create_secret",
    "sqlite_pragmas",
]
