"""What every call of the police-backend API shares: paths, headers, the error body and its codes."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from contracts.idnumber import is_valid_id_number

API_PREFIX = "/api/v1"
KIOSK_ID_HEADER = "X-Kiosk-Id"
KIOSK_KEY_HEADER = "X-Kiosk-Key"
ADMIN_TOKEN_HEADER = "X-Admin-Token"
IDEMPOTENCY_HEADER = "Idempotency-Key"


class Contract(BaseModel):
    # Unknown fields are ignored, not refused: either side may add fields without breaking the other.
    # Numbers are finite: NaN and Infinity are neither valid amounts nor encodable as JSON.
    model_config = ConfigDict(extra="ignore", frozen=True, allow_inf_nan=False)


def _id_number(value: str) -> str:
    value = value.strip().upper()
    if not is_valid_id_number(value):
        raise ValueError("invalid_id_number")
    return value


IdNumber = Annotated[str, Field(max_length=64, examples=["110105199003074578"]), AfterValidator(_id_number)]
# Bounds of the opaque strings a kiosk sends back (the server made them: longer ones are not its own).
Token = Annotated[str, Field(min_length=1, max_length=128)]
OrderId = Annotated[str, Field(min_length=1, max_length=32)]
MAX_IMAGE_B64_CHARS = 1_400_000  # a JPEG of about 1 MiB; the kiosk sends about 100 KiB


class ErrorBody(Contract):
    """Every 4xx/5xx answer: a stable machine code and a sentence for logs and technicians."""

    code: str
    message: str


class ErrorCode:
    """The stable codes of ErrorBody.code; flows branch on these, never on messages."""

    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    INVALID_REQUEST = "invalid_request"
    INVALID_ID_NUMBER = "invalid_id_number"
    IDEMPOTENCY_KEY_MISSING = "idempotency_key_missing"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    NOT_FOUND = "not_found"
    PERSON_NOT_FOUND = "person_not_found"
    NO_FACE = "no_face"
    INVALID_IMAGE = "invalid_image"
    NO_REGISTRY_PHOTO = "no_registry_photo"
    VERIFICATION_REQUIRED = "verification_required"
    NOT_OWN_RECORD = "not_own_record"
    NOT_ELIGIBLE = "not_eligible"
    YEARLY_CAP_REACHED = "yearly_cap_reached"
    PAYMENT_NOT_PAID = "payment_not_paid"
    PAYMENT_MISMATCH = "payment_mismatch"
    PAYMENT_ALREADY_USED = "payment_already_used"
    ORDER_NOT_PENDING = "order_not_pending"
    VEHICLE_NOT_FOUND = "vehicle_not_found"
    VIOLATION_NOT_FOUND = "violation_not_found"
    VERIFICATION_LIMIT_REACHED = "verification_limit_reached"
    FACE_ATTEMPTS_EXCEEDED = "face_attempts_exceeded"  # too many failed face checks: refer to the counter
    RATE_LIMITED = "rate_limited"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    SANDBOX_FAULT = "sandbox_fault"
    INTERNAL = "internal_error"


class Health(Contract):
    status: str  # "ok"
    version: str
    database: str  # "ok" | "error"
    time: str  # ISO 8601, the server clock (injectable in the sandbox)
