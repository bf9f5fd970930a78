"""往来港澳通行证 再次签注: the permit's chip access data, eligibility, issue (keyed), and the written confirmation."""

from __future__ import annotations

import base64
import secrets

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts import (
    IDEMPOTENCY_HEADER,
    EndorsementEligibility,
    EndorsementEligibilityRequest,
    EndorsementIssueRequest,
    EndorsementWritten,
    ErrorCode,
    IssuedEndorsement,
    PermitAccess,
    PermitAccessRequest,
)
from server.sandbox import endorsements, rules
from server.sandbox.checks import consume_payment
from server.sandbox.errors import ApiError
from server.sandbox.idempotency import run_idempotent
from server.sandbox.models import EndorsementRow, PermitRow
from server.sandbox.state import SandboxState, authenticated_kiosk, get_db, get_state

router = APIRouter(prefix="/endorsements", tags=["endorsements"])
KeyHeader = Header(default=None, alias=IDEMPOTENCY_HEADER, description="required; same key = same effect")


def issued_view(row: EndorsementRow) -> IssuedEndorsement:
    return IssuedEndorsement(
        number=row.number, type=row.type, destination=row.destination, entries=row.entries,
        valid_from=row.valid_from, valid_until=row.valid_until, authority=row.authority, key_id=endorsements.KEY_ID,
        record_b64=base64.b64encode(row.record).decode("ascii"), written=row.written_at is not None,
    )  # fmt: skip


def _holder_permit(session: Session, id_number: str, permit_number: str) -> PermitRow:
    permit = session.get(PermitRow, permit_number)
    if permit is None or permit.id_number != id_number:
        raise ApiError(404, ErrorCode.NOT_FOUND, "no permit with this number for this holder")
    return permit


@router.post("/permit-access", response_model=PermitAccess)
def permit_access(body: PermitAccessRequest, _kiosk: str = Depends(authenticated_kiosk),
                  session: Session = Depends(get_db)) -> PermitAccess:  # fmt: skip
    """What BAC needs to open this holder's permit chip (the MRZ data, never the chip's contents)."""
    return endorsements.access_of(_holder_permit(session, body.id_number, body.permit_number))


@router.post("/eligibility", response_model=EndorsementEligibility, response_model_exclude_none=True)
def eligibility(body: EndorsementEligibilityRequest, _kiosk: str = Depends(authenticated_kiosk),
                session: Session = Depends(get_db), state: SandboxState = Depends(get_state)) -> EndorsementEligibility:  # fmt: skip
    permit = session.get(PermitRow, body.permit_number)
    unwritten = None
    if permit is not None and permit.id_number == body.id_number:
        pending = session.scalars(select(EndorsementRow).where(EndorsementRow.permit_number == permit.permit_number,
                                                               EndorsementRow.written_at.is_(None))).first()  # fmt: skip
        unwritten = issued_view(pending) if pending is not None else None
    reason, allowed = endorsements.refusal(session, state.settings, permit, body.id_number)
    if unwritten is not None or reason is not None:
        return EndorsementEligibility(eligible=False, reason=reason, next_allowed_on=allowed, unwritten=unwritten)
    return EndorsementEligibility(eligible=True, options=endorsements.options())


@router.post("", response_model=IssuedEndorsement, status_code=201)
def issue(body: EndorsementIssueRequest, request: Request, idempotency_key: str | None = KeyHeader,
          kiosk_id: str = Depends(authenticated_kiosk), state: SandboxState = Depends(get_state)) -> JSONResponse:  # fmt: skip
    def create(session: Session) -> IssuedEndorsement:
        permit = _holder_permit(session, body.id_number, body.permit_number)
        reason, _allowed = endorsements.refusal(session, state.settings, permit, body.id_number)
        if reason is not None:
            raise ApiError(409, ErrorCode.NOT_ELIGIBLE, f"not eligible: {reason}")
        if not body.face.live or body.face.score < body.face.threshold:
            raise ApiError(403, ErrorCode.VERIFICATION_REQUIRED, "a live face matching the permit's photo is required")
        fee = endorsements.FEES_CENTS[body.entries]
        number = f"E{state.settings.area_code[:4]}{secrets.randbelow(10**10):010d}"
        consume_payment(session, kiosk_id, body.payment_order_id, "endorsement", fee, f"endorsement:{number}")
        today = state.settings.clock.today()
        until = rules.add_months(today, body.validity_months)
        row = EndorsementRow(
            number=number, permit_number=permit.permit_number, id_number=body.id_number, destination=body.destination,
            type=body.type, entries=body.entries, valid_from=today, valid_until=until, applied_on=today,
            payment_order_id=body.payment_order_id, kiosk_id=kiosk_id, authority=state.settings.endorsement_authority,
            record=endorsements.signed_record(state.settings, body.type, body.destination, body.entries, today,
                                              until, number),
        )  # fmt: skip
        session.add(row)
        session.flush()
        return issued_view(row)

    return run_idempotent(state, request, kiosk_id, idempotency_key, body, create, status_code=201)


@router.post("/{number}/written", response_model=IssuedEndorsement)
def written(number: str, body: EndorsementWritten, _kiosk: str = Depends(authenticated_kiosk),
            state: SandboxState = Depends(get_state)) -> IssuedEndorsement:  # fmt: skip
    """The kiosk wrote the endorsement to the chip and printed the back (idempotent: the first time counts)."""
    if body.number != number:
        raise ApiError(422, ErrorCode.INVALID_REQUEST, "the number in the body differs from the path")
    with state.write_lock, state.sessions() as session:
        row = session.get(EndorsementRow, number)
        if row is None:
            raise ApiError(404, ErrorCode.NOT_FOUND, "no such endorsement")
        row.written_at = row.written_at or state.settings.clock.utc_naive()
        session.commit()
        return issued_view(row)
