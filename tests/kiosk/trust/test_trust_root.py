"""Provisioning the trust root once, and rotating it only with a threshold of the current keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from trust_testdata import KIOSK_ID

from kiosk.trust import (
    TRUST_ROOT_TYPE,
    ConfigRejected,
    Reason,
    TrustRoot,
    TrustRootExists,
    TrustRootMissing,
    apply_config,
    apply_document,
    keyid,
    load_trust_root,
    provision_trust_root,
    public_key_b64,
    rotate_trust_root,
)


def rotation(make_doc, keys, new=(2, 3), threshold=1, version=1, signers=(0, 1), **extra):
    payload = {"keys": [public_key_b64(keys[i].public_key()) for i in new], "threshold": threshold, **extra}
    return make_doc(version=version, signers=signers, payload=payload, doc_type=TRUST_ROOT_TYPE)


def test_provisioning_is_refused_once_a_root_exists(home, root, keys, snapshot):
    before = snapshot()
    with pytest.raises(TrustRootExists):
        provision_trust_root(home, "other", [keys[2].public_key()], 1)
    assert snapshot() == before
    loaded = load_trust_root(home)
    assert (loaded.kiosk_id, loaded.threshold, set(loaded.keys)) == (KIOSK_ID, 2, set(root.keys))


def test_missing_root_and_impossible_thresholds(home, keys):
    with pytest.raises(TrustRootMissing):
        load_trust_root(home)
    with pytest.raises(ValueError):
        TrustRoot.create("k", [keys[0].public_key(), keys[0].public_key()], threshold=2)  # one distinct key
    with pytest.raises(ValueError):
        TrustRoot.create("k", [keys[0].public_key()], threshold=0)


@pytest.mark.usefixtures("root")
def test_rotation_signed_by_old_keys_replaces_the_key_set(home, keys, make_doc):
    apply_config(home, make_doc(version=1))
    rotate = rotation(make_doc, keys, new=(2, 3), threshold=1)  # one document: "expires" has second precision
    result = apply_document(home, rotate)
    assert (result.doc_type, result.outcome, result.version) == (TRUST_ROOT_TYPE, "applied", 1)
    new_root = load_trust_root(home)
    assert set(new_root.keys) == {keyid(keys[2].public_key()), keyid(keys[3].public_key())}
    assert new_root.kiosk_id == KIOSK_ID
    with pytest.raises(ConfigRejected) as caught:  # the old keys no longer count
        apply_config(home, make_doc(version=2, signers=(0, 1)))
    assert caught.value.reason is Reason.UNKNOWN_KEY
    assert apply_config(home, make_doc(version=2, signers=(3,))).outcome == "applied"
    _, changed = rotate_trust_root(home, rotate)
    assert not changed  # the same document again is a no-op


@pytest.mark.usefixtures("root")
@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (lambda m, k: rotation(m, k, signers=(2, 3)), Reason.UNKNOWN_KEY),  # the new keys vouch for themselves
        (lambda m, k: rotation(m, k, signers=(0,)), Reason.BELOW_THRESHOLD),
        (lambda m, k: rotation(m, k, signers=(0, 0)), Reason.BELOW_THRESHOLD),
        (lambda m, k: rotation(m, k, threshold=3), Reason.SCHEMA_INVALID),  # 3 of 2 keys
        (lambda m, k: rotation(m, k, new=()), Reason.SCHEMA_INVALID),
        (lambda m, k: rotation(m, k, surprise=1), Reason.SCHEMA_INVALID),
        (
            lambda m, k: m(
                payload={"keys": [], "threshold": 1},
                doc_type=TRUST_ROOT_TYPE,
                expires=datetime.now(UTC) - timedelta(seconds=1),
            ),
            Reason.EXPIRED,
        ),
        (
            lambda m, k: m(payload={"keys": [], "threshold": 1}, doc_type=TRUST_ROOT_TYPE, kiosk_ids=("x",)),
            Reason.WRONG_KIOSK,
        ),
    ],
)
def test_bad_rotations_leave_the_root_untouched(home, keys, make_doc, snapshot, build, reason):
    before = snapshot()
    with pytest.raises(ConfigRejected) as caught:
        rotate_trust_root(home, build(make_doc, keys))
    assert caught.value.reason is reason
    assert snapshot() == before


@pytest.mark.usefixtures("root")
def test_rotation_versions_are_monotonic(home, keys, make_doc, snapshot):
    rotate_trust_root(home, rotation(make_doc, keys, new=(0, 1), threshold=2, version=2))
    before = snapshot()
    with pytest.raises(ConfigRejected) as caught:
        rotate_trust_root(home, rotation(make_doc, keys, new=(0, 1), threshold=2, version=1))
    assert caught.value.reason is Reason.ROLLBACK
    with pytest.raises(ConfigRejected) as caught:
        rotate_trust_root(home, rotation(make_doc, keys, new=(0, 1), threshold=1, version=2))
    assert caught.value.reason is Reason.EQUIVOCATION
    assert snapshot() == before


@pytest.mark.usefixtures("root")
def test_rotation_can_move_the_kiosk_to_other_channels(home, keys, make_doc):
    rotate_trust_root(home, rotation(make_doc, keys, new=(0, 1), threshold=2, channels=["district-9"]))
    assert load_trust_root(home).channels == ("district-9",)
    doc = make_doc(version=1, kiosk_ids=(), channels=("district-9",))
    assert apply_config(home, doc).outcome == "applied"
