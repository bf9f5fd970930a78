"""Anchors of the audit log's head: the head signed by the kiosk's device key, and the head the fleet
server last acknowledged, so a log cut short (or emptied) no longer verifies as intact.

The signed message (the wire contract with the fleet server, contracts.canonical):
    canonical_bytes({"type": "audit-head", "kiosk_id": ..., "seq": ..., "hash": ...})
sent with every heartbeat as {"seq", "hash", "key_id", "signature": base64 Ed25519}.

audit-anchor.json in the data home (0600) keeps the newest signed head, the newest head the fleet server
accepted, and any alarm the server raised about a head (it went backwards, or its signature failed). It only
moves forward, and only while the log still holds the head it replaces: a log whose tail was cut and then
grew again never overwrites the evidence. Once the device key exists an anchor always exists (it is
written when the key is made), so deleting the anchor is as visible as cutting the log.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from contracts.canonical import canonical_bytes
from kiosk.home import KioskHome
from kiosk.trust.atomic import atomic_write_bytes, exclusive_lock
from kiosk.trust.device_key import DeviceKey, load_device_key
from kiosk.trust.errors import TrustError
from kiosk.trust.root import load_trust_root

log = logging.getLogger(__name__)
HEAD_TYPE = "audit-head"
FORMAT = 1
HashAt = Callable[[int], str | None]  # the log's hash at a seq (None: no such entry)


class AnchorTampered(TrustError):
    """The anchor file is missing, unreadable or its signature does not verify although a device key exists."""


def head_message(kiosk_id: str, seq: int, digest: str) -> bytes:
    return canonical_bytes({"type": HEAD_TYPE, "kiosk_id": kiosk_id, "seq": seq, "hash": digest})


@dataclass(frozen=True)
class SignedHead:
    kiosk_id: str
    seq: int
    hash: str
    key_id: str
    signature: str  # base64 of the 64-byte Ed25519 signature over head_message(...)

    def to_wire(self) -> dict[str, Any]:
        """The heartbeat's "audit_head" field."""
        return {"seq": self.seq, "hash": self.hash, "key_id": self.key_id, "signature": self.signature}

    def verifies(self, public_key: Ed25519PublicKey) -> bool:
        try:
            public_key.verify(
                base64.b64decode(self.signature, validate=True), head_message(self.kiosk_id, self.seq, self.hash)
            )
        except (InvalidSignature, binascii.Error, ValueError):
            return False
        return True


def sign_head(key: DeviceKey, kiosk_id: str, seq: int, digest: str) -> SignedHead:
    signature = base64.b64encode(key.private_key.sign(head_message(kiosk_id, seq, digest))).decode("ascii")
    return SignedHead(kiosk_id, seq, digest, key.key_id, signature)


def _head_from_json(data: Any) -> SignedHead:
    head = SignedHead(**data)
    if not (isinstance(head.seq, int) and isinstance(head.hash, str) and isinstance(head.signature, str)):
        raise TypeError("bad field types")
    return head


def _fleet_from_json(data: Any) -> tuple[int, str] | None:
    if data is None:
        return None
    seq, digest = data["seq"], data["hash"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0 or not _is_hash(digest):
        raise TypeError("bad fleet head")
    return seq, digest


def _alarm_from_json(data: Any) -> dict[str, Any] | None:
    if data is None:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("verdict"), str):
        raise TypeError("bad fleet alarm")
    return {"verdict": data["verdict"], "seq": data.get("seq")}


def _is_hash(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


class HeadAnchor:
    """The audit anchors of one data home (AuditLog.for_home wires one in)."""

    def __init__(self, home: KioskHome) -> None:
        self.home = home
        self.path: Path = home.root / "audit-anchor.json"

    # -- reading -----------------------------------------------------------------------------------------
    def _read(self) -> dict[str, Any]:
        data = json.loads(self.path.read_bytes()[: 64 * 1024])
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not an audit anchor")
        return data

    def _identity(self) -> tuple[DeviceKey, str] | None:
        try:
            key = load_device_key(self.home)
            return (key, load_trust_root(self.home).kiosk_id) if key is not None else None
        except (TrustError, ValueError, OSError):
            return None

    def _verifying_key(self) -> tuple[DeviceKey | None, str | None]:
        """The device key (None: never made) and the trust root's kiosk id (None: unreadable or removed -
        the anchor is checked all the same, under the id it was signed for). Raises AnchorTampered."""
        try:
            key = load_device_key(self.home)
        except (OSError, ValueError) as error:
            raise AnchorTampered(f"the device key is unreadable: {type(error).__name__}") from error
        try:
            return key, load_trust_root(self.home).kiosk_id
        except TrustError:
            return key, None

    def expected_heads(self) -> list[tuple[str, int, str]]:
        """(what, seq, hash) the log must contain: the signed head and the fleet's. Raises AnchorTampered."""
        key, kiosk_id = self._verifying_key()
        if key is None:
            return []  # no device key (not provisioned): nothing was ever anchored here
        try:
            data = self._read()
            signed = _head_from_json(data["signed"])
            fleet = _fleet_from_json(data.get("fleet"))
            alarm = _alarm_from_json(data.get("fleet_alarm"))
        except FileNotFoundError as error:
            raise AnchorTampered(f"{self.path.name} is missing although the device key exists") from error
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise AnchorTampered(f"{self.path.name} is unreadable: {type(error).__name__}") from error
        if (kiosk_id is not None and signed.kiosk_id != kiosk_id) or not signed.verifies(key.public_key):
            raise AnchorTampered(f"the signed head in {self.path.name} does not verify with the device key")
        if alarm is not None:
            raise AnchorTampered(
                f"the fleet server found the audit head we sent (seq {alarm['seq']}) {alarm['verdict']}"
            )
        heads = [("signed head", signed.seq, signed.hash)]
        return [*heads, ("fleet head", *fleet)] if fleet is not None else heads

    # -- writing -----------------------------------------------------------------------------------------
    def _write(self, signed: SignedHead, fleet: tuple[int, str] | None, alarm: dict[str, Any] | None) -> None:
        data = {"format": FORMAT, "signed": asdict(signed), "fleet": None, "fleet_alarm": alarm}
        if fleet is not None:
            data["fleet"] = {"seq": fleet[0], "hash": fleet[1]}
        atomic_write_bytes(self.path, (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8"))

    def _stored(self) -> tuple[SignedHead | None, tuple[int, str] | None, dict[str, Any] | None]:
        try:
            data = self._read()
            alarm = data.get("fleet_alarm")
            return _head_from_json(data["signed"]), _fleet_from_json(data.get("fleet")), _alarm_from_json(alarm)
        except (OSError, ValueError, KeyError, TypeError):
            return None, None, None

    def record(self, seq: int, digest: str, hash_at: HashAt, *, create: bool = False) -> SignedHead | None:
        """Sign (seq, hash) and keep it if it is newer than the stored head and the log still holds that one.
        A missing anchor is re-created only with `create` (when the device key is made): otherwise its
        absence is the evidence. Returns the newest signed head on record (None: nothing anchored)."""
        identity = self._identity()
        if identity is None:
            return None
        key, kiosk_id = identity
        with exclusive_lock(self.path.with_name(".audit-anchor.lock")):
            stored, fleet, alarm = self._stored()
            if stored is None and not create:
                log.error("audit anchor %s is missing or unreadable; it is not re-created", self.path.name)
                return None
            if stored is not None and seq <= stored.seq:
                return stored  # nothing new, or a concurrent writer got further
            if stored is not None and (stored.kiosk_id != kiosk_id or hash_at(stored.seq) != stored.hash):
                log.error("audit log no longer holds its signed head %s; the anchor is kept as evidence", stored.seq)
                return stored
            signed = sign_head(key, kiosk_id, seq, digest)
            self._write(signed, fleet, alarm)
        return signed

    def sign_current(self, seq: int, digest: str, hash_at: HashAt) -> SignedHead | None:
        """The log's head as it is now, freshly signed (what a heartbeat carries, even when it went back:
        that is how the fleet server sees a cut), and kept as the anchor by record()'s rules."""
        identity = self._identity()
        if identity is None:
            return None
        self.record(seq, digest, hash_at)
        return sign_head(identity[0], identity[1], seq, digest)

    def record_fleet(self, seq: Any, digest: Any) -> bool:
        """Keep the head the fleet server says it holds for this kiosk (from the heartbeat's answer)."""
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0 or not _is_hash(digest):
            return False
        with exclusive_lock(self.path.with_name(".audit-anchor.lock")):
            stored, fleet, alarm = self._stored()
            if stored is None or (fleet is not None and fleet[0] > seq):
                return False
            self._write(stored, (seq, digest), alarm)
        return True

    def record_fleet_alarm(self, verdict: str, seq: int) -> None:
        """The fleet server refused the head we sent ("regressed", "bad_signature"): kept for good."""
        with exclusive_lock(self.path.with_name(".audit-anchor.lock")):
            stored, fleet, alarm = self._stored()
            if stored is not None and alarm is None:
                self._write(stored, fleet, {"verdict": verdict[:32], "seq": seq})
