"""Errors of the signed-configuration layer; each rejection carries a stable reason code.

The fleet agent reports `ConfigRejected.reason` to the server verbatim, so the codes are part of the
contract and never change meaning.
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    BAD_SIGNATURE = "bad_signature"  # a trusted key's signature does not verify (tampered or corrupt)
    UNKNOWN_KEY = "unknown_key"  # no signature from any trusted key, only from unknown ones
    BELOW_THRESHOLD = "below_threshold"  # too few distinct trusted keys signed (or no signatures)
    ROLLBACK = "rollback"  # version lower than the highest accepted one
    EQUIVOCATION = "equivocation"  # same version as an accepted document, different content
    ROLLED_BACK = "rolled_back"  # this exact document was applied, failed its health window, was undone
    EXPIRED = "expired"  # "expires" lies in the past
    EXPIRES_TOO_FAR = "expires_too_far"  # "expires" lies beyond the trust root's horizon (e.g. the year 9999)
    WRONG_KIOSK = "wrong_kiosk"  # addressed neither to this kiosk id nor to one of its channels
    SCHEMA_INVALID = "schema_invalid"  # payload fails the KioskConfig schema or its bounds (or an unsupported schema)
    MALFORMED = "malformed"  # not JSON, truncated, missing fields, wrong types, wrong document type, or beyond
    # the structural bounds of contracts.config_rules (size, nesting depth, encoding, number and version range)


class TrustError(Exception):
    """Base of every error raised by kiosk.trust."""


class ConfigRejected(TrustError):
    """A document that must not be applied. The running configuration is left byte-for-byte untouched."""

    def __init__(self, reason: Reason, message: str, *, unknown_keyids: tuple[str, ...] = ()) -> None:
        super().__init__(f"{reason.value}: {message}")
        self.reason = reason
        self.message = message
        self.unknown_keyids = unknown_keyids


class Deferred(TrustError):
    """A valid document that cannot be applied now (a citizen transaction is open); retry later."""


class TrustRootMissing(TrustError):
    """The kiosk has not been provisioned with trusted keys (`kiosk config init`)."""


class TrustRootExists(TrustError):
    """Provisioning refused: a trust root is already in place (rotate it with a signed trust-root document)."""


class NoPreviousConfig(TrustError):
    """rollback_to_previous() found no last-known-good configuration to restore."""
