"""Read back a document this kiosk was issued, for a reprint after a crash (GET, no effect).

Replaying an issue call is not possible for a kiosk that keeps no personal data (the body holds the ID
number). Instead the kiosk names the idempotency key of its issue call (128 random bits only that visit
knew) and gets the first answer the backend stored for that key: the same document, never a new one. Only
the calling kiosk's own answers are searched (keys are scoped to a kiosk), and only within REPRINT_WINDOW
(and the stored answers' TTL). There is no read-back by document number: numbers are printed on paper.
Traffic payments are made per violation under "<issue key>-<violation id>", so the order's key finds them all.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from contracts import (
    CertificateOutcome,
    DecisionCopy,
    DocumentKind,
    ErrorCode,
    IssuedDocument,
    IssuedEndorsement,
    TempIdCard,
    ViolationPayment,
)
from server.sandbox.errors import ApiError
from server.sandbox.models import IdempotencyRecord, Vehicle, ViolationRow
from server.sandbox.state import SandboxState, authenticated_kiosk, get_db, get_state

router = APIRouter(prefix="/documents", tags=["documents"])
REPRINT_WINDOW = dt.timedelta(hours=24)
Stored = tuple[DocumentKind, dict[str, Any], dt.datetime]


def _classify(record: IdempotencyRecord) -> Stored | None:
    """The kind of document a stored answer is, or None (payment orders, handling decisions, cancels)."""
    body = json.loads(record.response_body)
    if not isinstance(body, dict):
        return None
    if "card_number" in body and "photo_jpeg_b64" in body:
        return DocumentKind.TEMP_ID, body, record.created_at
    if "outcome" in body and "requests_this_year" not in body:
        return DocumentKind.CERTIFICATE, body, record.created_at
    if "decision_number" in body and "paid_cents" in body:
        return DocumentKind.TRAFFIC_DECISION, body, record.created_at
    if "record_b64" in body and "destination" in body:
        return DocumentKind.ENDORSEMENT, body, record.created_at
    return None


def _stored(session: Session, state: SandboxState, kiosk_id: str, *criteria: Any) -> list[Stored]:
    window = min(REPRINT_WINDOW, dt.timedelta(seconds=state.settings.idempotency_ttl_s))
    since = state.settings.clock.utc_naive() - window
    query = (
        select(IdempotencyRecord)
        .where(IdempotencyRecord.kiosk_id == kiosk_id, IdempotencyRecord.created_at >= since, *criteria)
        .order_by(IdempotencyRecord.created_at, IdempotencyRecord.key)
    )
    return [found for record in session.scalars(query) if (found := _classify(record)) is not None]


def _decision(session: Session, body: dict[str, Any]) -> DecisionCopy:
    payment = ViolationPayment.model_validate(body)
    row = session.get(ViolationRow, payment.violation_id)
    vehicle = session.get(Vehicle, row.vehicle_id) if row is not None else None
    if row is None or vehicle is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, "the violation of this decision is gone")
    return DecisionCopy(payment=payment, plate_number=vehicle.plate_number, description=row.description,
                        points=row.points)  # fmt: skip


def _document(session: Session, found: list[Stored]) -> IssuedDocument:
    kind, first, issued_at = found[0]
    issued_at = issued_at.replace(tzinfo=dt.UTC)
    if kind is DocumentKind.TEMP_ID:
        card = TempIdCard.model_validate(first)
        return IssuedDocument(kind=kind, number=card.card_number, issued_at=issued_at, temp_id_card=card)
    if kind is DocumentKind.ENDORSEMENT:
        endorsement = IssuedEndorsement.model_validate(first)
        return IssuedDocument(kind=kind, number=endorsement.number, issued_at=issued_at, endorsement=endorsement)
    if kind is DocumentKind.CERTIFICATE:
        outcome = CertificateOutcome.model_validate(first)
        number = outcome.certificate.certificate_number if outcome.certificate else None
        return IssuedDocument(kind=kind, number=number, issued_at=issued_at, outcome=outcome.outcome,
                              acceptance_number=outcome.acceptance_number, certificate=outcome.certificate)  # fmt: skip
    decisions = [_decision(session, body) for found_kind, body, _at in found if found_kind is kind]
    return IssuedDocument(kind=kind, number=decisions[0].payment.decision_number, issued_at=issued_at,
                          decisions=decisions)  # fmt: skip


def _not_found() -> ApiError:
    return ApiError(404, ErrorCode.NOT_FOUND, "no document issued to this kiosk under that reference")


@router.get("/by-key/{issue_key}", response_model=IssuedDocument, response_model_exclude_none=True)
def by_issue_key(
    issue_key: Annotated[str, Path(min_length=8, max_length=128)],
    kiosk_id: str = Depends(authenticated_kiosk),
    session: Session = Depends(get_db),
    state: SandboxState = Depends(get_state),
) -> IssuedDocument:
    """The first answer stored for this kiosk's issue key (and its per-violation keys); 404: nothing issued."""
    matching = or_(IdempotencyRecord.key == issue_key,
                   IdempotencyRecord.key.startswith(f"{issue_key}-", autoescape=True))  # fmt: skip
    found = _stored(session, state, kiosk_id, matching)
    if not found:
        raise _not_found()
    return _document(session, found)
