"""The signed envelope: {"signed": {...}, "signatures": [{"keyid", "sig"}]} (a minimal TUF-like document).

Signatures are Ed25519 over the canonical JSON bytes of "signed" (contracts.canonical). "signed" holds
type, schema_version, version (monotonic int >= 1), expires (RFC 3339, UTC), kiosk_ids and/or channels
it is addressed to, and payload. A document counts only when a threshold of DISTINCT trusted keys signed
it: a key that signs twice counts once, signatures by unknown keys are ignored but reported.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from contracts import config_rules
from contracts.canonical import canonical_bytes, sha256_hex
from contracts.config_rules import RuleViolation
from kiosk.trust.errors import ConfigRejected, Reason
from kiosk.trust.keys import keyid

CONFIG_TYPE = "kiosk-config"
TRUST_ROOT_TYPE = "trust-root"
_REQUIRED = {"type", "schema_version", "version", "expires", "payload"}
_OPTIONAL = {"kiosk_ids", "channels"}


@dataclass(frozen=True)
class Signature:
    keyid: str
    sig: str  # base64 of the 64-byte Ed25519 signature


@dataclass(frozen=True)
class SignedDocument:
    """An envelope whose structure was checked; its signatures are NOT verified yet (see verify_signatures)."""

    type: str
    schema_version: int
    version: int
    expires: datetime
    kiosk_ids: tuple[str, ...]
    channels: tuple[str, ...]
    payload: dict[str, Any]
    signatures: tuple[Signature, ...]
    signed: dict[str, Any]  # the "signed" object as received
    canonical: bytes  # the exact bytes the signatures cover
    sha256: str  # hex SHA-256 of `canonical`: the document's identity for no-op/equivocation checks

    def envelope(self) -> dict[str, Any]:
        return {"signed": self.signed, "signatures": [{"keyid": s.keyid, "sig": s.sig} for s in self.signatures]}

    def is_addressed_to(self, kiosk_id: str, channels: Iterable[str]) -> bool:
        return kiosk_id in self.kiosk_ids or bool(set(self.channels) & set(channels))


@dataclass(frozen=True)
class Verification:
    valid_keyids: tuple[str, ...]  # distinct trusted keys whose signature verified
    unknown_keyids: tuple[str, ...]  # signatures by keys this kiosk does not trust (ignored)
    bad_keyids: tuple[str, ...]  # trusted keys whose signature did not verify


def format_expires(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("expires must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_expires(text: str) -> datetime:
    """RFC 3339 with a time zone -> UTC (contracts.config_rules; raises RuleViolation, a ValueError)."""
    return config_rules.parse_expires(text)


def make_signed(
    doc_type: str,
    payload: Mapping[str, Any],
    *,
    version: int,
    expires: datetime,
    kiosk_ids: Sequence[str] = (),
    channels: Sequence[str] = (),
    schema_version: int = 1,
) -> dict[str, Any]:
    """The "signed" object of a new document (admin side)."""
    if not kiosk_ids and not channels:
        raise ValueError("a document must be addressed to at least one kiosk id or channel")
    config_rules.check_version(version)  # RuleViolation (a ValueError): no kiosk would accept it
    config_rules.check_schema_version(schema_version)
    return {
        "type": doc_type,
        "schema_version": schema_version,
        "version": version,
        "expires": format_expires(expires),
        "kiosk_ids": sorted(set(kiosk_ids)),
        "channels": sorted(set(channels)),
        "payload": dict(payload),
    }


def sign(signed: Mapping[str, Any], private_keys: Sequence[Ed25519PrivateKey]) -> dict[str, Any]:
    """Wrap `signed` in an envelope with one signature per key (admin side)."""
    message = canonical_bytes(signed)
    signatures = [
        {"keyid": keyid(key.public_key()), "sig": base64.b64encode(key.sign(message)).decode("ascii")}
        for key in private_keys
    ]
    return {"signed": dict(signed), "signatures": signatures}


def envelope_file_bytes(envelope: Mapping[str, Any]) -> bytes:
    """How an envelope is written to disk: readable, in the order the admins wrote it (the technician
    screen lists devices in that order); signatures do not depend on this form."""
    return (json.dumps(envelope, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _malformed(message: str) -> ConfigRejected:
    return ConfigRejected(Reason.MALFORMED, message)


def _str_list(signed: Mapping[str, Any], field: str) -> tuple[str, ...]:
    value = signed.get(field, [])
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise _malformed(f"signed.{field} must be a list of non-empty strings")
    return tuple(value)


def _parse_signatures(value: Any) -> tuple[Signature, ...]:
    if not isinstance(value, list):
        raise _malformed("signatures must be a list")
    result = []
    for entry in value:
        if not isinstance(entry, dict) or set(entry) != {"keyid", "sig"}:
            raise _malformed('each signature must be {"keyid": ..., "sig": ...}')
        if not isinstance(entry["keyid"], str) or not isinstance(entry["sig"], str):
            raise _malformed("signature keyid and sig must be strings")
        result.append(Signature(entry["keyid"], entry["sig"]))
    return tuple(result)


def _check_signed_fields(signed: Any) -> None:
    if not isinstance(signed, dict):
        raise _malformed("signed must be an object")
    missing, extra = _REQUIRED - set(signed), set(signed) - _REQUIRED - _OPTIONAL
    if missing or extra:
        raise _malformed(f"signed has missing fields {sorted(missing)} / unknown fields {sorted(extra)}")
    if not isinstance(signed["type"], str) or not isinstance(signed["payload"], dict):
        raise _malformed("signed.type must be a string and signed.payload an object")
    config_rules.check_schema_version(signed["schema_version"])
    config_rules.check_version(signed["version"], "signed.version")


def _structure(raw: bytes | Mapping[str, Any]) -> Any:
    """The JSON value within the shared structural bounds (size, depth, encoding, numbers)."""
    if isinstance(raw, bytes | bytearray):
        return config_rules.parse_document(bytes(raw))
    config_rules.check_structure(raw)  # hand-built or already parsed: walked iteratively, never recursed
    return raw


def parse_envelope(raw: bytes | Mapping[str, Any]) -> SignedDocument:
    """Check an envelope's structure (bytes from a file/HTTP, or already parsed); raise ConfigRejected(malformed).

    Nothing in `raw` can make this raise anything else: nesting, size, encoding and number attacks are
    refused by contracts.config_rules before any recursive code sees the value."""
    try:
        data = _structure(raw)
        if not isinstance(data, dict) or set(data) != {"signed", "signatures"}:
            raise _malformed('a document is exactly {"signed": {...}, "signatures": [...]}')
        signed = data["signed"]
        _check_signed_fields(signed)
        expires = parse_expires(signed["expires"])
    except RuleViolation as violation:
        raise _malformed(violation.message if violation.rule != "not_json" else str(violation)) from violation
    kiosk_ids, channels = _str_list(signed, "kiosk_ids"), _str_list(signed, "channels")
    if not kiosk_ids and not channels:
        raise _malformed("document is addressed to no kiosk id and no channel")
    canonical = canonical_bytes(signed)  # cannot fail: the structure check admits only encodable values
    return SignedDocument(
        type=signed["type"],
        schema_version=signed["schema_version"],
        version=signed["version"],
        expires=expires,
        kiosk_ids=kiosk_ids,
        channels=channels,
        payload=signed["payload"],
        signatures=_parse_signatures(data["signatures"]),
        signed=signed,
        canonical=canonical,
        sha256=sha256_hex(canonical),
    )


def _signature_valid(public_key: Ed25519PublicKey, sig: str, message: bytes) -> bool:
    try:
        public_key.verify(base64.b64decode(sig, validate=True), message)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def verify_signatures(doc: SignedDocument, trusted: Mapping[str, Ed25519PublicKey], threshold: int) -> Verification:
    """Verify over doc.canonical; raise ConfigRejected unless `threshold` distinct trusted keys signed."""
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    valid: list[str] = []
    unknown: list[str] = []
    bad: list[str] = []
    for signature in doc.signatures:
        public_key = trusted.get(signature.keyid)
        if public_key is None:
            unknown.append(signature.keyid)
        elif signature.keyid not in valid:  # a key that signs twice counts once
            (valid if _signature_valid(public_key, signature.sig, doc.canonical) else bad).append(signature.keyid)
    bad = [k for k in dict.fromkeys(bad) if k not in valid]
    result = Verification(tuple(valid), tuple(dict.fromkeys(unknown)), tuple(bad))
    if len(valid) >= threshold:
        return result
    counted = f"{len(valid)} of {threshold} required distinct trusted signatures"
    if bad:
        reason, message = Reason.BAD_SIGNATURE, f"signature by trusted key(s) {', '.join(bad)} does not verify"
    elif not valid and unknown:
        reason, message = Reason.UNKNOWN_KEY, f"signed only by unknown key(s) {', '.join(result.unknown_keyids)}"
    else:
        reason, message = Reason.BELOW_THRESHOLD, "too few signatures"
    raise ConfigRejected(reason, f"{message} ({counted})", unknown_keyids=result.unknown_keyids)
