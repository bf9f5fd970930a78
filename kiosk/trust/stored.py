"""Reading what is in force: active.json re-verified against the trust root every time it is read.

A stored configuration counts only when it is a kiosk-config envelope signed by a threshold of the trust
root's keys (or one the root carried over a key rotation), addressed to this kiosk, with a payload that
passes the schema. Its kiosk_id must be the root's; a payload without one runs under the root's id (a
channel-wide document never renames a kiosk). Expiry is not re-checked: it guards acceptance, and a kiosk
that was offline for a year keeps running the configuration it accepted rather than falling back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.config import SCHEMA_VERSION, ConfigError, KioskConfig, default_config, parse_config
from kiosk.home import KioskHome
from kiosk.trust.envelope import CONFIG_TYPE, SignedDocument, parse_envelope, verify_signatures
from kiosk.trust.errors import ConfigRejected, Reason, TrustError, TrustRootMissing
from kiosk.trust.root import TrustRoot, load_trust_root
from kiosk.trust.secrets import load_secrets, with_secrets

DEFAULTS_MARKER = {"built_in_defaults": True}


@dataclass(frozen=True)
class ActiveConfig:
    config: KioskConfig  # with the root's kiosk id and the secrets filled in: what the kiosk runs on
    version: int  # 0 = built-in defaults
    sha256: str | None  # sha256 of the canonical signed bytes; None for the built-in defaults


def config_from_payload(
    home: KioskHome, root: TrustRoot | None, schema_version: int, payload: Mapping[str, Any]
) -> KioskConfig:
    """The payload as a KioskConfig under this kiosk's identity; raise ConfigRejected."""
    if schema_version != SCHEMA_VERSION:
        raise ConfigRejected(
            Reason.SCHEMA_INVALID, f"schema_version {schema_version}; this kiosk understands {SCHEMA_VERSION}"
        )
    data = dict(payload)
    if root is not None:
        claimed = data.setdefault("kiosk_id", root.kiosk_id)
        if claimed != root.kiosk_id:
            raise ConfigRejected(Reason.WRONG_KIOSK, f"payload kiosk_id {str(claimed)[:64]!r} is not {root.kiosk_id}")
    try:
        return parse_config(data, home=home.root)
    except ConfigError as error:
        raise ConfigRejected(Reason.SCHEMA_INVALID, str(error)) from error


def verify_stored(home: KioskHome, raw: bytes, root: TrustRoot) -> tuple[SignedDocument, KioskConfig]:
    """A stored envelope checked against `root` (signatures, type, addressing, payload); raise ConfigRejected."""
    doc = parse_envelope(raw)  # a plain (unsigned) configuration file is malformed here
    if doc.type != CONFIG_TYPE:
        raise ConfigRejected(Reason.MALFORMED, f"document type {doc.type!r}, expected {CONFIG_TYPE!r}")
    if doc.sha256 not in root.carried:
        verify_signatures(doc, root.keys, root.threshold)
        if not doc.is_addressed_to(root.kiosk_id, root.channels):
            raise ConfigRejected(Reason.WRONG_KIOSK, f"not addressed to {root.kiosk_id} or its channels")
    return doc, config_from_payload(home, root, doc.schema_version, doc.payload)


def trust_root_or_none(home: KioskHome) -> TrustRoot | None:
    """The trust root; None when not provisioned. Raises ConfigError when trust.json is unreadable."""
    try:
        return load_trust_root(home)
    except TrustRootMissing:
        return None
    except TrustError as error:
        raise ConfigError(str(error)) from error


def defaults_for(root: TrustRoot | None) -> KioskConfig:
    """The built-in defaults, under the root's kiosk id once provisioned."""
    config = default_config()
    return config.model_copy(update={"kiosk_id": root.kiosk_id}) if root is not None else config


def read_active(home: KioskHome, root: TrustRoot | None = None) -> ActiveConfig:
    """What runs now. Raises ConfigError when active.json exists but does not verify (or cannot be
    verified: no trust root), or when the trust root or the secrets file is unreadable."""
    try:
        root = root or trust_root_or_none(home)
        path = home.config_file
        if not path.exists():
            return ActiveConfig(with_secrets(defaults_for(root), load_secrets(home)), 0, None)
        if root is None:
            raise ConfigError(f"{path} cannot be verified: no trust root (kiosk config init)")
        doc, config = verify_stored(home, path.read_bytes(), root)
        return ActiveConfig(with_secrets(config, load_secrets(home)), doc.version, doc.sha256)
    except ConfigRejected as rejected:
        raise ConfigError(f"{home.config_file} refused ({rejected.reason.value}): {rejected.message}") from rejected
    except (OSError, TrustError) as error:
        raise ConfigError(f"cannot read configuration: {error}") from error
