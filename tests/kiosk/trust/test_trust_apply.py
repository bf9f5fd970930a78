"""Applying signed configuration: every rejection leaves the running config byte-for-byte as it was."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from trust_testdata import CHANNEL, config_payload

from kiosk.audit import AuditLog
from kiosk.config import load_config
from kiosk.trust import (
    TRUST_ROOT_TYPE,
    ConfigRejected,
    Deferred,
    NoPreviousConfig,
    Reason,
    apply_config,
    apply_document,
    mark_committed,
    read_active,
    read_state,
    rollback_to_previous,
)
from kiosk.trust.apply import previous_file

pytestmark = pytest.mark.usefixtures("root")


def test_first_apply_installs_config_state_and_last_known_good(home, make_doc):
    result = apply_config(home, make_doc(version=1))
    assert (result.outcome, result.version, result.previous_version) == ("applied", 1, 0)
    active = read_active(home)
    assert (active.version, active.sha256) == (1, result.sha256)
    assert active.config.site_name == "site v1"
    assert load_config(home.config_file).site_name == "site v1"  # the composition root reads it as is
    state = read_state(home)
    assert (state.version, state.sha256, state.pending) == (1, result.sha256, True)
    assert json.loads(previous_file(home).read_bytes()) == {"built_in_defaults": True}


def test_second_apply_keeps_the_first_as_previous(home, make_doc):
    apply_config(home, make_doc(version=1))
    first = home.config_file.read_bytes()
    apply_config(home, make_doc(version=2))
    assert previous_file(home).read_bytes() == first
    assert read_active(home).version == 2


def test_addressed_by_channel_is_accepted(home, make_doc):
    result = apply_config(home, make_doc(version=1, kiosk_ids=(), channels=(CHANNEL,)))
    assert result.outcome == "applied"


def test_same_version_same_content_is_a_noop_even_resigned(home, make_doc, snapshot):
    apply_config(home, make_doc(version=1, signers=(0, 1)))
    before = snapshot()
    result = apply_config(home, make_doc(version=1, signers=(1, 0, 2)))  # other signature order, extra key
    assert result.outcome == "noop"
    assert snapshot() == before


def _rejections(make_doc, keys):
    """(name, document bytes, expected reason) with version 2 applied beforehand."""
    tampered = json.loads(make_doc(version=3))
    tampered["signed"]["payload"]["site_name"] = "forged"
    bad_schema = config_payload() | {"session": {"idle_timeout_s": 5}}
    valid = make_doc(version=3)
    return [
        ("bad_signature", json.dumps(tampered).encode(), Reason.BAD_SIGNATURE),
        ("unknown_key", make_doc(version=3, signers=(2, 3)), Reason.UNKNOWN_KEY),
        ("below_threshold", make_doc(version=3, signers=(0,)), Reason.BELOW_THRESHOLD),
        ("duplicate_key_signatures", make_doc(version=3, signers=(0, 0)), Reason.BELOW_THRESHOLD),
        ("no_signatures", make_doc(version=3, signers=()), Reason.BELOW_THRESHOLD),
        ("rollback", make_doc(version=1), Reason.ROLLBACK),
        ("equivocation", make_doc(version=2, payload=config_payload("other")), Reason.EQUIVOCATION),
        ("expired", make_doc(version=3, expires=datetime.now(UTC) - timedelta(minutes=1)), Reason.EXPIRED),
        ("wrong_kiosk", make_doc(version=3, kiosk_ids=("kiosk-8",)), Reason.WRONG_KIOSK),
        ("wrong_channel", make_doc(version=3, kiosk_ids=(), channels=("district-9",)), Reason.WRONG_KIOSK),
        ("schema_invalid", make_doc(version=3, payload=bad_schema), Reason.SCHEMA_INVALID),
        ("unknown_field", make_doc(version=3, payload=config_payload() | {"x": 1}), Reason.SCHEMA_INVALID),
        ("future_schema", make_doc(version=3, schema_version=2), Reason.SCHEMA_INVALID),
        ("wrong_type", make_doc(version=3, doc_type=TRUST_ROOT_TYPE), Reason.MALFORMED),
        ("truncated", valid[: len(valid) // 2], Reason.MALFORMED),
        ("not_json", b"\x89PNG\r\n\x1a\n\x00\x00", Reason.MALFORMED),
        ("empty", b"", Reason.MALFORMED),
    ]


CASES = [
    "bad_signature", "unknown_key", "below_threshold", "duplicate_key_signatures", "no_signatures", "rollback",
    "equivocation", "expired", "wrong_kiosk", "wrong_channel", "schema_invalid", "unknown_field",
    "future_schema", "wrong_type", "truncated", "not_json", "empty",
]  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_rejection_leaves_previous_config_untouched(home, make_doc, keys, snapshot, case):
    apply_config(home, make_doc(version=1))
    apply_config(home, make_doc(version=2))
    _, document, reason = next(c for c in _rejections(make_doc, keys) if c[0] == case)
    before = snapshot()
    with AuditLog.for_home(home) as audit:
        with pytest.raises(ConfigRejected) as caught:
            apply_config(home, document, audit=audit, actor="test")
        entry = audit.entries()[-1]
    assert caught.value.reason is reason
    assert caught.value.message  # readable, not just a code
    assert snapshot() == before
    assert read_active(home).version == 2
    assert (entry.action, entry.detail) == ("config.reject", {"reason": reason.value})
    assert not list(home.config_dir.glob(".*.tmp"))


def test_open_transaction_defers_a_valid_document(home, make_doc, snapshot):
    apply_config(home, make_doc(version=1))
    before = snapshot()
    with pytest.raises(Deferred):
        apply_config(home, make_doc(version=2), is_transaction_open=lambda: True)
    assert snapshot() == before
    with pytest.raises(ConfigRejected):  # an invalid one is still reported at once
        apply_config(home, make_doc(version=2, signers=(2,)), is_transaction_open=lambda: True)
    assert apply_config(home, make_doc(version=2), is_transaction_open=lambda: False).outcome == "applied"


def test_rollback_restores_last_known_good_and_blocks_the_undone_version(home, make_doc):
    apply_config(home, make_doc(version=1))
    first = home.config_file.read_bytes()
    doc2 = make_doc(version=2)
    apply_config(home, doc2)
    restored = rollback_to_previous(home, reason="health window failed")
    assert restored.version == 1
    assert home.config_file.read_bytes() == first
    with pytest.raises(ConfigRejected) as caught:
        apply_config(home, doc2)
    assert caught.value.reason is Reason.ROLLED_BACK
    with pytest.raises(NoPreviousConfig):
        rollback_to_previous(home)
    assert apply_config(home, make_doc(version=3)).outcome == "applied"


def test_rollback_of_the_first_apply_returns_to_built_in_defaults(home, make_doc):
    apply_config(home, make_doc(version=1))
    restored = rollback_to_previous(home)
    assert (restored.version, restored.sha256) == (0, None)
    assert not home.config_file.exists()


def test_commit_closes_the_health_window(home, make_doc):
    apply_config(home, make_doc(version=1))
    assert read_state(home).pending
    assert not mark_committed(home).pending
    assert not read_state(home).pending


def test_crash_between_active_and_state_is_repaired_by_reapplying(home, make_doc):
    apply_config(home, make_doc(version=1))
    doc2 = make_doc(version=2)
    state_before = (home.config_dir / "state.json").read_bytes()
    apply_config(home, doc2)
    (home.config_dir / "state.json").write_bytes(state_before)  # as if the process died before the state write
    assert apply_config(home, doc2).outcome == "noop"
    assert read_state(home).version == 2
    with pytest.raises(ConfigRejected) as caught:  # the active file counts as the floor meanwhile
        apply_config(home, make_doc(version=2, payload=config_payload("other")))
    assert caught.value.reason is Reason.EQUIVOCATION


def test_apply_document_dispatches_configs_and_audits(home, make_doc):
    with AuditLog.for_home(home) as audit:
        result = apply_document(home, make_doc(version=1), audit=audit, actor="agent")
        assert result.doc_type == "kiosk-config"
        entry = audit.entries()[-1]
        assert (entry.actor, entry.action, entry.detail["version"]) == ("agent", "config.apply", 1)
        assert audit.verify().ok


def test_unreadable_state_falls_back_to_the_active_version_as_floor(home, make_doc):
    apply_config(home, make_doc(version=2))
    (home.config_dir / "state.json").write_bytes(b"\x00garbage")
    with pytest.raises(ConfigRejected) as caught:
        apply_config(home, make_doc(version=1))
    assert caught.value.reason is Reason.ROLLBACK
    assert apply_config(home, make_doc(version=3)).outcome == "applied"
    assert read_state(home).version == 3
