"""Issue 22: the fleet server anchors each kiosk's audit log. Heads are verified with the device key the
kiosk registered first (a different key later is refused and alerted); a head that goes backwards - a
smaller sequence number, or the same one with another hash - is a truncated log and raises an alert."""

from __future__ import annotations

import base64
import hashlib

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from contracts.canonical import canonical_bytes


def key_b64(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def head(key: Ed25519PrivateKey, kiosk_id: str, seq: int, text: str = "") -> dict:
    digest = hashlib.sha256(f"{seq}{text}".encode()).hexdigest()
    message = canonical_bytes({"type": "audit-head", "kiosk_id": kiosk_id, "seq": seq, "hash": digest})
    return {"seq": seq, "hash": digest, "key_id": "device-1", "signature": base64.b64encode(key.sign(message)).decode()}


class KioskApi:
    def __init__(self, server, credentials: tuple[str, str]) -> None:
        self.base = f"{server.url}/api/v1/kiosks/{credentials[0]}"
        self.credentials = credentials

    def inventory(self, **extra) -> requests.Response:
        body = {"software_version": "1.0", "devices": [], **extra}
        return requests.put(self.base + "/inventory", auth=self.credentials, json=body, timeout=10)

    def beat(self, audit_head: dict | None) -> dict:
        body = {} if audit_head is None else {"audit_head": audit_head}
        answer = requests.post(self.base + "/heartbeat", auth=self.credentials, json=body, timeout=10)
        assert answer.status_code == 200, answer.text
        return answer.json()


def kinds(alerts: list[dict]) -> list[str]:
    return sorted(alert["kind"] for alert in alerts)


def test_heads_are_verified_stored_and_a_truncation_is_alerted(fleet_server, admin):
    device = Ed25519PrivateKey.generate()
    kiosk = KioskApi(fleet_server, admin.enrol("k-audit"))
    assert kiosk.beat(head(device, "k-audit", 3))["audit_head"] == "no_device_key"  # nothing to verify with yet
    assert kiosk.inventory(device_public_key=key_b64(device)).status_code == 200
    assert kiosk.beat(head(device, "k-audit", 10))["audit_head"] == "accepted"
    assert kiosk.beat(head(device, "k-audit", 10))["audit_head"] == "unchanged"
    assert kiosk.beat(None).get("audit_head") is None  # the field is optional
    assert kiosk.beat(head(device, "k-audit", 12))["audit_head"] == "accepted"
    view = admin.call("GET", "/kiosks/k-audit")
    assert view["audit_head"]["seq"] == 12 and view["device_key_registered"] and kinds(view["alerts"]) == []
    assert kiosk.beat(head(device, "k-audit", 7))["audit_head"] == "regressed"  # the log was cut back
    assert kiosk.beat(head(device, "k-audit", 12, "rewritten"))["audit_head"] == "regressed"
    view = admin.call("GET", "/kiosks/k-audit")
    assert view["audit_head"]["seq"] == 12  # a head gone back is not accepted
    assert "audit_head_regressed" in kinds(view["alerts"])
    security = admin.call("GET", "/alerts")["security"]
    regressed = next(a for a in security if a["kind"] == "audit_head_regressed")
    assert regressed["subject"] == "k-audit" and regressed["count"] == 2  # counted; the detail is the latest
    assert "from seq 12 to 12" in regressed["detail"]
    admin.call("POST", f"/security-events/{regressed['id']}/acknowledge")
    assert "audit_head_regressed" not in kinds(admin.call("GET", "/kiosks/k-audit")["alerts"])


def test_a_head_not_signed_by_the_registered_key_is_refused_and_alerted(fleet_server, admin):
    device, attacker = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    kiosk = KioskApi(fleet_server, admin.enrol("k-forged"))
    kiosk.inventory(device_public_key=key_b64(device))
    assert kiosk.beat(head(attacker, "k-forged", 99))["audit_head"] == "bad_signature"
    assert kiosk.beat(head(device, "k-other", 99))["audit_head"] == "bad_signature"  # signed for another kiosk
    assert admin.call("GET", "/kiosks/k-forged")["audit_head"] is None
    assert "audit_head_bad_signature" in kinds(admin.call("GET", "/kiosks/k-forged")["alerts"])


def test_the_first_device_key_is_kept_and_another_one_is_refused_until_an_admin_resets_it(fleet_server, admin):
    first, second = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    kiosk = KioskApi(fleet_server, admin.enrol("k-key"))
    assert kiosk.inventory(device_public_key=key_b64(first)).status_code == 200
    assert kiosk.inventory(device_public_key=key_b64(first)).status_code == 200  # the same key again: fine
    swapped = kiosk.inventory(device_public_key=key_b64(second), software_version="2.0")
    assert swapped.status_code == 409 and swapped.json()["code"] == "conflict"
    view = admin.call("GET", "/kiosks/k-key")
    assert view["software_version"] == "1.0"  # the refused inventory changed nothing
    assert "device_key_mismatch" in kinds(view["alerts"])
    assert kiosk.beat(head(second, "k-key", 1))["audit_head"] == "bad_signature"
    admin.call("PATCH", "/kiosks/k-key", json={"reset_device_key": True})  # a replaced kiosk PC
    assert kiosk.inventory(device_public_key=key_b64(second)).status_code == 200
    assert kiosk.beat(head(second, "k-key", 1))["audit_head"] == "accepted"


def test_a_device_key_that_is_not_an_ed25519_key_is_refused(fleet_server, admin):
    kiosk = KioskApi(fleet_server, admin.enrol("k-junk"))
    for junk in ("A" * 44, base64.b64encode(b"x" * 31).decode() + "A", "not a key"):
        assert kiosk.inventory(device_public_key=junk).status_code == 422
