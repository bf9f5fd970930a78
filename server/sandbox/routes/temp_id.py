"""Temporary resident ID card (临时居民身份证): eligibility and issuance (公安部令第78号)."""

from __future__ import annotations

import base64

import cv2
import numpy as np
from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts import (
    IDEMPOTENCY_HEADER,
    ErrorCode,
    TempIdCard,
    TempIdEligibility,
    TempIdEligibilityRequest,
    TempIdIneligibleReason,
    TempIdIssueRequest,
)
from server.sandbox import numbers, rules
from server.sandbox.checks import citizen_or_404, consume_payment, require_verified
from server.sandbox.errors import ApiError
from server.sandbox.idempotency import run_idempotent
from server.sandbox.models import Citizen, RegistryPhoto, TempIdCardRow
from server.sandbox.state import SandboxState, authenticated_kiosk, get_db, get_state

router = APIRouter(prefix="/temp-id", tags=["temporary ID"])


def _refusal(session: Session, state: SandboxState, citizen: Citizen) -> TempIdIneligibleReason | None:
    if citizen.card_application_no is None:
        return TempIdIneligibleReason.NO_PENDING_APPLICATION
    active = session.execute(
        select(TempIdCardRow).where(
            TempIdCardRow.id_number == citizen.id_number, TempIdCardRow.valid_until >= state.settings.clock.today()
        )
    ).first()
    return TempIdIneligibleReason.ACTIVE_TEMP_ID_EXISTS if active else None


@router.post("/eligibility", response_model=TempIdEligibility, response_model_exclude_none=True)
def eligibility(
    query: TempIdEligibilityRequest,
    _kiosk: str = Depends(authenticated_kiosk),
    session: Session = Depends(get_db),
    state: SandboxState = Depends(get_state),
) -> TempIdEligibility:
    reason = _refusal(session, state, citizen_or_404(session, query.id_number))
    settings = state.settings
    return TempIdEligibility(
        eligible=reason is None, reason=reason,
        fee_cents=settings.temp_id_fee_cents, validity_months=settings.temp_id_validity_months,
    )  # fmt: skip


def _black_and_white(image: bytes) -> str:
    """The card carries a black-and-white photo: re-encode the registry photo as grayscale JPEG."""
    gray = cv2.imdecode(np.frombuffer(image, np.uint8), cv2.IMREAD_GRAYSCALE)
    ok, data = cv2.imencode(".jpg", gray, [cv2.IMWRITE_JPEG_QUALITY, 90]) if gray is not None else (False, None)
    if not ok:
        raise ApiError(409, ErrorCode.NO_REGISTRY_PHOTO, "registry photo unusable: refer to the counter")
    return base64.b64encode(data.tobytes()).decode()


@router.post("/issue", response_model=TempIdCard, status_code=201)
def issue(
    body: TempIdIssueRequest,
    request: Request,
    idempotency_key: str | None = Header(default=None, alias=IDEMPOTENCY_HEADER),
    kiosk_id: str = Depends(authenticated_kiosk),
    state: SandboxState = Depends(get_state),
) -> JSONResponse:
    """Needs the face-verified holder, a pending application and a paid 10-yuan order."""
    settings = state.settings

    def issue_card(session: Session) -> TempIdCard:
        citizen = citizen_or_404(session, body.id_number)
        require_verified(session, settings, kiosk_id, body.verification_token, body.id_number)
        reason = _refusal(session, state, citizen)
        if reason is not None:
            raise ApiError(409, ErrorCode.NOT_ELIGIBLE, reason.value)
        photo = session.get(RegistryPhoto, citizen.id_number)
        if photo is None:
            raise ApiError(409, ErrorCode.NO_REGISTRY_PHOTO, "no registry photo on file: refer to the counter")
        card_number = numbers.temp_card_number(session, settings.area_code)
        consume_payment(session, kiosk_id, body.payment_order_id, "temp_id", settings.temp_id_fee_cents, card_number)
        today = settings.clock.today()
        row = TempIdCardRow(
            card_number=card_number, id_number=citizen.id_number, valid_from=today,
            valid_until=rules.add_months(today, settings.temp_id_validity_months),
            payment_order_id=body.payment_order_id,
        )  # fmt: skip
        session.add(row)
        return TempIdCard(
            card_number=card_number, name=citizen.name, sex=citizen.sex, ethnicity=citizen.ethnicity,
            birth_date=citizen.birth_date, address=citizen.address, id_number=citizen.id_number,
            valid_from=row.valid_from, valid_until=row.valid_until, issuing_authority=settings.issuing_unit,
            photo_jpeg_b64=_black_and_white(photo.image),
        )  # fmt: skip

    return run_idempotent(state, request, kiosk_id, idempotency_key, body, issue_card, status_code=201)
