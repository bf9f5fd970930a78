"""Start-up reconciliation: run once before the first citizen (there is no live session to exclude)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from kiosk.backend.client import BackendClient
from kiosk.journal import Journal, Reconciler, ReconcileReport
from kiosk.recovery.backend_port import BackendAdapter
from kiosk.recovery.printer_port import RecoveryPrintPort

log = logging.getLogger(__name__)


def reconcile_at_startup(journal: Journal, backend: BackendClient, devices: Mapping[str, Any],
                         kiosk_id: str) -> ReconcileReport:  # fmt: skip
    """Bring every unfinished order to a safe end."""
    printer = RecoveryPrintPort(journal, devices, kiosk_id)
    report = Reconciler(journal, BackendAdapter(backend, journal), printer).reconcile()
    if report.outcomes:
        log.info("start-up reconciliation: %d orders, %d left for later", len(report.outcomes),
                 len(report.unfinished))  # fmt: skip
    return report
