"""Start-up: the configuration `kiosk run` and the runtime use, re-verified against the trust root.

    verified = load_verified_config(home, audit=audit)   # never raises for what is on disk
    runtime = KioskRuntime(home, verified.config)

active.json is trusted only when it verifies (kiosk.trust.stored). When it does not - edited, unsigned,
signed by keys the kiosk does not trust, addressed elsewhere, outside the schema - it is moved aside to
active.json.rejected and last-known-good (previous.json) takes its place if that verifies, else the
built-in defaults run; the rollback floor stays, so the refused version is never re-applied (the admins
publish a new one). Without a readable trust root nothing on disk can be verified: the built-in defaults
run and the files are left as they are for the technician to look at.
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from contracts.canonical import loads_strict
from kiosk.config import KioskConfig
from kiosk.home import KioskHome
from kiosk.trust.apply import previous_file
from kiosk.trust.atomic import atomic_unlink, atomic_write_bytes, exclusive_lock, fsync_directory
from kiosk.trust.errors import ConfigRejected
from kiosk.trust.ports import AuditTrail
from kiosk.trust.root import TrustRoot, lock_file
from kiosk.trust.secrets import SecretError, load_secrets, with_secrets
from kiosk.trust.stored import DEFAULTS_MARKER, defaults_for, trust_root_or_none, verify_stored

log = logging.getLogger(__name__)
Source = Literal["active", "previous", "defaults"]
REJECTED_SUFFIX = ".rejected"


@dataclass(frozen=True)
class VerifiedConfig:
    config: KioskConfig  # with the root's kiosk id and the secrets filled in
    version: int
    sha256: str | None
    source: Source  # active.json, last-known-good restored in its place, or the built-in defaults
    problem: str | None = None  # why active.json was not used (None when it was, or there was none)


def _secrets(home: KioskHome) -> dict[str, str]:
    try:
        return load_secrets(home)
    except SecretError as error:  # run without: the backend refuses us and the kiosk shows out of service
        log.error("%s; running without secrets", error)
        return {}


def _move_aside(path: Path) -> None:
    """Keep a refused file for the technician (one copy, owner-only), out of every reader's way."""
    with contextlib.suppress(FileNotFoundError):
        os.chmod(path, 0o600)
        os.replace(path, path.with_name(path.name + REJECTED_SUFFIX))
        fsync_directory(path.parent)


def _is_defaults_marker(data: bytes) -> bool:
    try:
        return loads_strict(data) == DEFAULTS_MARKER
    except ValueError:
        return False


def _verify(home: KioskHome, root: TrustRoot) -> VerifiedConfig:
    doc, config = verify_stored(home, home.config_file.read_bytes(), root)  # raises ConfigRejected, OSError
    return VerifiedConfig(config, doc.version, doc.sha256, "active")


def _restore_previous(home: KioskHome, root: TrustRoot) -> bool:
    """Put last-known-good where the refused active.json was, if it verifies. True when it did."""
    path = previous_file(home)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return False
    if _is_defaults_marker(data):
        atomic_unlink(path)
        return False
    try:
        verify_stored(home, data, root)
    except ConfigRejected as rejected:
        log.error("last-known-good configuration refused too (%s)", rejected.reason.value)
        _move_aside(path)
        return False
    atomic_write_bytes(home.config_file, data)
    atomic_unlink(path)
    return True


def _fall_back(home: KioskHome, root: TrustRoot, problem: str) -> VerifiedConfig:
    with exclusive_lock(lock_file(home)):
        with contextlib.suppress(ConfigRejected, OSError):
            return _verify(home, root)  # another process repaired it meanwhile
        _move_aside(home.config_file)
        if _restore_previous(home, root):
            return replace(_verify(home, root), source="previous", problem=problem)
    return VerifiedConfig(defaults_for(root), 0, None, "defaults", problem)


def _unverifiable(problem: str, root: TrustRoot | None = None) -> VerifiedConfig:
    log.error("configuration cannot be verified (%s); running the built-in defaults", problem)
    return VerifiedConfig(defaults_for(root), 0, None, "defaults", problem)


def _load(home: KioskHome, audit: AuditTrail | None) -> VerifiedConfig:
    try:
        root = trust_root_or_none(home)
    except ValueError as error:  # trust.json unreadable: nothing can be verified, nothing is touched
        return _unverifiable(str(error))
    if not home.config_file.exists():
        return VerifiedConfig(defaults_for(root), 0, None, "defaults")
    if root is None:
        return _unverifiable(f"{home.config_file} cannot be verified without a trust root (kiosk config init)")
    try:
        return _verify(home, root)
    except OSError as error:  # unreadable (permissions, I/O): not evidence of tampering, leave it
        return _unverifiable(f"cannot read {home.config_file}: {error.strerror}", root)
    except ConfigRejected as rejected:
        reason, problem = rejected.reason.value, f"{rejected.reason.value}: {rejected.message}"
    result = _fall_back(home, root, problem)
    if result.source != "active":
        log.error("active configuration refused at start-up (%s); running %s", reason, result.source)
        if audit is not None:
            detail = {"reason": reason, "running": result.source, "version": result.version}
            audit.append("kiosk", "config.startup_fallback", "kiosk-config", detail)
    return result


def load_verified_config(home: KioskHome, *, audit: AuditTrail | None = None) -> VerifiedConfig:
    """The configuration to start with (see the module docstring), with the secrets filled in; a fallback
    is logged and, given `audit`, audited."""
    result = _load(home, audit)
    return replace(result, config=with_secrets(result.config, _secrets(home)))
