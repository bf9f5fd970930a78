"""BackendClient: one typed method per police-backend call (schemas from contracts).

Side-effecting calls take an `idempotency_key`: pass the key the journal recorded before the call, so
a retry after a crash or a lost answer repeats the same effect instead of making a second one. When
omitted, a fresh key is made per call (and used for every retry of that call).
"""

from __future__ import annotations

import base64
import uuid
from typing import Any, TypeVar

import requests
from pydantic import BaseModel, ValidationError

from contracts import (
    API_PREFIX,
    IDEMPOTENCY_HEADER,
    KIOSK_ID_HEADER,
    KIOSK_KEY_HEADER,
    CertificateOutcome,
    CertificateVerification,
    EndorsementEligibility,
    FaceVerification,
    HandlingDecision,
    Health,
    IssuedDocument,
    IssuedEndorsement,
    PaymentOrder,
    PaymentPurpose,
    PermitAccess,
    PersonSummary,
    RecordCheck,
    Refund,
    TempIdCard,
    TempIdEligibility,
    ViolationList,
    ViolationPayment,
)
from kiosk.backend.errors import BackendUnavailable
from kiosk.backend.transport import BackendTransport, Timeouts, build_session
from kiosk.config import BackendConfig, KioskConfig

Result = TypeVar("Result", bound=BaseModel)
FACE_READ_FACTOR = 2.0  # face comparison takes longer than a lookup


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


class BackendClient:
    def __init__(
        self,
        config: BackendConfig,
        kiosk_id: str,
        *,
        backoff_s: float = 0.5,
        session: requests.Session | None = None,
    ) -> None:
        self.kiosk_id = kiosk_id
        session = session or build_session(config.retries, backoff_s, config.ca_file)
        headers = {KIOSK_ID_HEADER: kiosk_id, KIOSK_KEY_HEADER: config.kiosk_key, "Accept": "application/json"}
        timeouts = Timeouts(config.connect_timeout_s, config.read_timeout_s)
        self._http = BackendTransport(config.url, headers, session, config.retries, backoff_s, timeouts)

    @classmethod
    def from_kiosk_config(cls, config: KioskConfig, **options: Any) -> BackendClient:
        return cls(config.backend, config.kiosk_id, **options)

    def close(self) -> None:
        self._http.session.close()

    def __enter__(self) -> BackendClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- plumbing -------------------------------------------------------------------------------

    def _get(self, model: type[Result], path: str, params: dict[str, str] | None = None) -> Result:
        return _parse(model, self._http.request("GET", API_PREFIX + path, params=params))

    def _query(self, model: type[Result], path: str, body: dict[str, Any], timeouts: Timeouts | None = None) -> Result:
        """A POST without side effects (personal data stays out of the URL): safe to retry."""
        return _parse(model, self._http.request("POST", API_PREFIX + path, json=body, timeouts=timeouts))

    def _command(self, model: type[Result], path: str, body: dict[str, Any] | None, key: str | None) -> Result:
        """A side-effecting POST: one Idempotency-Key for the call and all of its retries."""
        headers = {IDEMPOTENCY_HEADER: key or new_idempotency_key()}
        return _parse(model, self._http.request("POST", API_PREFIX + path, json=body, headers=headers))

    # -- calls ----------------------------------------------------------------------------------

    def health(self) -> Health:
        return self._get(Health, "/health")

    def lookup_person(self, id_number: str) -> PersonSummary:
        return self._query(PersonSummary, "/persons/lookup", {"id_number": id_number})

    def verify_face(self, id_number: str, capture_jpeg: bytes) -> FaceVerification:
        """Live capture vs registry photo; BackendRejected code "no_face" when the capture shows no face."""
        body = {"id_number": id_number, "image_jpeg_b64": base64.b64encode(capture_jpeg).decode()}
        return self._query(FaceVerification, "/persons/face-verify", body, self._http.timeouts.scaled(FACE_READ_FACTOR))

    def temp_id_eligibility(self, id_number: str) -> TempIdEligibility:
        return self._query(TempIdEligibility, "/temp-id/eligibility", {"id_number": id_number})

    def issue_temp_id(
        self, id_number: str, verification_token: str, payment_order_id: str, *, idempotency_key: str | None = None
    ) -> TempIdCard:
        body = {"id_number": id_number, "verification_token": verification_token, "payment_order_id": payment_order_id}
        return self._command(TempIdCard, "/temp-id/issue", body, idempotency_key)

    def check_record(self, id_number: str, verification_token: str) -> RecordCheck:
        return self._query(
            RecordCheck, "/records/check", {"id_number": id_number, "verification_token": verification_token}
        )

    def request_certificate(
        self, id_number: str, verification_token: str, purpose: str, *, idempotency_key: str | None = None
    ) -> CertificateOutcome:
        body = {"id_number": id_number, "verification_token": verification_token, "purpose": purpose}
        return self._command(CertificateOutcome, "/records/certificates", body, idempotency_key)

    def verify_certificate(self, certificate_number: str, code: str) -> CertificateVerification:
        return self._get(CertificateVerification, f"/certificates/{certificate_number}/verify", {"code": code})

    def violations_by_licence(self, id_number: str) -> ViolationList:
        return self._query(ViolationList, "/traffic/violations/by-licence", {"id_number": id_number})

    def violations_by_plate(self, plate_number: str, plate_type: str, vin_last6: str) -> ViolationList:
        body = {"plate_number": plate_number, "plate_type": plate_type, "vin_last6": vin_last6}
        return self._query(ViolationList, "/traffic/violations/by-plate", body)

    def handle_violation(
        self, violation_id: str, driver_id_number: str, verification_token: str, *, idempotency_key: str | None = None
    ) -> HandlingDecision:
        body = {"driver_id_number": driver_id_number, "verification_token": verification_token}
        return self._command(HandlingDecision, f"/traffic/violations/{violation_id}/handle", body, idempotency_key)

    def pay_violation(
        self, violation_id: str, payment_order_id: str, *, idempotency_key: str | None = None
    ) -> ViolationPayment:
        body = {"payment_order_id": payment_order_id}
        return self._command(ViolationPayment, f"/traffic/violations/{violation_id}/payment", body, idempotency_key)

    def create_payment(
        self, amount_cents: int, purpose: PaymentPurpose | str, reference: str, *, idempotency_key: str | None = None
    ) -> PaymentOrder:
        body = {"amount_cents": amount_cents, "purpose": str(purpose), "reference": reference}
        return self._command(PaymentOrder, "/payments", body, idempotency_key)

    def payment_status(self, order_id: str) -> PaymentOrder:
        return self._get(PaymentOrder, f"/payments/{order_id}")

    def cancel_payment(self, order_id: str, *, idempotency_key: str | None = None) -> PaymentOrder:
        return self._command(PaymentOrder, f"/payments/{order_id}/cancel", None, idempotency_key)

    def request_refund(self, payment_order_id: str, amount_cents: int, reason: str, *,
                       idempotency_key: str) -> Refund:  # fmt: skip
        """Give a paid order's money back; answered as the refund stands (requested, refunded or failed)."""
        body = {"amount_cents": amount_cents, "reason": reason}
        return self._command(Refund, f"/payments/{payment_order_id}/refund", body, idempotency_key)

    def refund_status(self, payment_order_id: str) -> Refund:
        return self._get(Refund, f"/payments/{payment_order_id}/refund")

    # -- 港澳签注 -------------------------------------------------------------------------------------
    def permit_access(self, id_number: str, permit_number: str) -> PermitAccess:
        """What opens this holder's permit chip (BAC); BackendRejected "not_found" for another's permit."""
        return self._query(PermitAccess, "/endorsements/permit-access",
                           {"id_number": id_number, "permit_number": permit_number})  # fmt: skip

    def endorsement_eligibility(self, id_number: str, permit_number: str) -> EndorsementEligibility:
        return self._query(EndorsementEligibility, "/endorsements/eligibility",
                           {"id_number": id_number, "permit_number": permit_number})  # fmt: skip

    def issue_endorsement(self, body: dict[str, Any], *, idempotency_key: str) -> IssuedEndorsement:
        return self._command(IssuedEndorsement, "/endorsements", body, idempotency_key)

    def endorsement_written(self, number: str) -> IssuedEndorsement:
        return self._command(IssuedEndorsement, f"/endorsements/{number}/written", {"number": number},
                             f"written-{number}")  # fmt: skip

    # -- read-back after a crash (the journal keeps no personal data, so an issue call cannot be repeated) --

    def issued_document(self, issue_key: str) -> IssuedDocument:
        """What this kiosk's issue call under `issue_key` produced; BackendRejected "not_found": nothing."""
        return self._get(IssuedDocument, f"/documents/by-key/{issue_key}")


def _parse(model: type[Result], body: Any) -> Result:
    try:
        return model.model_validate(body)
    except ValidationError as error:
        raise BackendUnavailable(f"backend answer is not a valid {model.__name__}") from error
