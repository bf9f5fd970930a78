"""Signed configuration for the kiosk: envelopes, the trust root, and atomic local apply.

What the fleet agent calls (all take a KioskHome; see each docstring):
  apply_document(home, raw, is_transaction_open=..., audit=...) -> ApplyResult   # config or trust-root doc
  apply_config(home, raw, ...) -> ApplyResult                                       # kiosk-config only
  rollback_to_previous(home, reason=...) -> ActiveConfig   # failed health window: restore last-known-good
  mark_committed(home) -> AppliedState                     # health window passed
  read_active(home) -> ActiveConfig (config, version, sha256)   # what to report to the server
  read_state(home) -> AppliedState (highest version, sha256, pending)
Errors: ConfigRejected(.reason: Reason, .message) -> report "rejected"; Deferred -> retry at next poll;
NoPreviousConfig; TrustRootMissing. Admin side: make_signed(...) + sign(signed, keys).
"""

from contracts.canonical import canonical_bytes, sha256_hex
from kiosk.trust.apply import (
    ActiveConfig,
    AppliedState,
    ApplyResult,
    apply_config,
    apply_document,
    mark_committed,
    read_active,
    read_state,
    rollback_to_previous,
)
from kiosk.trust.envelope import (
    CONFIG_TYPE,
    TRUST_ROOT_TYPE,
    SignedDocument,
    Verification,
    make_signed,
    parse_envelope,
    sign,
    verify_signatures,
)
from kiosk.trust.errors import (
    ConfigRejected,
    Deferred,
    NoPreviousConfig,
    Reason,
    TrustError,
    TrustRootExists,
    TrustRootMissing,
)
from kiosk.trust.keys import keyid, load_private_key, parse_public_key, public_key_b64, write_key_pair
from kiosk.trust.root import TrustRoot, load_trust_root, provision_trust_root, rotate_trust_root

__all__ = [
    "CONFIG_TYPE",
    "TRUST_ROOT_TYPE",
    "ActiveConfig",
    "AppliedState",
    "ApplyResult",
    "ConfigRejected",
    "Deferred",
    "NoPreviousConfig",
    "Reason",
    "SignedDocument",
    "TrustError",
    "TrustRoot",
    "TrustRootExists",
    "TrustRootMissing",
    "Verification",
    "apply_config",
    "apply_document",
    "canonical_bytes",
    "keyid",
    "load_private_key",
    "load_trust_root",
    "make_signed",
    "mark_committed",
    "parse_envelope",
    "parse_public_key",
    "provision_trust_root",
    "public_key_b64",
    "read_active",
    "read_state",
    "rollback_to_previous",
    "rotate_trust_root",
    "sha256_hex",
    "sign",
    "verify_signatures",
    "write_key_pair",
]
