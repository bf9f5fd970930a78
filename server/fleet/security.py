"""Authentication: administrators by a bearer token from the server's settings, kiosks by HTTP Basic
(kiosk id, secret). Secrets and enrolment tokens are 256-bit random values, so one SHA-256 is a sound
stored form (a slow password hash would only cost every poll) and comparison is constant-time.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

from fastapi import HTTPException, Request, status


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)


def _unauthorized(detail: str, scheme: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail, headers={"WWW-Authenticate": scheme})


def require_admin(request: Request) -> None:
    expected = request.app.state.settings.admin_token
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if not expected:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "the admin API is disabled: no admin token configured")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.encode(), expected.encode()):
        raise _unauthorized("admin bearer token required", "Bearer")


def kiosk_credentials(request: Request) -> tuple[str, str]:
    """(kiosk id, secret) from an HTTP Basic header; 401 when absent or garbled."""
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        raise _unauthorized("kiosk credentials required", "Basic")
    try:
        kiosk_id, sep, secret = base64.b64decode(encoded, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError) as error:
        raise _unauthorized("malformed credentials", "Basic") from error
    if not sep:
        raise _unauthorized("malformed credentials", "Basic")
    return kiosk_id, secret
