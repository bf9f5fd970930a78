"""Person lookup and face verification (人证核验)."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from contracts.common import MAX_IMAGE_B64_CHARS, Contract, IdNumber


class PersonQuery(Contract):
    id_number: IdNumber


class PersonSummary(Contract):
    """Masked: enough for a screen to say "is this you?", nothing more."""

    id_number_masked: str
    name_masked: str
    sex: str  # 男 | 女
    birth_year: int
    has_registry_photo: bool
    card_application_pending: bool


class FaceVerifyRequest(Contract):
    id_number: IdNumber
    image_jpeg_b64: str = Field(
        min_length=4, max_length=MAX_IMAGE_B64_CHARS, description="the live capture, JPEG (or PNG), base64"
    )


class FaceVerification(Contract):
    """Match or no match, nothing more: a score would let a caller climb towards the threshold."""

    match: bool
    # Present when match: proves to later calls (record, temp ID, traffic handling) that this
    # ID number's holder stood at this kiosk; expires after verification_expires_at.
    verification_token: str | None = None
    verification_expires_at: dt.datetime | None = None
