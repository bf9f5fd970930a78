"""The issuer's published public keys, and offline verification of a certificate's QR text against them.

The backend serves its keys at ISSUER_KEYS_PATH as a JWK set (RFC 7517, Ed25519 keys per RFC 8037) with
three members of its own on each key: the period in which the key signs certificates (`valid_from`,
`valid_until`) and its `status`. Keys rotate by adding a new key and ending the old one's period; the old
key stays published so the certificates it signed still verify. A revoked key verifies nothing.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import date
from typing import Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import Field

from contracts.certificate_payload import (
    CertificateClaims,
    ForeignUrl,
    KeyNotValid,
    MalformedPayload,
    UnknownKey,
    check_signature,
    parse_payload,
    split_qr_text,
)
from contracts.common import Contract

ISSUER_KEYS_PATH = "/.well-known/jwks.json"
KeyStatus = Literal["active", "retired", "revoked"]


class IssuerKey(Contract):
    kty: Literal["OKP"] = "OKP"
    crv: Literal["Ed25519"] = "Ed25519"
    alg: Literal["EdDSA"] = "EdDSA"
    use: Literal["sig"] = "sig"
    kid: str = Field(min_length=1, max_length=32)
    x: str = Field(min_length=43, max_length=43)  # base64url of the 32-byte public key, no padding
    valid_from: date  # first issue date this key signs
    valid_until: date | None = None  # last issue date; None while it is the active key
    status: KeyStatus = "active"

    def public_key(self) -> Ed25519PublicKey:
        try:
            raw = base64.urlsafe_b64decode(self.x + "=")
        except (binascii.Error, ValueError) as error:
            raise MalformedPayload(f"key {self.kid}: x is not base64url") from error
        if len(raw) != 32 or base64.urlsafe_b64encode(raw).decode().rstrip("=") != self.x:
            raise MalformedPayload(f"key {self.kid}: x is not a canonical 32-byte key")
        return Ed25519PublicKey.from_public_bytes(raw)

    def signs_on(self, day: date) -> bool:
        """Whether a certificate issued on `day` may carry this key's signature."""
        if self.status == "revoked" or day < self.valid_from:
            return False
        return self.valid_until is None or day <= self.valid_until


class IssuerKeySet(Contract):
    issuer: str  # the issuing authority's name
    verify_base_url: str  # where its verify URLs start: a QR pointing elsewhere is not the issuer's
    keys: list[IssuerKey] = Field(max_length=64)

    def key(self, kid: str) -> IssuerKey | None:
        return next((key for key in self.keys if key.kid == kid), None)


def encode_public_key(key: Ed25519PublicKey) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return base64.urlsafe_b64encode(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode().rstrip("=")


@dataclass(frozen=True)
class OfflineResult:
    key_id: str
    claims: CertificateClaims
    status: Literal["valid", "expired"]  # revocation is known online only
    url: str | None  # the verify URL the QR held, if it held one


def _same_base(found: str, expected: str) -> bool:
    return found.rstrip("/").lower() == expected.rstrip("/").lower()


def verify_offline(qr_text: str, keys: IssuerKeySet, *, today: date) -> OfflineResult:
    """Check a QR text with the published keys; raises a PayloadError subclass saying why it fails."""
    base, payload = split_qr_text(qr_text.strip())
    signed = parse_payload(payload)
    key = keys.key(signed.key_id)
    if key is None:
        raise UnknownKey(f"no published key {signed.key_id!r}")
    if not key.signs_on(signed.claims.issue_date):
        raise KeyNotValid(f"key {key.kid} ({key.status}) does not sign certificates issued on "
                          f"{signed.claims.issue_date.isoformat()}")  # fmt: skip
    check_signature(signed, key.public_key())
    if base is not None and not _same_base(base, keys.verify_base_url):
        raise ForeignUrl(f"the QR points to {base}, not to the issuer's {keys.verify_base_url}")
    status: Literal["valid", "expired"] = "expired" if signed.claims.valid_until < today else "valid"
    return OfflineResult(signed.key_id, signed.claims, status, qr_text.strip() if base is not None else None)
