"""Structure checks for uploaded signed documents. The server never verifies signatures (it holds no
keys and trusts nothing it stores); kiosks do. It only refuses what no kiosk could ever accept and
computes the document's identity: SHA-256 over the canonical bytes of "signed" - the same value the
kiosks report (contracts.canonical), so reports can be matched to documents.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from contracts.canonical import canonical_bytes

MAX_DOCUMENT_BYTES = 1024 * 1024
_REQUIRED = {"type", "schema_version", "version", "expires", "payload"}
_OPTIONAL = {"kiosk_ids", "channels"}


class InvalidDocument(ValueError):
    """Not a signed envelope at all (the upload is refused with 422)."""


@dataclass(frozen=True)
class DocumentInfo:
    sha256: str
    etag: str
    doc_type: str
    version: int
    expires: str
    kiosk_ids: list[str]
    channels: list[str]


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(keys) != len(set(keys)):
        raise InvalidDocument("duplicate object key")
    return dict(pairs)


def _string_list(signed: dict[str, Any], name: str) -> list[str]:
    value = signed.get(name, [])
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise InvalidDocument(f"signed.{name} must be a list of non-empty strings")
    return value


def _load(body: bytes) -> dict[str, Any]:
    if len(body) > MAX_DOCUMENT_BYTES:
        raise InvalidDocument(f"document larger than {MAX_DOCUMENT_BYTES} bytes")
    try:
        data = json.loads(body.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidDocument(f"not UTF-8 JSON: {error}") from error
    if not isinstance(data, dict) or set(data) != {"signed", "signatures"}:
        raise InvalidDocument('a document is exactly {"signed": {...}, "signatures": [...]}')
    if not isinstance(data["signatures"], list) or not data["signatures"]:
        raise InvalidDocument("a document needs at least one signature")
    return data


def inspect_document(body: bytes) -> DocumentInfo:
    signed = _load(body)["signed"]
    if not isinstance(signed, dict) or not _REQUIRED <= set(signed) or set(signed) - _REQUIRED - _OPTIONAL:
        raise InvalidDocument(f"signed must hold {sorted(_REQUIRED)} and optionally {sorted(_OPTIONAL)}")
    version = signed["version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidDocument("signed.version must be an integer >= 1")
    if not isinstance(signed["type"], str) or not isinstance(signed["expires"], str):
        raise InvalidDocument("signed.type and signed.expires must be strings")
    try:
        datetime.fromisoformat(signed["expires"])
    except ValueError as error:
        raise InvalidDocument(f"signed.expires: {error}") from error
    kiosk_ids, channels = _string_list(signed, "kiosk_ids"), _string_list(signed, "channels")
    if not kiosk_ids and not channels:
        raise InvalidDocument("document is addressed to no kiosk and no channel")
    return DocumentInfo(
        sha256=hashlib.sha256(canonical_bytes(signed)).hexdigest(),
        etag=hashlib.sha256(body).hexdigest(),
        doc_type=signed["type"],
        version=version,
        expires=signed["expires"],
        kiosk_ids=kiosk_ids,
        channels=channels,
    )
