"""After a crash: an endorsement issued and paid but not yet written needs the citizen's permit, which left with
them. The order stays open (PRINT_PENDING); the next time that permit is presented the visit finishes the write
and the print with no second charge and no second issue, and the receipt the citizen took is honoured at the
counter meanwhile."""

from __future__ import annotations

from contracts import IssuedDocument
from devices.errors import DeviceUnavailable
from kiosk.journal import OrderRecord
from kiosk.recovery.service import RecoveryPrinter, ServiceRecovery

PERMIT_ABSENT = "permit_absent"


class EndorsementRecovery(ServiceRecovery):
    def deliver(self, order: OrderRecord, document: IssuedDocument, printer: RecoveryPrinter, *,
                reprint: bool, kiosk_id: str) -> None:  # fmt: skip
        raise DeviceUnavailable("the endorsement waits for its permit to be presented again", code=PERMIT_ABSENT)
