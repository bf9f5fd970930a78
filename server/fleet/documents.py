"""Structure checks for uploaded signed documents. The server never verifies signatures (it holds no
keys and trusts nothing it stores); kiosks do. It refuses what no kiosk could ever accept and anything
outside its bounds (size, nesting, versions within 2**53, expiry within the configured horizon), and
computes the document's identity: SHA-256 over the canonical bytes of "signed" - the same value the
kiosks report (contracts.canonical), so reports can be matched to documents.

Signatures are part of what the server keeps: the same "signed" uploaded again with other signatures
has them merged in (one per key id), so a copy meeting a higher threshold replaces the one served.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from contracts.canonical import canonical_bytes
from server.guard.jsonbounds import MAX_SAFE_INTEGER, JsonTooComplex, check_json

MAX_DOCUMENT_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_SIGNATURES = 32
MAX_TARGETS = 1000
_REQUIRED = {"type", "schema_version", "version", "expires", "payload"}
_OPTIONAL = {"kiosk_ids", "channels"}


class InvalidDocument(ValueError):
    """Not a signed envelope within bounds (the upload is refused with 422)."""


@dataclass(frozen=True)
class DocumentInfo:
    sha256: str
    doc_type: str
    version: int
    expires: str
    kiosk_ids: list[str]
    channels: list[str]
    signed: dict[str, Any]
    signatures: list[dict[str, str]]


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(keys) != len(set(keys)):
        raise InvalidDocument("duplicate object key")
    return dict(pairs)


def _no_constant(name: str) -> Any:
    raise InvalidDocument(f"non-finite number {name}")


def _string_list(signed: dict[str, Any], name: str) -> list[str]:
    value = signed.get(name, [])
    if not isinstance(value, list) or len(value) > MAX_TARGETS:
        raise InvalidDocument(f"signed.{name} must be a list of at most {MAX_TARGETS} names")
    if not all(isinstance(item, str) and 0 < len(item) <= 64 for item in value):
        raise InvalidDocument(f"signed.{name} must hold non-empty strings of at most 64 characters")
    return value


def _load(body: bytes) -> dict[str, Any]:
    if len(body) > MAX_DOCUMENT_BYTES:
        raise InvalidDocument(f"document larger than {MAX_DOCUMENT_BYTES} bytes")
    try:
        data = json.loads(body.decode("utf-8"), object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
        check_json(data, MAX_DEPTH)
    except RecursionError as error:
        raise InvalidDocument(f"nested deeper than {MAX_DEPTH} levels") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidDocument(f"not UTF-8 JSON: {str(error)[:100]}") from error
    except (JsonTooComplex, ValueError) as error:  # ValueError: an integer literal too long to convert
        raise InvalidDocument(str(error)[:100]) from error
    if not isinstance(data, dict) or set(data) != {"signed", "signatures"}:
        raise InvalidDocument('a document is exactly {"signed": {...}, "signatures": [...]}')
    return data


def signature_looks_valid(entry: Any) -> bool:
    """{"keyid": 1-128 chars, "sig": base64 of 64 bytes}: all the server can tell without keys."""
    if not isinstance(entry, dict) or set(entry) != {"keyid", "sig"}:
        return False
    keyid, sig = entry["keyid"], entry["sig"]
    if not isinstance(keyid, str) or not 0 < len(keyid) <= 128 or not isinstance(sig, str) or len(sig) != 88:
        return False
    try:
        return len(base64.b64decode(sig, validate=True)) == 64
    except (binascii.Error, ValueError):
        return False


def _signatures(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list) or not value:
        raise InvalidDocument("a document needs at least one signature")
    if len(value) > MAX_SIGNATURES:
        raise InvalidDocument(f"more than {MAX_SIGNATURES} signatures")
    if not all(signature_looks_valid(entry) for entry in value):
        raise InvalidDocument('each signature is {"keyid": "...", "sig": "<base64 of 64 bytes>"}')
    return value


def _expires(text: Any, horizon: timedelta, now: datetime) -> str:
    if not isinstance(text, str) or len(text) > 40:
        raise InvalidDocument("signed.expires must be an RFC 3339 string")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise InvalidDocument(f"signed.expires: {str(error)[:80]}") from error
    if moment.tzinfo is None:
        raise InvalidDocument("signed.expires needs a time zone")
    if moment.astimezone(UTC) > now + horizon:
        raise InvalidDocument(f"signed.expires is more than {horizon.days} days away")
    return text


def _is_int(value: Any, low: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= MAX_SAFE_INTEGER


def inspect_document(body: bytes, horizon: timedelta, now: datetime | None = None) -> DocumentInfo:
    data = _load(body)
    signed = data["signed"]
    if not isinstance(signed, dict) or not _REQUIRED <= set(signed) or set(signed) - _REQUIRED - _OPTIONAL:
        raise InvalidDocument(f"signed must hold {sorted(_REQUIRED)} and optionally {sorted(_OPTIONAL)}")
    if not _is_int(signed["version"], 1) or not _is_int(signed["schema_version"], 0):
        raise InvalidDocument("signed.version must be an integer in 1..2**53 (schema_version in 0..2**53)")
    if not isinstance(signed["type"], str) or not 0 < len(signed["type"]) <= 32:
        raise InvalidDocument("signed.type must be a string of 1-32 characters")
    if not isinstance(signed["payload"], dict):
        raise InvalidDocument("signed.payload must be an object")
    expires = _expires(signed["expires"], horizon, now or datetime.now(UTC))
    kiosk_ids, channels = _string_list(signed, "kiosk_ids"), _string_list(signed, "channels")
    if not kiosk_ids and not channels:
        raise InvalidDocument("document is addressed to no kiosk and no channel")
    return DocumentInfo(
        sha256=hashlib.sha256(canonical_bytes(signed)).hexdigest(), doc_type=signed["type"],
        version=signed["version"], expires=expires, kiosk_ids=kiosk_ids, channels=channels, signed=signed,
        signatures=_signatures(data["signatures"]),
    )  # fmt: skip


@dataclass(frozen=True)
class Merge:
    signatures: list[dict[str, str]]
    added: list[str]  # key ids new to the server
    conflicting: list[str]  # key ids already held with another signature (the one held is kept)


def merge_signatures(held: list[dict[str, str]], uploaded: list[dict[str, str]]) -> Merge:
    """One signature per key id: the held ones first (first come is kept), then new key ids."""
    merged: dict[str, dict[str, str]] = {}
    for entry in held:
        merged.setdefault(entry["keyid"], {"keyid": entry["keyid"], "sig": entry["sig"]})
    added, conflicting = [], []
    for entry in uploaded:
        known = merged.get(entry["keyid"])
        if known is None:
            merged[entry["keyid"]] = {"keyid": entry["keyid"], "sig": entry["sig"]}
            added.append(entry["keyid"])
        elif known["sig"] != entry["sig"] and entry["keyid"] not in conflicting:
            conflicting.append(entry["keyid"])
    return Merge(list(merged.values()), added, conflicting)


def distinct_keyids(signatures: list[dict[str, str]]) -> int:
    return len({entry["keyid"] for entry in signatures if signature_looks_valid(entry)})


def envelope_bytes(signed: dict[str, Any], signatures: list[dict[str, str]]) -> bytes:
    """The served form of a merged envelope (the kiosks' own file form; signatures cover only "signed")."""
    envelope = {"signed": signed, "signatures": signatures}
    return (json.dumps(envelope, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
