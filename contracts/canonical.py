"""Canonical JSON: the one byte form that signatures and hash chains are computed over.

Sorted keys, compact separators, UTF-8 with non-ASCII kept as is (ensure_ascii=False), no NaN/Infinity.
Parsing is strict as well: duplicate object keys or non-finite numbers make two readers disagree about
what was signed, so they are refused rather than silently resolved.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

MAX_DOCUMENT_BYTES = 1024 * 1024  # a config document is a few KiB; refuse anything absurd before parsing


def canonical_bytes(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"non-finite number {name}")


def loads_strict(raw: bytes) -> Any:
    """Parse UTF-8 JSON; raise ValueError on invalid UTF-8/JSON, duplicate keys, NaN/Infinity or huge input."""
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise ValueError(f"document of {len(raw)} bytes exceeds {MAX_DOCUMENT_BYTES}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8: {error}") from error
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON: {error.msg} at line {error.lineno} column {error.colno}") from error
