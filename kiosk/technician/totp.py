"""HOTP (RFC 4226) and TOTP (RFC 6238) with the standard library: the technician's second factor."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

ALGORITHMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}
DEFAULT_STEP = 30
DEFAULT_DIGITS = 6


def hotp(secret: bytes, counter: int, *, digits: int = DEFAULT_DIGITS, algorithm: str = "sha1") -> str:
    """RFC 4226: HMAC over the 8-byte counter, dynamic truncation, `digits` decimal digits."""
    if not 6 <= digits <= 10:
        raise ValueError("digits must be 6..10")
    mac = hmac.new(secret, struct.pack(">Q", counter), ALGORITHMS[algorithm]).digest()
    offset = mac[-1] & 0x0F
    code = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(code % 10**digits).zfill(digits)


def time_step(at: float, step: int = DEFAULT_STEP) -> int:
    return int(at // step)


def totp(
    secret: bytes, at: float, *, step: int = DEFAULT_STEP, digits: int = DEFAULT_DIGITS, algorithm: str = "sha1"
) -> str:
    """RFC 6238: HOTP with the counter T = floor(unix time / step)."""
    return hotp(secret, time_step(at, step), digits=digits, algorithm=algorithm)


def match_totp(
    secret: bytes,
    code: str,
    at: float,
    *,
    window: int = 1,
    step: int = DEFAULT_STEP,
    digits: int = DEFAULT_DIGITS,
    algorithm: str = "sha1",
) -> int | None:
    """The time step whose code equals `code` within ±window steps (clock drift), or None."""
    code = code.strip()
    if len(code) != digits or not code.isdigit():
        return None
    current = time_step(at, step)
    for counter in range(current - window, current + window + 1):
        if hmac.compare_digest(hotp(secret, counter, digits=digits, algorithm=algorithm), code):
            return counter
    return None


def new_secret(length: int = 20) -> bytes:
    return secrets.token_bytes(length)


def secret_to_base32(secret: bytes) -> str:
    return base64.b32encode(secret).decode("ascii").rstrip("=")


def secret_from_base32(text: str) -> bytes:
    cleaned = text.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def provisioning_uri(secret: bytes, account: str, issuer: str = "police-kiosk", digits: int = DEFAULT_DIGITS) -> str:
    """The otpauth:// URI an authenticator app scans (Key Uri Format)."""
    query = urlencode({"secret": secret_to_base32(secret), "issuer": issuer, "digits": digits, "period": DEFAULT_STEP})
    return f"otpauth://totp/{quote(issuer)}:{quote(account)}?{query}"
