"""Envelope structure, canonical bytes, and threshold verification by distinct trusted keys."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.trust import ConfigRejected, Reason, canonical_bytes, keyid, parse_envelope, verify_signatures
from kiosk.trust.keys import raw_public_bytes


def trusted(keys, *indexes):
    return {keyid(keys[i].public_key()): keys[i].public_key() for i in indexes}


def test_canonical_bytes_are_sorted_compact_utf8():
    assert canonical_bytes({"b": 1, "a": ["警", 2.5]}) == '{"a":["警",2.5],"b":1}'.encode()


def test_keyid_is_first_16_bytes_of_sha256_of_raw_key(keys):
    raw = raw_public_bytes(keys[0].public_key())
    assert keyid(keys[0].public_key()) == hashlib.sha256(raw).digest()[:16].hex()
    assert keyid(keys[0].public_key()) != keyid(keys[1].public_key())


def test_threshold_of_distinct_trusted_keys_verifies(keys, make_doc):
    doc = parse_envelope(make_doc(signers=(0, 1)))
    result = verify_signatures(doc, trusted(keys, 0, 1), threshold=2)
    assert set(result.valid_keyids) == set(trusted(keys, 0, 1))


def test_same_key_signing_twice_counts_once(keys, make_doc):
    doc = parse_envelope(make_doc(signers=(0, 0, 0)))
    with pytest.raises(ConfigRejected) as caught:
        verify_signatures(doc, trusted(keys, 0, 1), threshold=2)
    assert caught.value.reason is Reason.BELOW_THRESHOLD
    assert "1 of 2" in caught.value.message


def test_unknown_keys_are_ignored_but_reported(keys, make_doc):
    doc = parse_envelope(make_doc(signers=(0, 2, 1)))
    result = verify_signatures(doc, trusted(keys, 0, 1), threshold=2)
    assert result.unknown_keyids == (keyid(keys[2].public_key()),)
    with pytest.raises(ConfigRejected) as caught:
        verify_signatures(parse_envelope(make_doc(signers=(2, 3))), trusted(keys, 0, 1), threshold=1)
    assert caught.value.reason is Reason.UNKNOWN_KEY
    assert len(caught.value.unknown_keyids) == 2


def test_tampered_payload_fails_signature(keys, make_doc):
    data = json.loads(make_doc())
    data["signed"]["payload"]["site_name"] = "forged"
    with pytest.raises(ConfigRejected) as caught:
        verify_signatures(parse_envelope(json.dumps(data).encode()), trusted(keys, 0, 1), threshold=1)
    assert caught.value.reason is Reason.BAD_SIGNATURE


def test_layout_does_not_matter_but_values_do(keys, make_doc):
    data = json.loads(make_doc())
    relaid = json.dumps(data, indent=None, separators=(", ", ": ")).encode()  # other whitespace, same values
    verify_signatures(parse_envelope(relaid), trusted(keys, 0, 1), threshold=2)
    data["signed"]["version"] = 1.0  # equal in Python, different canonical bytes -> not what was signed
    with pytest.raises(ConfigRejected):
        verify_signatures(parse_envelope(json.dumps(data).encode()), trusted(keys, 0, 1), threshold=2)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(extra=1),
        lambda d: d["signed"].update(version=0),
        lambda d: d["signed"].update(version=True),
        lambda d: d["signed"].update(kiosk_ids=[], channels=[]),
        lambda d: d["signed"].update(expires="2030-01-01T00:00:00"),  # no time zone
        lambda d: d["signed"].update(surprise="unsigned meaning"),
        lambda d: d["signed"].pop("payload"),
        lambda d: d.update(signatures=[{"keyid": "x"}]),
    ],
)
def test_structural_problems_are_malformed(make_doc, mutate):
    data = json.loads(make_doc())
    mutate(data)
    with pytest.raises(ConfigRejected) as caught:
        parse_envelope(json.dumps(data).encode())
    assert caught.value.reason is Reason.MALFORMED


def test_duplicate_json_keys_and_nan_are_malformed(make_doc):
    text = make_doc().decode()
    with pytest.raises(ConfigRejected, match="duplicate key"):
        parse_envelope(text.replace('"signed": {', '"signed": {"version": 9, ', 1).encode())
    with pytest.raises(ConfigRejected, match="non-finite"):
        parse_envelope(text.replace('"version": 1', '"version": NaN', 1).encode())


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_a_document_or_a_malformed_rejection(data):
    try:
        parse_envelope(data)
    except ConfigRejected as rejected:
        assert rejected.reason is Reason.MALFORMED
