"""The signed verification payload of a no-criminal-record certificate (NCR2), and its strict verification.

The backend signs, the kiosk prints what it was given, and anybody holding the issuer's published key
checks a printed certificate offline. The payload carries every field of the paper that matters, so a
verifier sees what the issuer signed and compares it with the paper:

    body      = "NCR2|<key id>|<number>|<name>|<masked ID>|<sex>|<purpose>|<issuing unit>|<checked until>|
                 <issue date>|<valid until>"           (UTF-8, NFC, dates YYYYMMDD)
    signature = Ed25519(issuer key, DOMAIN + body)      (64 bytes)
    payload   = base32(body + signature)               (RFC 4648 alphabet, upper case, no padding)

The QR holds `<public base URL>/v/<payload>`: base32 keeps the long part in the QR's alphanumeric mode
(5.5 bits a character instead of 8), so the symbol stays small although the fields are Chinese.
Only one text form of a payload is accepted: the unused low bits of the last base32 character must be
zero, there is no padding, no lower case and no blank, the body must be exactly what the fields
serialise to. Every other spelling of the same bytes is refused, so one certificate has one QR text.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PAYLOAD_VERSION = "NCR2"
ALGORITHM = "Ed25519"
SEPARATOR = "|"
DOMAIN = b"police-kiosk no-criminal-record certificate\n"  # a signature here is never valid elsewhere
SIGNATURE_BYTES = 64
MAX_PAYLOAD_CHARS = 1200  # a real payload is ~350; refuse absurd input before decoding
VERIFY_PATH_SEGMENT = "v"  # <public base URL>/v/<payload>
FIELD_COUNT = 11
_CODE_FIELD = re.compile(r"[0-9A-Z-]{1,32}")  # key ids and certificate numbers
_MASKED_ID = re.compile(r"[0-9X*]{15,18}")
_BASE32 = re.compile(r"[A-Z2-7]+")
_DATE = re.compile(r"[0-9]{8}")
_TEXT_LIMITS = {"name": 64, "sex": 2, "purpose": 40, "issuing_unit": 64}


class PayloadError(ValueError):
    """A payload that cannot be trusted; `reason` is a stable code for CLIs and answers."""

    reason = "invalid"


class MalformedPayload(PayloadError):
    reason = "malformed"


class NonCanonicalPayload(PayloadError):
    """Decodes to a valid payload but is not its one accepted spelling."""

    reason = "non_canonical"


class UnknownKey(PayloadError):
    reason = "unknown_key"


class KeyNotValid(PayloadError):
    """The key is revoked, or the certificate's issue date is outside the key's validity."""

    reason = "key_not_valid"


class BadSignature(PayloadError):
    reason = "bad_signature"


class ForeignUrl(PayloadError):
    """A genuine payload behind a URL that is not the issuer's verify page."""

    reason = "foreign_url"


@dataclass(frozen=True)
class CertificateClaims:
    """What the issuer signs: the certificate's printed fields (the ID number masked)."""

    certificate_number: str
    name: str
    masked_id_number: str
    sex: str
    purpose: str
    issuing_unit: str
    checked_until: date
    issue_date: date
    valid_until: date

    def __post_init__(self) -> None:
        if not _CODE_FIELD.fullmatch(self.certificate_number):
            raise MalformedPayload("certificate number must be 1-32 characters of 0-9, A-Z and '-'")
        if not _MASKED_ID.fullmatch(self.masked_id_number):
            raise MalformedPayload("masked ID number must be 15-18 characters of 0-9, X and '*'")
        for name, limit in _TEXT_LIMITS.items():
            _check_text(name, getattr(self, name), limit)
        if not self.checked_until <= self.issue_date <= self.valid_until:
            raise MalformedPayload("dates must satisfy checked_until <= issue_date <= valid_until")


@dataclass(frozen=True)
class SignedPayload:
    key_id: str
    claims: CertificateClaims
    body: bytes  # the signed bytes (without DOMAIN)
    signature: bytes


def _check_text(name: str, value: str, limit: int) -> None:
    if not value or len(value) > limit:
        raise MalformedPayload(f"{name} must be 1-{limit} characters")
    if SEPARATOR in value or any(unicodedata.category(ch)[0] in "CZ" and ch != " " for ch in value):
        raise MalformedPayload(f"{name} holds a separator or control character")
    if value != value.strip() or not unicodedata.is_normalized("NFC", value):
        raise MalformedPayload(f"{name} is not trimmed NFC text")


def _body(key_id: str, claims: CertificateClaims) -> bytes:
    fields = (PAYLOAD_VERSION, key_id, claims.certificate_number, claims.name, claims.masked_id_number,
              claims.sex, claims.purpose, claims.issuing_unit, f"{claims.checked_until:%Y%m%d}",
              f"{claims.issue_date:%Y%m%d}", f"{claims.valid_until:%Y%m%d}")  # fmt: skip
    return SEPARATOR.join(fields).encode("utf-8")


def encode_base32(raw: bytes) -> str:
    return base64.b32encode(raw).decode("ascii").rstrip("=")


def decode_base32_canonical(text: str) -> bytes:
    """The bytes of `text`, which must be their one canonical spelling (see module docstring)."""
    if not _BASE32.fullmatch(text):
        raise MalformedPayload("payload is not upper-case base32 without padding")
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError) as error:
        raise MalformedPayload("payload has an impossible base32 length") from error
    if encode_base32(raw) != text:
        raise NonCanonicalPayload("payload's unused base32 bits are not zero")
    return raw


def sign_certificate(private_key: Ed25519PrivateKey, key_id: str, claims: CertificateClaims) -> str:
    """The payload text; Ed25519 is deterministic, so the same claims always give the same text."""
    if not _CODE_FIELD.fullmatch(key_id):
        raise MalformedPayload("key id must be 1-32 characters of 0-9, A-Z and '-'")
    body = _body(key_id, claims)
    return encode_base32(body + private_key.sign(DOMAIN + body))


def verify_url(public_base_url: str, payload: str) -> str:
    """The absolute URL a phone opens: the issuer's public verify page with the payload in its path."""
    return f"{public_base_url.rstrip('/')}/{VERIFY_PATH_SEGMENT}/{payload}"


def split_qr_text(text: str) -> tuple[str | None, str]:
    """(base URL or None, payload) of what a QR holds: the verify URL, or a bare payload."""
    if len(text) > MAX_PAYLOAD_CHARS + 200 or not text.isascii():
        raise MalformedPayload("QR text is too long or not ASCII")
    if "/" not in text:
        return None, text
    parts = urlsplit(text)
    head, _, payload = parts.path.rpartition("/")
    base, _, segment = head.rpartition("/")
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise MalformedPayload("QR text is neither a payload nor an http(s) verify URL")
    if segment != VERIFY_PATH_SEGMENT:
        raise MalformedPayload(f"verify URL must end in /{VERIFY_PATH_SEGMENT}/<payload>")
    return f"{parts.scheme}://{parts.netloc}{base}", payload


def _date(text: str) -> date:
    if not _DATE.fullmatch(text):
        raise MalformedPayload("dates are YYYYMMDD")
    try:
        return datetime.strptime(text, "%Y%m%d").date()
    except ValueError as error:
        raise MalformedPayload("not a calendar date") from error


def parse_payload(payload: str) -> SignedPayload:
    """Decode and check the format (no key involved); raises MalformedPayload or NonCanonicalPayload."""
    if len(payload) > MAX_PAYLOAD_CHARS:
        raise MalformedPayload(f"payload longer than {MAX_PAYLOAD_CHARS} characters")
    raw = decode_base32_canonical(payload)
    if len(raw) <= SIGNATURE_BYTES:
        raise MalformedPayload("payload is too short to hold a signature")
    body, signature = raw[:-SIGNATURE_BYTES], raw[-SIGNATURE_BYTES:]
    try:
        fields = body.decode("utf-8").split(SEPARATOR)
    except UnicodeDecodeError as error:
        raise MalformedPayload("payload body is not UTF-8") from error
    if len(fields) != FIELD_COUNT or fields[0] != PAYLOAD_VERSION:
        raise MalformedPayload(f"not an {PAYLOAD_VERSION} payload")
    key_id = fields[1]
    if not _CODE_FIELD.fullmatch(key_id):
        raise MalformedPayload("bad key id")
    claims = CertificateClaims(*fields[2:8], *(_date(text) for text in fields[8:]))  # type: ignore[arg-type]
    if _body(key_id, claims) != body:
        raise NonCanonicalPayload("payload body is not in its canonical form")
    return SignedPayload(key_id, claims, body, signature)


def check_signature(signed: SignedPayload, public_key: Ed25519PublicKey) -> None:
    try:
        public_key.verify(signed.signature, DOMAIN + signed.body)
    except InvalidSignature as error:
        raise BadSignature("the signature does not match the payload") from error
