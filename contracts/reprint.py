"""Issued documents read back by the kiosk that issued them, for a reprint after a crash.

The kiosk's journal keeps no personal data, so after a restart it cannot repeat an issue call (the body holds
the ID number and the face-verification token). It can name what it had asked for: the idempotency key of
the issue call, or the document number it had journalled. The backend answers with the first answer it
stored for that key: the same document, never a second one.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from contracts.common import Contract
from contracts.documents import Certificate, RecordOutcome, TempIdCard
from contracts.endorsement import IssuedEndorsement
from contracts.traffic import ViolationPayment


class DocumentKind(StrEnum):
    TEMP_ID = "temp_id"
    CERTIFICATE = "certificate"
    TRAFFIC_DECISION = "traffic_decision"
    ENDORSEMENT = "endorsement"


class DecisionCopy(Contract):
    """One paid traffic decision with what its receipt shows besides the payment."""

    payment: ViolationPayment
    plate_number: str
    description: str
    points: int


class IssuedDocument(Contract):
    """What one of this kiosk's issue calls produced (personal data: the kiosk keeps it in memory only)."""

    kind: DocumentKind
    number: str | None = None  # card / certificate / first decision number; None if nothing was printable
    issued_at: dt.datetime
    outcome: RecordOutcome | None = None  # certificate requests: clean, refer_to_counter or pending
    acceptance_number: str | None = None  # certificate requests left pending
    temp_id_card: TempIdCard | None = None
    certificate: Certificate | None = None
    endorsement: IssuedEndorsement | None = None
    decisions: list[DecisionCopy] = []  # traffic: one per violation paid under the order's issue key
