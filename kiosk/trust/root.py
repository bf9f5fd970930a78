"""The kiosk's trust root (config/trust.json): which keys may sign its configuration, and who it is.

Provisioned once on site by `kiosk config init` (refused when one exists). Afterwards it changes only
through a "trust-root" document signed by a threshold of the CURRENT keys, under the same rules as a
configuration (version, expiry, addressing). Its payload: {"keys": [base64 raw keys], "threshold": N,
"channels": [...], "expiry_horizon_days": N (both optional; omitted = unchanged)}. The kiosk id never
changes by rotation.

expiry_horizon_days bounds how far ahead a document's "expires" may lie (contracts.config_rules).
`carried` lists the sha256 of configuration documents accepted under an earlier key set that still run
(active and last-known-good at the time of a rotation): start-up re-verification accepts them although
the new keys did not sign them, so a rotation never turns a good configuration into a fallback.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from contracts.config_rules import DEFAULT_EXPIRY_HORIZON, MAX_EXPIRY_HORIZON, parse_document
from kiosk.home import KioskHome
from kiosk.trust.atomic import atomic_write_bytes, exclusive_lock, remove_stale_temps
from kiosk.trust.envelope import TRUST_ROOT_TYPE, SignedDocument
from kiosk.trust.errors import ConfigRejected, Reason, TrustError, TrustRootExists, TrustRootMissing
from kiosk.trust.keys import keyid, public_key_b64, public_key_from_b64
from kiosk.trust.policy import Decision, Floor, evaluate

ROOT_FORMAT = 1
ROOT_SCHEMA_VERSION = 1
KIOSK_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")  # the fleet server's Name
DEFAULT_HORIZON_DAYS = DEFAULT_EXPIRY_HORIZON.days
MAX_HORIZON_DAYS = MAX_EXPIRY_HORIZON.days


def check_horizon_days(days: object) -> int:
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_HORIZON_DAYS:
        raise ValueError(f"expiry horizon must be 1 to {MAX_HORIZON_DAYS} days")
    return days


@dataclass(frozen=True)
class TrustRoot:
    kiosk_id: str
    keys: Mapping[str, Ed25519PublicKey]  # keyid -> public key
    threshold: int
    channels: tuple[str, ...] = ()
    version: int = 0  # version of the trust-root document that installed it; 0 = provisioned on site
    sha256: str | None = None  # sha256 of that document's canonical signed bytes
    expiry_horizon_days: int = DEFAULT_HORIZON_DAYS
    carried: tuple[str, ...] = ()  # config documents accepted under an earlier key set (see module doc)

    @classmethod
    def create(
        cls,
        kiosk_id: str,
        public_keys: Iterable[Ed25519PublicKey],
        threshold: int,
        channels: Iterable[str] = (),
        expiry_horizon_days: int = DEFAULT_HORIZON_DAYS,
    ) -> TrustRoot:
        keys = {keyid(key): key for key in public_keys}
        if not isinstance(kiosk_id, str) or not KIOSK_ID.fullmatch(kiosk_id):
            raise ValueError("kiosk id must be 1-64 letters, digits or . _ : - (starting with a letter or digit)")
        if not 1 <= threshold <= len(keys):
            raise ValueError(f"threshold must be between 1 and the {len(keys)} distinct trusted key(s)")
        horizon = check_horizon_days(expiry_horizon_days)
        return cls(kiosk_id, keys, threshold, tuple(sorted(set(channels))), expiry_horizon_days=horizon)

    @property
    def expiry_horizon(self) -> timedelta:
        return timedelta(days=self.expiry_horizon_days)

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
            "expiry_horizon_days": self.expiry_horizon_days,
            "carried": list(self.carried),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TrustRoot:
        root = cls.create(
            data["kiosk_id"],
            (public_key_from_b64(k) for k in data["keys"]),
            data["threshold"],
            data["channels"],
            data.get("expiry_horizon_days", DEFAULT_HORIZON_DAYS),
        )
        carried = data.get("carried", [])
        if not isinstance(carried, list) or not all(isinstance(c, str) for c in carried):
            raise ValueError("carried must be a list of sha256 strings")
        return replace(root, version=data["version"], sha256=data["sha256"], carried=tuple(carried))


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
        return TrustRoot.from_json(parse_document(path.read_bytes()))
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
    expiry_horizon_days: int = DEFAULT_HORIZON_DAYS,
) -> TrustRoot:
    """First provisioning on site; raise TrustRootExists if the kiosk already has one."""
    root = TrustRoot.create(kiosk_id, public_keys, threshold, channels, expiry_horizon_days)
    home.config_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(home.config_dir, 0o700)  # configuration, state and secrets are the kiosk user's alone
    with exclusive_lock(lock_file(home)):
        if trust_file(home).exists():
            raise TrustRootExists(f"a trust root already exists at {trust_file(home)}; rotate it instead")
        _write_root(home, root)
    return root


_ROOT_FIELDS = {"keys", "threshold", "channels", "expiry_horizon_days"}


def _root_from_payload(current: TrustRoot, doc: SignedDocument, carried: Sequence[str]) -> TrustRoot:
    payload = doc.payload
    if doc.schema_version != ROOT_SCHEMA_VERSION:
        raise ConfigRejected(Reason.SCHEMA_INVALID, f"trust-root schema {doc.schema_version} is not supported")
    try:
        if set(payload) - _ROOT_FIELDS or not isinstance(payload["keys"], list):
            raise ValueError('payload is {"keys": [...], "threshold": N, "channels": [...], "expiry_horizon_days": N}')
        if not isinstance(payload["threshold"], int) or isinstance(payload["threshold"], bool):
            raise ValueError("threshold must be an integer")
        channels = payload.get("channels", list(current.channels))
        if not isinstance(channels, list) or not all(isinstance(c, str) and c for c in channels):
            raise ValueError("channels must be a list of names")
        keys = [public_key_from_b64(k) for k in payload["keys"]]
        horizon = payload.get("expiry_horizon_days", current.expiry_horizon_days)
        new = TrustRoot.create(current.kiosk_id, keys, payload["threshold"], channels, horizon)
    except (KeyError, TypeError, ValueError) as error:
        raise ConfigRejected(Reason.SCHEMA_INVALID, f"invalid trust-root payload: {error}") from error
    return replace(new, version=doc.version, sha256=doc.sha256, carried=tuple(dict.fromkeys(carried)))


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
        expiry_horizon=current.expiry_horizon,
    )


def rotate_trust_root(
    home: KioskHome,
    raw: bytes | Mapping[str, Any],
    now: datetime | None = None,
    carried: Callable[[TrustRoot], Sequence[str]] = lambda _root: (),
) -> tuple[TrustRoot, bool]:
    """Replace the trust root with a document signed by a threshold of the current keys.

    `carried(current_root)` (called under the lock) names the configuration documents in force that the new root
    keeps accepting at start-up. Returns (root now in force, changed). Raises ConfigRejected (trust.json
    untouched) or TrustRootMissing.
    """
    with exclusive_lock(lock_file(home)):
        remove_stale_temps(home.config_dir)
        current = load_trust_root(home)
        decision = evaluate_rotation(raw, current, now)
        if decision.noop:
            return current, False
        new = _root_from_payload(current, decision.doc, carried(current))
        _write_root(home, new)
    return new, True
