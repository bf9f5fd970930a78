"""Apply a signed configuration to this kiosk, atomically, keeping the last-known-good one.

Files under KioskHome.config_dir:
  active.json    the running configuration: the signed envelope as accepted (re-verified whenever it is
                 read: kiosk.trust.stored, kiosk.trust.startup); absent = built-in defaults, version 0
  previous.json  last-known-good: the envelope that ran before the last apply, or {"built_in_defaults": true}
  state.json     the highest accepted version + sha256 of its canonical signed bytes, and whether the
                 agent's health window is still open ("pending")
The order of writes (previous -> active -> state, each temp+fsync+replace+fsync dir) means a crash leaves
either the old or the new configuration whole; a re-apply after a crash between active and state is a no-op
that repairs the state. A rolled-back document keeps its version as the floor, so it is never re-applied
(reason rolled_back): the admins publish a higher version. Every file here is written 0600.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from contracts.canonical import canonical_bytes, loads_strict
from kiosk.config import ConfigError
from kiosk.home import KioskHome
from kiosk.trust.atomic import atomic_unlink, atomic_write_bytes, exclusive_lock, remove_stale_temps
from kiosk.trust.envelope import CONFIG_TYPE, TRUST_ROOT_TYPE, envelope_file_bytes, parse_envelope
from kiosk.trust.errors import ConfigRejected, Deferred, NoPreviousConfig
from kiosk.trust.policy import Floor, evaluate
from kiosk.trust.ports import AuditTrail
from kiosk.trust.root import TrustRoot, load_trust_root, lock_file, rotate_trust_root
from kiosk.trust.stored import DEFAULTS_MARKER, ActiveConfig, config_from_payload, read_active, verify_stored


@dataclass(frozen=True)
class AppliedState:
    version: int = 0  # highest version ever accepted (the rollback floor)
    sha256: str | None = None
    pending: bool = False  # applied, health window not yet confirmed (mark_committed)
    applied_at: str | None = None


@dataclass(frozen=True)
class ApplyResult:
    outcome: Literal["applied", "noop"]
    doc_type: str  # "kiosk-config" or "trust-root"
    version: int
    sha256: str
    previous_version: int
    unknown_keyids: tuple[str, ...] = ()


def previous_file(home: KioskHome) -> Path:
    return home.config_dir / "previous.json"


def state_file(home: KioskHome) -> Path:
    return home.config_dir / "state.json"


def read_state(home: KioskHome) -> AppliedState:
    path = state_file(home)
    if not path.exists():
        return AppliedState()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return AppliedState(int(data["version"]), data["sha256"], bool(data.get("pending")), data.get("applied_at"))
    except (OSError, ValueError, KeyError, TypeError):
        # Written atomically, so this means outside interference; active.json still provides the floor.
        return AppliedState()


def _write_state(home: KioskHome, state: AppliedState) -> None:
    data = {"version": state.version, "sha256": state.sha256, "pending": state.pending, "applied_at": state.applied_at}
    atomic_write_bytes(state_file(home), (json.dumps(data, indent=2) + "\n").encode("utf-8"))


def _floor(state: AppliedState, active: ActiveConfig | None) -> Floor:
    # The active file wins when it is ahead of the state (a crash between writing the two).
    if active is not None and active.version > state.version:
        return Floor(active.version, active.sha256, active.sha256)
    return Floor(state.version, state.sha256, active.sha256 if active else None)


def _record(audit: AuditTrail | None, actor: str, action: str, target: str, detail: Mapping[str, Any]) -> None:
    if audit is not None:
        audit.append(actor, action, target, detail)


def _read_active_or_none(home: KioskHome, root: TrustRoot) -> tuple[ActiveConfig | None, bytes | None]:
    try:
        active = read_active(home, root)
    except ConfigError:
        return None, None  # unreadable or no longer verifying: never kept as last-known-good
    return active, home.config_file.read_bytes() if home.config_file.exists() else None


def _install(home: KioskHome, doc_bytes: bytes, active_bytes: bytes | None, state: AppliedState) -> None:
    previous = active_bytes if active_bytes is not None else canonical_bytes(DEFAULTS_MARKER)
    atomic_write_bytes(previous_file(home), previous)
    atomic_write_bytes(home.config_file, doc_bytes)
    _write_state(home, state)


def _apply_locked(
    home: KioskHome,
    raw: bytes | Mapping[str, Any],
    root: TrustRoot,
    now: datetime | None,
    is_transaction_open: Callable[[], bool] | None,
) -> ApplyResult:
    active, active_bytes = _read_active_or_none(home, root)
    state = read_state(home)
    decision = evaluate(
        raw,
        expected_type=CONFIG_TYPE,
        trusted=root.keys,
        threshold=root.threshold,
        kiosk_id=root.kiosk_id,
        channels=root.channels,
        floor=_floor(state, active),
        now=now,
        expiry_horizon=root.expiry_horizon,
    )
    doc = decision.doc
    previous_version = active.version if active else 0
    unknown = decision.verification.unknown_keyids
    if decision.noop:
        if state.version < doc.version:  # repair after a crash between writing active.json and state.json
            _write_state(home, AppliedState(doc.version, doc.sha256, state.pending, state.applied_at))
        return ApplyResult("noop", CONFIG_TYPE, doc.version, doc.sha256, previous_version, unknown)
    config_from_payload(home, root, doc.schema_version, doc.payload)  # kiosk id, schema and bounds
    if is_transaction_open is not None and is_transaction_open():
        raise Deferred(f"version {doc.version} is valid but a citizen transaction is open; retry later")
    applied_at = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    new_state = AppliedState(doc.version, doc.sha256, pending=True, applied_at=applied_at)
    _install(home, envelope_file_bytes(doc.envelope()), active_bytes, new_state)
    return ApplyResult("applied", CONFIG_TYPE, doc.version, doc.sha256, previous_version, unknown)


def apply_config(
    home: KioskHome,
    raw: bytes | Mapping[str, Any],
    *,
    root: TrustRoot | None = None,
    now: datetime | None = None,
    is_transaction_open: Callable[[], bool] | None = None,
    audit: AuditTrail | None = None,
    actor: str = "agent",
) -> ApplyResult:
    """Verify and apply a "kiosk-config" document (bytes as received, or parsed JSON).

    Raises ConfigRejected (active config untouched), Deferred (valid, but a transaction is open),
    TrustRootMissing, or OSError if the disk fails (the old or the new config stays whole).
    """
    with exclusive_lock(lock_file(home)):
        remove_stale_temps(home.config_dir)
        trust = root or load_trust_root(home)
        try:
            result = _apply_locked(home, raw, trust, now, is_transaction_open)
        except ConfigRejected as rejected:
            _record(audit, actor, "config.reject", "kiosk-config", {"reason": rejected.reason.value})
            raise
    if result.outcome == "applied":
        detail = {"version": result.version, "sha256": result.sha256, "previous_version": result.previous_version}
        _record(audit, actor, "config.apply", "kiosk-config", detail)
    return result


def apply_document(
    home: KioskHome,
    raw: bytes | Mapping[str, Any],
    *,
    now: datetime | None = None,
    is_transaction_open: Callable[[], bool] | None = None,
    audit: AuditTrail | None = None,
    actor: str = "agent",
) -> ApplyResult:
    """Apply a kiosk-config or a trust-root document, whichever `raw` is (dispatch on signed.type)."""
    try:
        doc = parse_envelope(raw)  # structure only; the type-specific path verifies everything
    except ConfigRejected as rejected:
        _record(audit, actor, "config.reject", "unknown", {"reason": rejected.reason.value})
        raise
    if doc.type != TRUST_ROOT_TYPE:
        return apply_config(home, raw, now=now, is_transaction_open=is_transaction_open, audit=audit, actor=actor)
    try:
        old_version = load_trust_root(home).version
        root, changed = rotate_trust_root(home, raw, now, carried=lambda current: _in_force(home, current))
    except ConfigRejected as rejected:
        _record(audit, actor, "trust.reject", "trust-root", {"reason": rejected.reason.value})
        raise
    if changed:
        detail = {
            "version": root.version,
            "sha256": root.sha256,
            "keyids": sorted(root.keys),
            "threshold": root.threshold,
        }
        _record(audit, actor, "trust.rotate", "trust-root", detail)
    outcome: Literal["applied", "noop"] = "applied" if changed else "noop"
    return ApplyResult(outcome, TRUST_ROOT_TYPE, root.version, root.sha256 or "", old_version)


def _in_force(home: KioskHome, current: TrustRoot) -> list[str]:
    """The sha256 of active.json and previous.json where they verify under the current root (a rotation
    carries them, so start-up keeps accepting them under the new keys)."""
    carried = []
    for path in (home.config_file, previous_file(home)):
        try:
            carried.append(verify_stored(home, path.read_bytes(), current)[0].sha256)
        except (OSError, ConfigRejected):
            continue  # absent, the defaults marker, or not verifying: nothing to carry
    return carried


def rollback_to_previous(
    home: KioskHome, *, audit: AuditTrail | None = None, actor: str = "agent", reason: str = ""
) -> ActiveConfig:
    """Restore last-known-good (after a failed health window). The undone version stays the floor.

    Raises NoPreviousConfig when there is nothing to restore (never applied, or already rolled back).
    """
    with exclusive_lock(lock_file(home)):
        path = previous_file(home)
        if not path.exists():
            raise NoPreviousConfig("no last-known-good configuration to restore")
        undone = read_state(home)
        data = path.read_bytes()
        if loads_strict(data) == DEFAULTS_MARKER:
            atomic_unlink(home.config_file)
        else:
            atomic_write_bytes(home.config_file, data)
        atomic_unlink(path)
        _write_state(home, AppliedState(undone.version, undone.sha256, pending=False, applied_at=undone.applied_at))
        restored = read_active(home)
    _record(
        audit,
        actor,
        "config.rollback",
        "kiosk-config",
        {"undone_version": undone.version, "restored_version": restored.version, "reason": reason},
    )
    return restored


def mark_committed(home: KioskHome) -> AppliedState:
    """The health window passed: the applied configuration is final (pending -> False)."""
    with exclusive_lock(lock_file(home)):
        state = read_state(home)
        committed = AppliedState(state.version, state.sha256, pending=False, applied_at=state.applied_at)
        if state.pending:
            _write_state(home, committed)
    return committed
