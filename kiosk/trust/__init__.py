"""Signed configuration for the kiosk: envelopes, the trust root, and atomic local apply.

What the fleet agent calls (all take a KioskHome; see each docstring):
  apply_document(home, raw, is_transaction_open=..., audit=...) -> ApplyResult   # config or trust-root doc
  apply_config(home, raw, ...) -> ApplyResult                                       # kiosk-config only
  rollback_to_previous(home, reason=...) -> ActiveConfig   # failed health window: restore last-known-good
  mark_committed(home) -> AppliedState                     # health window passed
  read_active(home) -> ActiveConfig (config, version, sha256)   # what runs, re-verified; ConfigError if not
  read_state(home) -> AppliedState (highest version, sha256, pending)
  load_verified_config(home, audit=...) -> VerifiedConfig   # start-up: verified, or last good / defaults
  set_secret(home, name, value) / load_secrets(home) / fingerprint(value)   # the 0600 secrets file
Errors: ConfigRejected(.reason: Reason, .message) -> report "rejected"; Deferred -> retry at next poll;
NoPreviousConfig; TrustRootMissing. Admin side: make_signed(...) + sign(signed, keys).
"""

from contracts.canonical import canonical_bytes, sha256_hex
from kiosk.trust.apply import (
    AppliedState,
    ApplyResult,
    apply_config,
    apply_document,
    mark_committed,
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
from kiosk.trust.secrets import SECRET_NAMES, SecretError, fingerprint, load_secrets, set_secret
from kiosk.trust.startup import VerifiedConfig, load_verified_config
from kiosk.trust.stored import ActiveConfig, read_active

__all__ = [
    "CONFIG_TYPE",
    "SECRET_NAMES",
    "TRUST_ROOT_TYPE",
    "ActiveConfig",
    "AppliedState",
    "ApplyResult",
    "ConfigRejected",
    "Deferred",
    "NoPreviousConfig",
    "Reason",
    "SecretError",
    "SignedDocument",
    "TrustError",
    "TrustRoot",
    "TrustRootExists",
    "TrustRootMissing",
    "Verification",
    "VerifiedConfig",
    "apply_config",
    "apply_document",
    "canonical_bytes",
    "fingerprint",
    "keyid",
    "load_private_key",
    "load_secrets",
    "load_trust_root",
    "load_verified_config",
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
    "set_secret",
    "sha256_hex",
    "sign",
    "verify_signatures",
    "write_key_pair",
]
