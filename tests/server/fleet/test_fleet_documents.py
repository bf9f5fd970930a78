"""Issue 22 on the fleet server: uploaded signed documents within bounds (4xx, never 500), and signatures as
part of a document's identity: a copy with more distinct signatures is merged in and served, so a kiosk
that needs a threshold of 2 gets the document once the second signature is uploaded."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.config import default_config
from kiosk.trust import CONFIG_TYPE, make_signed, sign, verify_signatures
from kiosk.trust.envelope import envelope_file_bytes, parse_envelope
from kiosk.trust.keys import keyid
from tests.server.hostile import assert_error_shape


def _signed(version: int = 1, days: int = 7) -> dict:
    payload = default_config().model_dump(mode="json")
    return make_signed(CONFIG_TYPE, payload, version=version, expires=datetime.now(UTC) + timedelta(days=days),
                       channels=["all"])  # fmt: skip


def _raw(envelope: dict) -> bytes:
    return json.dumps(envelope).encode()


def _nested(depth: int) -> dict:
    value: dict = {"leaf": 1}
    for _ in range(depth):
        value = {"n": value}
    return value


@pytest.mark.parametrize("mutate", [
    lambda s: s.update(version=10**30),
    lambda s: s.update(version=2**53 + 1),
    lambda s: s.update(version=True),
    lambda s: s.update(schema_version=-1),
    lambda s: s.update(expires=(datetime.now(UTC) + timedelta(days=4000)).strftime("%Y-%m-%dT%H:%M:%SZ")),
    lambda s: s.update(expires="2030-01-01T00:00:00"),  # no time zone
    lambda s: s.update(type="t" * 33),
    lambda s: s.update(channels=["c" * 65]),
    lambda s: s.update(channels=[f"c{i}" for i in range(1001)]),
    lambda s: s["payload"].update(deep=_nested(40)),
    lambda s: s["payload"].update(big=2**60),
])  # fmt: skip
def test_documents_out_of_bounds_are_refused_with_422(admin, signing_key, mutate):
    signed = _signed()
    mutate(signed)
    answer = admin.http.post(admin.url + "/documents", data=_raw(sign(signed, [signing_key])), timeout=10)
    assert answer.status_code == 422, answer.text
    assert_error_shape(answer)


@pytest.mark.parametrize("raw", [
    b'{"signed": ' + b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b', "signatures": []}',
    b'{"signed": {"version": ' + b"9" * 5000 + b'}, "signatures": []}',
    b'{"signed": {"version": 1e999}, "signatures": []}',
    b'{"signed": {"version": NaN}, "signatures": []}',
    b"[" * 500_000,
])  # fmt: skip
def test_hostile_document_bytes_are_4xx(admin, raw):
    answer = admin.http.post(admin.url + "/documents", data=raw, timeout=10)
    assert 400 <= answer.status_code < 500, answer.text
    assert_error_shape(answer)


def test_a_document_over_one_mebibyte_is_413(admin):
    answer = admin.http.post(admin.url + "/documents", data=b" " * (3 * 1024 * 1024), timeout=30)
    assert answer.status_code == 413


def test_malformed_signatures_are_refused(admin, signing_key):
    envelope = sign(_signed(), [signing_key])
    for signatures in ([{"keyid": "k", "sig": "not base64"}], [{"keyid": "", "sig": envelope["signatures"][0]["sig"]}],
                       [envelope["signatures"][0]] * 33, [{"keyid": "k"}]):  # fmt: skip
        answer = admin.http.post(admin.url + "/documents", data=_raw({**envelope, "signatures": signatures}),
                                 timeout=10)  # fmt: skip
        assert answer.status_code == 422, answer.text


def test_more_signatures_on_a_known_payload_are_merged_and_served(fleet_server, admin):
    """A threshold-2 deployment: the one-signature copy alone never passes; after the second admin's copy
    is uploaded the kiosk's next poll gets a copy that does (a new ETag), under the same identity."""
    first_key, second_key = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    trusted = {keyid(k.public_key()): k.public_key() for k in (first_key, second_key)}
    signed = _signed(version=5)
    kiosk = admin.enrol("k-2of2", channels=["all"])
    one = admin.push(envelope_file_bytes(sign(signed, [first_key])))
    admin.call("POST", "/assignments", 201, json={"document_id": one["id"], "target_kind": "channel", "target": "all"})
    served = requests.get(f"{fleet_server.url}/api/v1/kiosks/k-2of2/desired", auth=kiosk, timeout=10)
    with pytest.raises(Exception, match="1 of 2"):
        verify_signatures(parse_envelope(served.content), trusted, threshold=2)
    both = admin.call("POST", "/documents", 200, data=envelope_file_bytes(sign(signed, [second_key, first_key])))
    assert (both["id"], both["created"], both["signatures"]) == (one["id"], False, 2)
    assert both["signatures_added"] == [keyid(second_key.public_key())] and both["sha256"] == one["sha256"]
    again = requests.get(f"{fleet_server.url}/api/v1/kiosks/k-2of2/desired", auth=kiosk, timeout=10,
                         headers={"If-None-Match": served.headers["ETag"]})  # fmt: skip
    assert again.status_code == 200 and again.headers["ETag"] != served.headers["ETag"]
    document = parse_envelope(again.content)
    assert document.sha256 == one["sha256"]  # the same document as the kiosks report it
    assert sorted(verify_signatures(document, trusted, threshold=2).valid_keyids) == sorted(trusted)
    fewer = admin.call("POST", "/documents", 200, data=envelope_file_bytes(sign(signed, [first_key])))
    assert fewer["signatures"] == 2 and fewer["signatures_added"] == []  # a smaller copy changes nothing


def test_a_conflicting_signature_for_a_held_key_id_keeps_the_one_held(admin, signing_key):
    signed = _signed(version=6)
    envelope = sign(signed, [signing_key])
    admin.push(envelope_file_bytes(envelope))
    forged = {"keyid": envelope["signatures"][0]["keyid"], "sig": "A" * 86 + "=="}
    answer = admin.call("POST", "/documents", 200, data=_raw({"signed": signed, "signatures": [forged]}))
    assert answer["conflicting_keyids"] == [forged["keyid"]] and answer["signatures"] == 1
