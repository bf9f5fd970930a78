"""No-criminal-record certificate (无犯罪记录证明): own record only, free, capped per calendar year."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contracts import (
    IDEMPOTENCY_HEADER,
    Certificate,
    CertificateOutcome,
    CertificateRequest,
    CertificateVerification,
    ErrorCode,
    RecordCheck,
    RecordCheckRequest,
    RecordOutcome,
)
from server.sandbox import acceptance, numbers, verification
from server.sandbox.checks import citizen_or_404, require_verified
from server.sandbox.errors import ApiError
from server.sandbox.idempotency import run_idempotent
from server.sandbox.models import CertificateRow, Citizen, RecordRequest
from server.sandbox.seal import issuer_seal
from server.sandbox.settings import SandboxSettings
from server.sandbox.state import SandboxState, authenticated_kiosk, get_db, get_state

router = APIRouter(prefix="/records", tags=["criminal record"])
public_router = APIRouter(prefix="/certificates", tags=["public"])
_OUTCOMES = {"clean": RecordOutcome.CLEAN, "record": RecordOutcome.REFER_TO_COUNTER, "pending": RecordOutcome.PENDING}


def _requests_this_year(session: Session, id_number: str, today: dt.date) -> int:
    first_day = dt.date(today.year, 1, 1)
    query = select(func.count()).where(RecordRequest.id_number == id_number, RecordRequest.requested_on >= first_day)
    return session.execute(query).scalar_one()


def _check(session: Session, state: SandboxState, citizen: Citizen) -> RecordCheck:
    cap = state.settings.record_yearly_cap
    count = _requests_this_year(session, citizen.id_number, state.settings.clock.today())
    return RecordCheck(
        outcome=_OUTCOMES[citizen.record_status], requests_this_year=count, yearly_cap=cap,
        cap_reached=cap > 0 and count >= cap,
    )  # fmt: skip


@router.post("/check", response_model=RecordCheck)
def check(
    body: RecordCheckRequest,
    kiosk_id: str = Depends(authenticated_kiosk),
    session: Session = Depends(get_db),
    state: SandboxState = Depends(get_state),
) -> RecordCheck:
    citizen = citizen_or_404(session, body.id_number)
    require_verified(session, state.settings, kiosk_id, body.verification_token, body.id_number)
    return _check(session, state, citizen)


@router.post("/certificates", response_model=CertificateOutcome, response_model_exclude_none=True, status_code=201)
def request_certificate(
    body: CertificateRequest,
    request: Request,
    idempotency_key: str | None = Header(default=None, alias=IDEMPOTENCY_HEADER),
    kiosk_id: str = Depends(authenticated_kiosk),
    state: SandboxState = Depends(get_state),
) -> JSONResponse:
    """clean: the certificate; refer_to_counter: nothing more (staff issue the notice); pending: a receipt."""
    settings = state.settings
    base = verification.public_base(settings, str(request.base_url))

    def decide(session: Session) -> CertificateOutcome:
        citizen = citizen_or_404(session, body.id_number)
        require_verified(session, settings, kiosk_id, body.verification_token, body.id_number)
        if _check(session, state, citizen).cap_reached:
            raise ApiError(429, ErrorCode.YEARLY_CAP_REACHED, "yearly request limit reached: ask at the counter")
        today = settings.clock.today()
        outcome = _OUTCOMES[citizen.record_status]
        request_row = RecordRequest(id_number=citizen.id_number, requested_on=today, outcome=outcome.value)
        session.add(request_row)
        if outcome is RecordOutcome.PENDING:
            number = numbers.acceptance_number(session, settings.area_code, today)
            request_row.acceptance_number = number
            return CertificateOutcome(outcome=outcome, acceptance_number=number, settle_by=acceptance.settle_by(today),
                                      result_url=acceptance.result_url(base, number))  # fmt: skip
        if outcome is RecordOutcome.REFER_TO_COUNTER:
            return CertificateOutcome(outcome=outcome)
        certificate = _issue(session, settings, base, citizen, body.purpose, today)
        return CertificateOutcome(outcome=outcome, certificate=certificate)

    return run_idempotent(state, request, kiosk_id, idempotency_key, body, decide, status_code=201)


def _issue(session: Session, settings: SandboxSettings, base: str, citizen: Citizen, purpose: str,
           today: dt.date) -> Certificate:  # fmt: skip
    """A certificate with its verification data signed under today's issuer key, and the unit's e-seal."""
    number = numbers.certificate_number(session, settings.area_code, today)
    expiry = today + dt.timedelta(days=settings.certificate_validity_days)
    code = numbers.verification_code()
    claims = verification.claims_for(number, citizen, purpose, settings.issuing_unit, today, expiry)
    issued = verification.issue(session, base, claims, code, today)
    session.add(CertificateRow(
        certificate_number=number, id_number=citizen.id_number, purpose=purpose, issue_date=today,
        expiry_date=expiry, verification_code=code, verification_count=0, revoked=False,
        issuing_unit=settings.issuing_unit, checked_until=today, key_id=issued.key_id,
    ))  # fmt: skip
    return Certificate(
        certificate_number=number, name=citizen.name, sex=citizen.sex, id_number=citizen.id_number,
        purpose=purpose, checked_until=today, issue_date=today, expiry_date=expiry,
        issuing_unit=settings.issuing_unit, verification=issued.data,
        seal=issuer_seal(settings.issuing_unit) if settings.issue_seal else None,
    )  # fmt: skip


@public_router.get("/{number}/verify", response_model=CertificateVerification, response_model_exclude_none=True)
def verify_certificate(
    number: Annotated[str, Path(min_length=1, max_length=32)], code: str = Query(min_length=1, max_length=16), state: SandboxState = Depends(get_state)
) -> CertificateVerification:
    """Public (no kiosk credential): 编号 + 验证码 as typed from the paper; counts towards the limit."""
    with state.write_lock, state.sessions() as session:
        answer = verification.by_code(session, state.settings, number, code)
        session.commit()
        return answer
