"""The acceptance rules shared by configuration and trust-root documents, in the order they are applied.

1. structure (malformed)  2. signatures + threshold (bad_signature / unknown_key / below_threshold)
3. document type (malformed)  4. addressing (wrong_kiosk)  5. version against the highest accepted one
(rollback / equivocation / rolled_back; identical content = no-op)  6. expiry (expired), and no further
ahead than the trust root's horizon (expires_too_far).
A document identical to the one in force is a no-op before any other check. Payload checks belong to the caller because they differ per document type. Signatures come first so an
unauthenticated document can never provoke a more specific (and misleading) reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from contracts.config_rules import DEFAULT_EXPIRY_HORIZON, RuleViolation, check_expiry_horizon
from kiosk.trust.envelope import SignedDocument, Verification, parse_envelope, verify_signatures
from kiosk.trust.errors import ConfigRejected, Reason


@dataclass(frozen=True)
class Floor:
    """The highest version this kiosk ever accepted for a document type, and what is running now."""

    version: int = 0
    sha256: str | None = None
    active_sha256: str | None = None


@dataclass(frozen=True)
class Decision:
    doc: SignedDocument
    verification: Verification
    noop: bool  # identical to what is running: nothing to do


def check_version(doc: SignedDocument, floor: Floor) -> bool:
    """True when doc is exactly what runs (no-op); raise on rollback, equivocation or a rolled-back document."""
    if floor.active_sha256 is not None and doc.sha256 == floor.active_sha256:
        return True
    if doc.version < floor.version:
        raise ConfigRejected(Reason.ROLLBACK, f"version {doc.version} is lower than accepted {floor.version}")
    if doc.version == floor.version:
        if doc.sha256 == floor.sha256:
            raise ConfigRejected(
                Reason.ROLLED_BACK, f"version {doc.version} was rolled back after applying; publish a new version"
            )
        raise ConfigRejected(Reason.EQUIVOCATION, f"version {doc.version} was already accepted with different content")
    return False


def evaluate(
    raw: bytes | Mapping[str, Any],
    *,
    expected_type: str,
    trusted: Mapping[str, Ed25519PublicKey],
    threshold: int,
    kiosk_id: str,
    channels: Sequence[str],
    floor: Floor,
    now: datetime | None = None,
    expiry_horizon: timedelta = DEFAULT_EXPIRY_HORIZON,
) -> Decision:
    doc = parse_envelope(raw)
    if floor.active_sha256 is not None and doc.sha256 == floor.active_sha256:
        # Exactly what runs: changes nothing, so it needs no (re-)verification. This keeps a rotation
        # document idempotent after the keys that signed it were rotated out.
        return Decision(doc, Verification((), (), ()), noop=True)
    verification = verify_signatures(doc, trusted, threshold)
    if doc.type != expected_type:
        raise ConfigRejected(Reason.MALFORMED, f"document type {doc.type!r}, expected {expected_type!r}")
    if not doc.is_addressed_to(kiosk_id, channels):
        where = ", ".join([*doc.kiosk_ids, *(f"channel:{c}" for c in doc.channels)])
        raise ConfigRejected(Reason.WRONG_KIOSK, f"addressed to {where}, not to {kiosk_id} or its channels")
    if check_version(doc, floor):
        return Decision(doc, verification, noop=True)
    moment = now or datetime.now(UTC)
    if doc.expires <= moment:
        raise ConfigRejected(Reason.EXPIRED, f"expired at {doc.signed['expires']}")
    try:
        check_expiry_horizon(doc.expires, moment, expiry_horizon)
    except RuleViolation as violation:
        raise ConfigRejected(Reason.EXPIRES_TOO_FAR, violation.message) from violation
    return Decision(doc, verification, noop=False)
