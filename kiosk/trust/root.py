"""The kiosk's trust root (config/trust.json): which keys may sign its configuration, and who it is.

Provisioned once on site by `kiosk config init` (refused when one exists). Afterwards it changes only
through a "trust-root" document signed by a threshold of the CURRENT keys, under the same rules as a
configuration (version, expiry, addressing). Its payload: {"keys": [base64 raw keys], "threshold": N,
"channels": [...] (optional; omitted = unchanged)}. The kiosk id never changes by rotation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.home import KioskHome
from kiosk.trust.atomic import atomic_write_bytes, exclusive_lock, remove_stale_temps
from kiosk.trust.envelope import TRUST_ROOT_TYPE, SignedDocument
from kiosk.trust.errors import ConfigRejected, Reason, TrustError, TrustRootExists, TrustRootMissing
from kiosk.trust.keys import keyid, public_key_b64, public_key_from_b64
from kiosk.trust.policy import Decision, Floor, evaluate

ROOT_FORMAT = 1
ROOT_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class TrustRoot:
    kiosk_id: str
    keys: Mapping[str, Ed25519PublicKey]  # keyid -> public key
    threshold: int
    channels: tuple[str, ...] = ()
    version: int = 0  # version of the trust-root document that installed it; 0 = provisioned on site
    sha256: str | None = None  # sha256 of that document's canonical signed bytes

    @classmethod
    def create(
        cls, kiosk_id: str, public_keys: Iterable[Ed25519PublicKey], threshold: int, channels: Iterable[str] = ()
    ) -> TrustRoot:
        keys = {keyid(key): key for key in public_keys}
        if not kiosk_id.strip():
            raise ValueError("kiosk id must not be empty")
        if not 1 <= threshold <= len(keys):
            raise ValueError(f"threshold must be between 1 and the {len(keys)} distinct trusted key(s)")
        return cls(kiosk_id, keys, threshold, tuple(sorted(set(channels))))

    def floor(self) -> Floor:
        return Floor(self.version, self.sha256, self.sha256)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": ROOT_FORMAT,
            "kiosk_id": self.kiosk_id,
            "channels": list(self.channels),
            "threshold": self.threshold,
            "keys": sorted(public_key_b64(key) for key in self.keys.values()),
            "version": self.version,
            "sha256": self.sha256,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TrustRoot:
        root = cls.create(
            data["kiosk_id"], (public_key_from_b64(k) for k in data["keys"]), data["threshold"], data["channels"]
        )
        return cls(root.kiosk_id, root.keys, root.threshold, root.channels, data["version"], data["sha256"])


def trust_file(home: KioskHome) -> Path:
    return home.config_dir / "trust.json"


def lock_file(home: KioskHome) -> Path:
    """One lock for every writer of config/ (apply, rollback, rotation, provisioning)."""
    return home.config_dir / ".apply.lock"


def load_trust_root(home: KioskHome) -> TrustRoot:
    path = trust_file(home)
    if not path.exists():
        raise TrustRootMissing(f"no trust root at {path}; provision it with `kiosk config init`")
    try:
        return TrustRoot.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise TrustError(f"trust root {path} is unreadable: {error}") from error


def _write_root(home: KioskHome, root: TrustRoot) -> None:
    text = json.dumps(root.to_json(), indent=2, ensure_ascii=False) + "\n"
    atomic_write_bytes(trust_file(home), text.encode("utf-8"))


def provision_trust_root(
    home: KioskHome,
    kiosk_id: str,
    public_keys: Sequence[Ed25519PublicKey],
    threshold: int,
    channels: Iterable[str] = (),
) -> TrustRoot:
    """First provisioning on site; raise TrustRootExists if the kiosk already has one."""
    root = TrustRoot.create(kiosk_id, public_keys, threshold, channels)
    with exclusive_lock(lock_file(home)):
        if trust_file(home).exists():
            raise TrustRootExists(f"a trust root already exists at {trust_file(home)}; rotate it instead")
        _write_root(home, root)
    return root


def _root_from_payload(current: TrustRoot, doc: SignedDocument) -> TrustRoot:
    payload = doc.payload
    if doc.schema_version != ROOT_SCHEMA_VERSION:
        raise ConfigRejected(Reason.SCHEMA_INVALID, f"trust-root schema {doc.schema_version} is not supported")
    try:
        if set(payload) - {"keys", "threshold", "channels"} or not isinstance(payload["keys"], list):
            raise ValueError('payload is {"keys": [...], "threshold": N, "channels": [...]}')
        if not isinstance(payload["threshold"], int) or isinstance(payload["threshold"], bool):
            raise ValueError("threshold must be an integer")
        channels = payload.get("channels", list(current.channels))
        if not isinstance(channels, list) or not all(isinstance(c, str) and c for c in channels):
            raise ValueError("channels must be a list of names")
        new = TrustRoot.create(
            current.kiosk_id, [public_key_from_b64(k) for k in payload["keys"]], payload["threshold"], channels
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ConfigRejected(Reason.SCHEMA_INVALID, f"invalid trust-root payload: {error}") from error
    return TrustRoot(new.kiosk_id, new.keys, new.threshold, new.channels, doc.version, doc.sha256)


def evaluate_rotation(raw: bytes | Mapping[str, Any], current: TrustRoot, now: datetime | None = None) -> Decision:
    return evaluate(
        raw,
        expected_type=TRUST_ROOT_TYPE,
        trusted=current.keys,
        threshold=current.threshold,
        kiosk_id=current.kiosk_id,
        channels=current.channels,
        floor=current.floor(),
        now=now,
    )


def rotate_trust_root(
    home: KioskHome, raw: bytes | Mapping[str, Any], now: datetime | None = None
) -> tuple[TrustRoot, bool]:
    """Replace the trust root with a document signed by a threshold of the current keys.

    Returns (root now in force, changed). Raises ConfigRejected (trust.json untouched) or TrustRootMissing.
    """
    with exclusive_lock(lock_file(home)):
        remove_stale_temps(home.config_dir)
        current = load_trust_root(home)
        decision = evaluate_rotation(raw, current, now)
        if decision.noop:
            return current, False
        new = _root_from_payload(current, decision.doc)
        _write_root(home, new)
    return new, True
