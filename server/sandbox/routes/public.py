"""What phones and verifiers reach without a kiosk credential: the issuer's published keys, the verify page
the certificate's QR opens, the number + code form, and the acceptance slip's lookup. Plus the admin's key
rotation and revocation."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from contracts import AcceptanceStatus, CertificateVerification, ErrorCode
from contracts.issuer_keys import ISSUER_KEYS_PATH, IssuerKey, IssuerKeySet
from server.sandbox import acceptance, keys, pages, verification
from server.sandbox.errors import ApiError
from server.sandbox.state import SandboxState, admin, get_state

router = APIRouter(tags=["public"])  # at the site's root: the addresses printed on paper
api_router = APIRouter(tags=["public"])  # under /api/v1
admin_router = APIRouter(prefix="/admin/issuer-keys", tags=["admin"], dependencies=[Depends(admin)])
KEYS_MAX_AGE_S = 3600  # verifiers cache the key set; a rotation is visible within the hour


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


@router.get(ISSUER_KEYS_PATH, response_model=IssuerKeySet)
def issuer_keys(request: Request, state: SandboxState = Depends(get_state)) -> JSONResponse:
    """The certificate issuer's public keys (JWK set, Ed25519) with each key's signing period and status."""
    base = verification.public_base(state.settings, str(request.base_url))
    with state.sessions() as session:
        key_set = keys.key_set(session, state.settings, base)
    return JSONResponse(key_set.model_dump(mode="json", exclude_none=True),
                        headers={"Cache-Control": f"public, max-age={KEYS_MAX_AGE_S}"})  # fmt: skip


@router.get("/v/{payload}", response_model=CertificateVerification, response_model_exclude_none=True)
def verify_page(payload: str, request: Request, state: SandboxState = Depends(get_state)) -> Response:
    """What the certificate's QR opens: the signed payload checked, then the certificate's status.
    HTML for a phone, JSON when asked for (Accept: application/json)."""
    with state.write_lock, state.sessions() as session:
        try:
            answer = verification.by_payload(session, state.settings, payload)
        except ApiError:
            if _wants_json(request):
                raise
            return HTMLResponse(pages.limit_page(), status_code=429)
        session.commit()
    if _wants_json(request):
        return JSONResponse(answer.verification.model_dump(mode="json", exclude_none=True))
    full_name = answer.claims.name if answer.claims is not None else None
    return HTMLResponse(pages.verification_page(answer.verification, full_name=full_name))


@router.get("/verify", response_class=HTMLResponse)
def lookup_page(
    number: str = Query(default="", max_length=32), code: str = Query(default="", max_length=16),
    state: SandboxState = Depends(get_state),
) -> HTMLResponse:
    """The address printed on the paper: type 编号 + 验证码 (the same check as the JSON endpoint)."""
    if not number.strip() or not code.strip():
        return HTMLResponse(pages.lookup_form(number))
    with state.write_lock, state.sessions() as session:
        try:
            answer = verification.by_code(session, state.settings, number, code)
        except ApiError:
            return HTMLResponse(pages.limit_page(), status_code=429)
        session.commit()
    return HTMLResponse(pages.verification_page(answer))


@router.get(f"{acceptance.RESULT_PATH}/{{number}}", response_class=HTMLResponse)
def acceptance_page(number: str, state: SandboxState = Depends(get_state)) -> HTMLResponse:
    """What the acceptance slip's QR opens."""
    with state.sessions() as session:
        answer = acceptance.status(session, number[:40], state.settings.clock.today())
    return HTMLResponse(pages.acceptance_page(answer))


@api_router.get("/acceptances/{number}", response_model=AcceptanceStatus, response_model_exclude_none=True)
def acceptance_status(number: str, state: SandboxState = Depends(get_state)) -> AcceptanceStatus:
    with state.sessions() as session:
        return acceptance.status(session, number[:40], state.settings.clock.today())


@admin_router.post("/rotate", response_model=IssuerKey, response_model_exclude_none=True)
def rotate_key(state: SandboxState = Depends(get_state)) -> IssuerKey:
    """A new signing key from today; the old one stays published for the certificates it signed."""
    with state.write_lock, state.sessions() as session:
        row = keys.rotate(session, state.settings.clock.today())
        session.commit()
        return keys.published(row)


@admin_router.post("/{kid}/revoke", response_model=IssuerKey, response_model_exclude_none=True)
def revoke_key(kid: str, state: SandboxState = Depends(get_state)) -> IssuerKey:
    """A compromised key: everything it signed stops verifying (a new key signs from now on)."""
    with state.write_lock, state.sessions() as session:
        try:
            row = keys.revoke(session, kid, state.settings.clock.today())
        except keys.NoSuchKey:
            raise ApiError(404, ErrorCode.NOT_FOUND, "no such issuer key") from None
        session.commit()
        return keys.published(row)
