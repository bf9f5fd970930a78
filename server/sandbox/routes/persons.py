"""Person lookup (masked) and face verification against the registry photo."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import logging
import secrets

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from contracts import (
    ErrorCode,
    FaceVerification,
    FaceVerifyRequest,
    PersonQuery,
    PersonSummary,
    mask_id_number,
    mask_name,
)
from server.sandbox import face, face_limits
from server.sandbox.checks import citizen_or_404
from server.sandbox.errors import ApiError
from server.sandbox.models import FaceVerificationToken, RegistryPhoto
from server.sandbox.state import SandboxState, authenticated_kiosk, get_db, get_state

router = APIRouter(prefix="/persons", tags=["persons"])
log = logging.getLogger(__name__)


@router.post("/lookup", response_model=PersonSummary)
def lookup_person(
    query: PersonQuery, _kiosk: str = Depends(authenticated_kiosk), session: Session = Depends(get_db)
) -> PersonSummary:
    """POST, not GET: the ID number stays out of URLs and access logs."""
    citizen = citizen_or_404(session, query.id_number)
    return PersonSummary(
        id_number_masked=mask_id_number(citizen.id_number),
        name_masked=mask_name(citizen.name),
        sex=citizen.sex,
        birth_year=citizen.birth_date.year,
        has_registry_photo=session.get(RegistryPhoto, citizen.id_number) is not None,
        card_application_pending=citizen.card_application_no is not None,
    )


def _decode_capture(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ApiError(422, ErrorCode.INVALID_IMAGE, "image_jpeg_b64 is not base64") from error


@router.post("/face-verify", response_model=FaceVerification, response_model_exclude_none=True)
def verify_face(
    request: FaceVerifyRequest,
    kiosk_id: str = Depends(authenticated_kiosk),
    session: Session = Depends(get_db),
    state: SandboxState = Depends(get_state),
) -> FaceVerification:
    """Compare a live capture with the registry photo; a match yields a short-lived verification token.

    The answer is match or no match only (no score to climb by); failed comparisons are limited per
    person and per kiosk (429 face_attempts_exceeded)."""
    citizen_or_404(session, request.id_number)
    photo = session.get(RegistryPhoto, request.id_number)
    if photo is None:
        raise ApiError(409, ErrorCode.NO_REGISTRY_PHOTO, "no registry photo on file: refer to the counter")
    settings = state.settings
    face_limits.refuse_if_exhausted(session, settings, kiosk_id, request.id_number)
    try:
        result = face.compare(_decode_capture(request.image_jpeg_b64), photo.image, settings.face_threshold)
    except face.UnreadableImage as error:
        raise ApiError(422, ErrorCode.INVALID_IMAGE, str(error)) from error
    except face.NoFace as error:
        raise ApiError(422, ErrorCode.NO_FACE, "no face found in the capture") from error
    except face.RegistryPhotoUnusable as error:
        raise ApiError(409, ErrorCode.NO_REGISTRY_PHOTO, str(error)) from error
    log.info("face verification %s score=%.3f", "match" if result.match else "no match", result.score)
    face_limits.record_attempt(session, settings, kiosk_id, request.id_number, result.match)
    if not result.match:
        session.commit()
        return FaceVerification(match=False)
    expires = settings.clock.now() + dt.timedelta(seconds=settings.verification_ttl_s)
    token = secrets.token_urlsafe(24)
    session.add(FaceVerificationToken(
        token=token, id_number=request.id_number, kiosk_id=kiosk_id,
        expires_at=expires.astimezone(dt.UTC).replace(tzinfo=None),
    ))  # fmt: skip
    session.commit()
    return FaceVerification(match=True, verification_token=token, verification_expires_at=expires)
