"""Signed, compact payload for the certificate's QR code, and its verification.

Format (version 1), every character in the QR alphanumeric set so the code stays small (5.5 bits/char):

    NCR1:<key id>:<certificate number>:<id hash>:<issued YYYYMMDD>:<expires YYYYMMDD>:<signature>

The id hash is SHA-256(per-issuer salt + ID number) truncated to 80 bits, base32: it binds the certificate to
a person without putting the ID number in the code. The signature is Ed25519 over everything before the
last colon, base32 without padding (103 chars). Base32 rather than base64url because lower-case letters
would push the whole QR into byte mode, which costs more than base32's longer text.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PAYLOAD_VERSION = "NCR1"
SEPARATOR = ":"
ID_HASH_BYTES = 10
VERIFICATION_CODE_LENGTH = 10
_FIELD = re.compile(r"[0-9A-Z-]{1,32}")  # key ids and certificate numbers: QR alphanumeric, no separator
_BASE32 = re.compile(r"[A-Z2-7]+")
_DATE = re.compile(r"[0-9]{8}")
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class VerificationError(ValueError):
    """The payload cannot be trusted; `reason` is one of malformed, unknown_key, bad_signature, expired."""

    reason = "invalid"


class MalformedPayloadError(VerificationError):
    reason = "malformed"


class UnknownKeyError(VerificationError):
    reason = "unknown_key"


class BadSignatureError(VerificationError):
    reason = "bad_signature"


class ExpiredCertificateError(VerificationError):
    reason = "expired"


@dataclass(frozen=True)
class VerifiedCertificate:
    key_id: str
    certificate_number: str
    id_hash: str
    issue_date: date
    expiry_date: date
    verification_code: str


def _b32encode(raw: bytes) -> str:
    return base64.b32encode(raw).decode("ascii").rstrip("=")


def _b32decode(text: str) -> bytes:
    if not _BASE32.fullmatch(text):
        raise MalformedPayloadError("signature is not base32")
    try:
        return base64.b32decode(text + "=" * (-len(text) % 8))
    except ValueError as error:
        raise MalformedPayloadError("signature is not base32") from error


def normalize_id_number(id_number: str) -> str:
    """ID numbers compare upper-case without blanks (the final check digit may be x or X)."""
    return "".join(id_number.split()).upper()


def hash_id_number(id_number: str, salt: bytes) -> str:
    digest = hashlib.sha256(salt + normalize_id_number(id_number).encode("ascii")).digest()
    return _b32encode(digest[:ID_HASH_BYTES])


def matches_id_number(verified: VerifiedCertificate, id_number: str, salt: bytes) -> bool:
    """Whether a verified certificate belongs to the person with this ID number (constant-time compare)."""
    return hmac.compare_digest(verified.id_hash, hash_id_number(id_number, salt))


def verification_code(payload: str) -> str:
    """Short code printed under the QR for typing in by hand: 50 bits of SHA-256(payload), Crockford base32.

    Crockford's alphabet has no I, L, O or U, so nobody confuses O with 0 on paper.
    """
    number = int.from_bytes(hashlib.sha256(payload.encode("ascii")).digest()[:8], "big")
    number >>= 64 - 5 * VERIFICATION_CODE_LENGTH
    digits = []
    for _ in range(VERIFICATION_CODE_LENGTH):
        number, digit = divmod(number, 32)
        digits.append(_CROCKFORD[digit])
    return "".join(reversed(digits))


def normalize_verification_code(typed: str) -> str:
    """What a person typed, as verification_code() spells it: no dashes or blanks, O->0, I/L->1."""
    cleaned = "".join(typed.split()).replace("-", "").upper()
    return cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def format_verification_code(code: str) -> str:
    """ABCDE-FGHIJ: groups of five are easier to read out and type."""
    return "-".join(code[i : i + 5] for i in range(0, len(code), 5))


def _check_field(name: str, value: str) -> None:
    if not _FIELD.fullmatch(value):
        raise ValueError(f"{name} must be 1-32 characters of 0-9, A-Z and '-', got {value!r}")


def sign_certificate_payload(
    private_key: Ed25519PrivateKey,
    key_id: str,
    *,
    certificate_number: str,
    id_number: str,
    id_salt: bytes,
    issue_date: date,
    expiry_date: date,
) -> str:
    """The QR text for a certificate; Ed25519 is deterministic, so the same input gives the same text."""
    _check_field("key_id", key_id)
    _check_field("certificate_number", certificate_number)
    if expiry_date < issue_date:
        raise ValueError("expiry_date is before issue_date")
    fields = (
        PAYLOAD_VERSION,
        key_id,
        certificate_number,
        hash_id_number(id_number, id_salt),
        f"{issue_date:%Y%m%d}",
        f"{expiry_date:%Y%m%d}",
    )
    message = SEPARATOR.join(fields)
    signature = private_key.sign(message.encode("ascii"))
    return f"{message}{SEPARATOR}{_b32encode(signature)}"


def _parse_date(text: str) -> date:
    if not _DATE.fullmatch(text):
        raise MalformedPayloadError(f"bad date {text!r}")
    try:
        return datetime.strptime(text, "%Y%m%d").date()
    except ValueError as error:
        raise MalformedPayloadError(f"bad date {text!r}") from error


@dataclass(frozen=True)
class _Parsed:
    key_id: str
    certificate_number: str
    id_hash: str
    issue_date: date
    expiry_date: date
    message: str  # the signed part
    signature: bytes


def _parse(text: str) -> _Parsed:
    """Any deviation from the format is MalformedPayloadError, before any key is looked at."""
    if not text.isascii():
        raise MalformedPayloadError("payload is not ASCII")
    text = text.strip()
    fields = text.split(SEPARATOR)
    if len(fields) != 7:
        raise MalformedPayloadError(f"expected 7 fields, got {len(fields)}")
    if fields[0] != PAYLOAD_VERSION:
        raise MalformedPayloadError(f"unsupported payload version {fields[0][:8]!r}")
    if not (_FIELD.fullmatch(fields[1]) and _FIELD.fullmatch(fields[2]) and _BASE32.fullmatch(fields[3])):
        raise MalformedPayloadError("bad key id, certificate number or id hash")
    issue_date, expiry_date = _parse_date(fields[4]), _parse_date(fields[5])
    if expiry_date < issue_date:
        raise MalformedPayloadError("expiry before issue")
    signature = _b32decode(fields[6])
    if len(signature) != 64:
        raise MalformedPayloadError("signature has the wrong length")
    return _Parsed(fields[1], fields[2], fields[3], issue_date, expiry_date, text.rsplit(SEPARATOR, 1)[0], signature)


def verify_certificate_payload(
    text: str, public_keys: Mapping[str, Ed25519PublicKey], *, today: date | None = None
) -> VerifiedCertificate:
    """Check format, issuer key, signature and expiry, in that order; raise a VerificationError subclass."""
    parsed = _parse(text)
    key = public_keys.get(parsed.key_id)
    if key is None:
        raise UnknownKeyError(f"unknown issuer key {parsed.key_id!r}")
    try:
        key.verify(parsed.signature, parsed.message.encode("ascii"))
    except InvalidSignature as error:
        raise BadSignatureError("signature does not match the payload") from error
    if parsed.expiry_date < (today or date.today()):
        raise ExpiredCertificateError(f"certificate expired on {parsed.expiry_date.isoformat()}")
    return VerifiedCertificate(
        key_id=parsed.key_id,
        certificate_number=parsed.certificate_number,
        id_hash=parsed.id_hash,
        issue_date=parsed.issue_date,
        expiry_date=parsed.expiry_date,
        verification_code=verification_code(text.strip()),
    )
