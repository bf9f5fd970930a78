"""Authentication: administrators by a bearer token from the server's settings, kiosks by HTTP Basic
(kiosk id, secret). Secrets and enrolment tokens are 256-bit random values, so one SHA-256 is a sound
stored form (a slow password hash would only cost every poll) and comparison is constant-time.

Failed logins are counted per source address (server.fleet.security_events) and spend that source's
failure tokens: with none left, every further attempt from it is answered 429 until it has regained one.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

from fastapi import HTTPException, Request, status

from server.fleet import security_events
from server.guard.ratelimit import FailureLimiter, client_address


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)


def _unauthorized(detail: str, scheme: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail, headers={"WWW-Authenticate": scheme})


def _failures(request: Request) -> FailureLimiter:
    return request.app.state.login_failures


def refuse_if_locked_out(request: Request) -> None:
    """429 for a source that has spent its failed-login allowance."""
    source = client_address(request.scope)
    if _failures(request).locked_out(source):
        retry = str(_failures(request).retry_after_s(source))
        raise HTTPException(429, "too many failed attempts from this address", headers={"Retry-After": retry})


def note_failure(request: Request, kind: str, subject: str = "", detail: str = "") -> None:
    """Spend a failure token of the source and count the event (in its own transaction)."""
    source = client_address(request.scope)
    _failures(request).failed(source)
    with request.app.state.db.write() as session:
        security_events.record(session, kind, source, subject, detail)


def require_admin(request: Request) -> None:
    expected = request.app.state.settings.admin_token
    if not expected:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "the admin API is disabled: no admin token configured")
    refuse_if_locked_out(request)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.encode(), expected.encode()):
        note_failure(request, security_events.ADMIN_LOGIN_FAILED, detail="wrong or missing admin token")
        raise _unauthorized("admin bearer token required", "Bearer")


def kiosk_credentials(request: Request) -> tuple[str, str]:
    """(kiosk id, secret) from an HTTP Basic header; 401 when absent or garbled."""
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        raise _unauthorized("kiosk credentials required", "Basic")
    if len(encoded) > 512:
        raise _unauthorized("malformed credentials", "Basic")
    try:
        kiosk_id, sep, secret = base64.b64decode(encoded, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError) as error:
        raise _unauthorized("malformed credentials", "Basic") from error
    if not sep or not 0 < len(kiosk_id) <= 64:
        raise _unauthorized("malformed credentials", "Basic")
    return kiosk_id, secret
