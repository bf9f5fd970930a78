"""The journal's PrintPort over the kiosk's printers: each service delivers its documents through `print`,
which journals every attempt before the document is sent."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from devices.errors import DeviceError, DeviceUnavailable
from kiosk.journal import Journal, OrderRecord, OrderState, PrintJobState
from kiosk.printers import DevicePrinter
from kiosk.services import spec_of

PRINT_TIMEOUT_S = {"receipt_printer": 30.0, "document_printer": 120.0, "card_printer": 120.0}


class RecoveryPrintPort:
    """`reprint` comes from the journal: true only when a print attempt of the document had really started."""

    def __init__(self, journal: Journal, devices: Mapping[str, Any], kiosk_id: str) -> None:
        self._journal, self._devices, self._kiosk_id = journal, devices, kiosk_id

    def paid_at(self, order: OrderRecord) -> datetime:
        """When the order was paid (for the receipt a recovered visit prints, as an uninterrupted one would)."""
        paid = [event.at for event in self._journal.events(order.order_id) if event.to_state is OrderState.PAID]
        return paid[0] if paid else self._journal.now()

    def print_document(self, order: OrderRecord, document: object, *, reprint: bool) -> None:
        recovery = spec_of(order.service).load_recovery()
        recovery.deliver(order, document, self, reprint=reprint, kiosk_id=self._kiosk_id)

    def finish(self, order: OrderRecord) -> None:
        spec_of(order.service).load_recovery().finish(order, self, kiosk_id=self._kiosk_id)

    def capabilities(self, printer_kind: str) -> dict[str, Any] | None:
        """What a document must be laid out for on this printer (dpi, stock), when the device says."""
        capabilities = getattr(self._devices.get(printer_kind), "capabilities", None)
        return capabilities() if callable(capabilities) else None

    def printed_on(self, order: OrderRecord, printer_kind: str) -> bool:
        """Whether a job of this order on that printer already completed (so it is not printed twice)."""
        return any(job.printer == printer_kind and job.state is PrintJobState.DONE
                   for job in self._journal.print_jobs.for_order(order.order_id))  # fmt: skip

    def print(self, order: OrderRecord, printer_kind: str, document: Any, *, document_number: str | None,
              reprint: bool) -> None:  # fmt: skip
        device = self._devices.get(printer_kind)
        if device is None:
            raise DeviceUnavailable(f"no {printer_kind} to print on", code=f"{printer_kind}_missing")
        jobs = self._journal.print_jobs
        job_id = jobs.add(order.order_id, printer_kind, document_number=document_number, is_reprint=reprint)
        jobs.attempt_started(job_id)
        try:  # through the same DevicePrinter as a flow's prints, so document taps see recovery prints too
            DevicePrinter(printer_kind, self._devices.get).submit(
                document, job_name=order.order_id, timeout=PRINT_TIMEOUT_S.get(printer_kind, 120.0))
        except DeviceError as error:
            jobs.finish(job_id, PrintJobState.FAILED, error.code)
            raise
        jobs.finish(job_id, PrintJobState.DONE)
