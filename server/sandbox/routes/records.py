"""No-criminal-record certificate (无犯罪记录证明): own record only, free, capped per calendar year."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contracts import (
    API_PREFIX,
    IDEMPOTENCY_HEADER,
    Certificate,
    CertificateOutcome,
    CertificateRequest,
    CertificateVerification,
    ErrorCode,
    RecordCheck,
    RecordCheckRequest,
    RecordOutcome,
    mask_name,
)
from server.sandbox import numbers, rules
from server.sandbox.checks import citizen_or_404, require_verified
from server.sandbox.errors import ApiError
from server.sandbox.idempotency import run_idempotent
from server.sandbox.models import CertificateRow, Citizen, RecordRequest
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
            request_row.acceptance_number = numbers.acceptance_number(session, settings.area_code, today)
            settle_by = rules.add_working_days(today, rules.RECORD_SETTLE_WORKING_DAYS)
            return CertificateOutcome(
                outcome=outcome, acceptance_number=request_row.acceptance_number, settle_by=settle_by
            )
        if outcome is RecordOutcome.REFER_TO_COUNTER:
            return CertificateOutcome(outcome=outcome)
        return CertificateOutcome(outcome=outcome, certificate=_issue(session, settings, citizen, body.purpose, today))

    return run_idempotent(state, request, kiosk_id, idempotency_key, body, decide, status_code=201)


def _issue(session: Session, settings, citizen: Citizen, purpose: str, today: dt.date) -> Certificate:
    row = CertificateRow(
        certificate_number=numbers.certificate_number(session, settings.area_code, today),
        id_number=citizen.id_number, purpose=purpose, issue_date=today,
        expiry_date=today + dt.timedelta(days=settings.certificate_validity_days),
        verification_code=numbers.verification_code(), verification_count=0, revoked=False,
    )  # fmt: skip
    session.add(row)
    return Certificate(
        certificate_number=row.certificate_number, name=citizen.name, sex=citizen.sex, id_number=citizen.id_number,
        purpose=purpose, checked_until=today, issue_date=today, expiry_date=row.expiry_date,
        issuing_unit=settings.issuing_unit, verification_code=row.verification_code,
        verification_path=f"{API_PREFIX}/certificates/{row.certificate_number}/verify?code={row.verification_code}",
    )  # fmt: skip


@public_router.get("/{number}/verify", response_model=CertificateVerification, response_model_exclude_none=True)
def verify_certificate(
    number: str, code: str = Query(min_length=1, max_length=16), state: SandboxState = Depends(get_state)
) -> CertificateVerification:
    """Public (no kiosk credential). A wrong code looks exactly like an unknown number."""
    settings = state.settings
    with state.write_lock, state.sessions() as session:
        row = session.get(CertificateRow, number)
        if row is None or row.verification_code != code.strip().upper():
            return CertificateVerification(status="unknown")
        if row.verification_count >= settings.certificate_verify_limit:
            raise ApiError(
                429, ErrorCode.VERIFICATION_LIMIT_REACHED, "this certificate's verification limit is reached"
            )
        row.verification_count += 1
        session.commit()
        citizen = session.get(Citizen, row.id_number)
        status = "revoked" if row.revoked else "expired" if row.expiry_date < settings.clock.today() else "valid"
        return CertificateVerification(
            status=status, name_masked=mask_name(citizen.name if citizen else ""), purpose=row.purpose,
            issue_date=row.issue_date, expiry_date=row.expiry_date,
            verifications_left=settings.certificate_verify_limit - row.verification_count,
        )  # fmt: skip
