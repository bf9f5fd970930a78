"""Anchoring the kiosks' audit logs: each heartbeat may carry the log's head (sequence number and hash of
the newest entry) signed by the kiosk's device key. The server verifies the signature with the key the
kiosk registered first and keeps the newest head; a head that goes backwards - a smaller sequence
number, or the same one with another hash - means the log was truncated or rewritten, and is an alert.
"""

from __future__ import annotations

import base64
import binascii
from enum import StrEnum

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from contracts.canonical import canonical_bytes
from server.fleet.models import Kiosk, utc_now
from server.fleet.schemas import AuditHead

HEAD_TYPE = "audit-head"


class HeadVerdict(StrEnum):
    ACCEPTED = "accepted"  # newer than the one held (or the first): stored
    UNCHANGED = "unchanged"  # the head held, again
    REGRESSED = "regressed"  # backwards: not stored, alerted
    BAD_SIGNATURE = "bad_signature"  # not signed by the registered key: not stored, alerted
    NO_DEVICE_KEY = "no_device_key"  # nothing to verify it with yet: not stored


def head_message(kiosk_id: str, seq: int, head_hash: str) -> bytes:
    return canonical_bytes({"type": HEAD_TYPE, "kiosk_id": kiosk_id, "seq": seq, "hash": head_hash})


def public_key(key_b64: str) -> Ed25519PublicKey:
    """The raw 32-byte Ed25519 key from base64; ValueError when it is not one."""
    try:
        raw = base64.b64decode(key_b64, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError("device_public_key is not base64") from error
    if len(raw) != 32:
        raise ValueError("device_public_key is not 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def signature_valid(key_b64: str, kiosk_id: str, head: AuditHead) -> bool:
    try:
        public_key(key_b64).verify(base64.b64decode(head.signature, validate=True),
                                   head_message(kiosk_id, head.seq, head.hash))  # fmt: skip
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def judge_head(kiosk: Kiosk, head: AuditHead) -> HeadVerdict:
    """Verify and compare `head` with the one held, storing it on the kiosk row when it is newer."""
    if not kiosk.device_public_key:
        return HeadVerdict.NO_DEVICE_KEY
    if not signature_valid(kiosk.device_public_key, kiosk.id, head):
        return HeadVerdict.BAD_SIGNATURE
    held_seq, held_hash = kiosk.audit_seq, kiosk.audit_hash
    if held_seq is not None and (head.seq < held_seq or (head.seq == held_seq and head.hash != held_hash)):
        return HeadVerdict.REGRESSED
    if held_seq == head.seq:
        return HeadVerdict.UNCHANGED
    kiosk.audit_seq, kiosk.audit_hash, kiosk.audit_key_id, kiosk.audit_at = head.seq, head.hash, head.key_id, utc_now()
    return HeadVerdict.ACCEPTED


def regression_detail(kiosk: Kiosk, head: AuditHead) -> str:
    return f"audit head went back from seq {kiosk.audit_seq} to {head.seq} (hash {head.hash[:12]}...)"
