"""`kiosk config init|apply|show|set-secret` (signed configuration) and `kiosk diag audit-verify`.

Exit codes: 0 applied / no change / intact, 1 the data home cannot be read or written, 2 usage (bad key,
unreadable file), 5 rejected or tampered (the reason on stderr; the running configuration is untouched).
Secrets are read from stdin and never printed: `show` gives their fingerprints.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from kiosk.audit import AuditHead, AuditLog, audit_path, provision_device_key
from kiosk.cli import exitcodes
from kiosk.config import ConfigError
from kiosk.home import KioskHome
from kiosk.trust import (
    SECRET_NAMES,
    ConfigRejected,
    Deferred,
    SecretError,
    TrustError,
    TrustRootExists,
    TrustRootMissing,
    apply_document,
    fingerprint,
    load_secrets,
    load_trust_root,
    parse_public_key,
    provision_trust_root,
    read_active,
    read_state,
    set_secret,
)
from kiosk.trust.audit_anchor import AnchorTampered, HeadAnchor
from kiosk.trust.device_key import load_device_key
from kiosk.trust.root import DEFAULT_HORIZON_DAYS


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def _home(args: argparse.Namespace) -> KioskHome:
    return KioskHome.resolve(args.home)


def cmd_init(args: argparse.Namespace) -> int:
    try:
        keys = [parse_public_key(value) for value in args.trust]
    except (OSError, ValueError) as error:
        print(f"kiosk config init: bad --trust key: {error}", file=sys.stderr)
        return exitcodes.USAGE
    home = _home(args).ensure()
    try:
        root = provision_trust_root(home, args.kiosk_id, keys, args.threshold, args.channel, args.max_expiry_days)
    except ValueError as error:
        print(f"kiosk config init: {error}", file=sys.stderr)
        return exitcodes.USAGE
    except TrustRootExists as error:
        print(f"kiosk config init: refused: {error}", file=sys.stderr)
        return exitcodes.REJECTED
    device = provision_device_key(home)  # signs the audit head from the first entry on
    with AuditLog.for_home(home) as audit:
        detail = {"keyids": sorted(root.keys), "threshold": root.threshold, "channels": list(root.channels),
                  "expiry_horizon_days": root.expiry_horizon_days}  # fmt: skip
        audit.append(_actor(), "trust.provision", root.kiosk_id, detail)
    print(f"trust root provisioned for {root.kiosk_id}: {len(root.keys)} key(s), threshold {root.threshold}")
    print(f"device key {device.key_id} (signs the audit head)")
    return exitcodes.OK


def cmd_apply(args: argparse.Namespace) -> int:
    try:
        raw = Path(args.file).read_bytes()
    except OSError as error:
        print(f"kiosk config apply: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return exitcodes.USAGE
    home = _home(args).ensure()
    try:
        with AuditLog.for_home(home) as audit:
            result = apply_document(home, raw, audit=audit, actor=_actor())
    except ConfigRejected as rejected:
        print(f"kiosk config apply: rejected ({rejected.reason.value}): {rejected.message}", file=sys.stderr)
        return exitcodes.REJECTED
    except (TrustRootMissing, Deferred) as error:
        print(f"kiosk config apply: rejected: {error}", file=sys.stderr)
        return exitcodes.REJECTED
    except (TrustError, OSError) as error:  # an unreadable trust root, a disk that fails
        print(f"kiosk config apply: failed: {type(error).__name__}: {error}", file=sys.stderr)
        return exitcodes.FAILURE
    if result.outcome == "noop":
        print(f"no change: {result.doc_type} version {result.version} is already in force")
    else:
        print(f"applied {result.doc_type} version {result.version} (sha256 {result.sha256})")
    for unknown in result.unknown_keyids:
        print(f"note: ignored signature by unknown key {unknown}", file=sys.stderr)
    return exitcodes.OK


def _masked(config: dict[str, Any], secrets: dict[str, str]) -> dict[str, Any]:
    """The configuration with every secret replaced by its fingerprint."""
    backend = dict(config["backend"])
    backend["kiosk_key"] = fingerprint(secrets.get("backend.kiosk_key") or backend["kiosk_key"])
    return config | {"backend": backend}


def _show_data(home: KioskHome) -> dict[str, Any]:
    active, state = read_active(home), read_state(home)
    try:
        secrets = load_secrets(home)
    except SecretError:
        secrets = {}
    device = load_device_key(home)
    data: dict[str, Any] = {
        "version": active.version,
        "sha256": active.sha256,
        "highest_accepted_version": state.version,
        "pending": state.pending,
        "config": _masked(active.config.model_dump(mode="json"), secrets),
        "secrets": {name: fingerprint(secrets.get(name, "")) for name in SECRET_NAMES},
        "device_key_id": device.key_id if device else None,
    }
    try:
        root = load_trust_root(home)
        data["trust"] = {k: v for k, v in root.to_json().items() if k != "format"} | {"keyids": sorted(root.keys)}
    except TrustError:
        data["trust"] = None
    return data


def cmd_show(args: argparse.Namespace) -> int:
    home = _home(args)
    try:
        data = _show_data(home)
    except (ConfigError, ValueError) as error:  # refused or unreadable: said, never shown
        print(f"kiosk config show: {error}", file=sys.stderr)
        return exitcodes.FAILURE
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return exitcodes.OK
    print(f"version: {data['version']}")
    print(f"sha256: {data['sha256'] or '-'}")
    trust = data["trust"]
    if trust:
        print(f"kiosk id: {trust['kiosk_id']}; channels: {', '.join(trust['channels']) or '-'}")
        print(f"trusted keys: {', '.join(trust['keyids'])} (threshold {trust['threshold']})")
    else:
        print("trust root: not provisioned (kiosk config init)")
    print(f"device key: {data['device_key_id'] or '- (made at kiosk config init or enrolment)'}")
    print("secrets: " + ", ".join(f"{name} {value}" for name, value in data["secrets"].items()))
    print(json.dumps(data["config"], indent=2, ensure_ascii=False))
    return exitcodes.OK


def cmd_set_secret(args: argparse.Namespace) -> int:
    value = sys.stdin.readline().rstrip("\r\n")
    home = _home(args).ensure()
    try:
        shown = set_secret(home, args.name, value)
    except SecretError as error:
        print(f"kiosk config set-secret: {error}", file=sys.stderr)
        return exitcodes.USAGE
    with AuditLog.for_home(home) as audit:
        audit.append(_actor(), "config.set_secret", args.name, {"digest": shown})
    print(f"{args.name} {'set' if value else 'removed'} ({shown})")
    return exitcodes.OK


def _parse_head(text: str) -> AuditHead:
    seq, _, digest = text.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise argparse.ArgumentTypeError("expected SEQ:SHA256HEX")
    return AuditHead(int(seq), digest.lower())


def _tampered(seq: int | None, problem: str) -> int:
    print(f"audit log TAMPERED at seq {seq}: {problem}", file=sys.stderr)
    return exitcodes.REJECTED


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """The chain, then the heads it must hold: the one signed by the device key, the fleet's, --head."""
    home = _home(args)
    anchor = HeadAnchor(home)
    if not audit_path(home).exists():  # checked without creating it
        try:
            anchored = [seq for _what, seq, _hash in anchor.expected_heads() if seq > 0]
        except AnchorTampered as tampered:
            return _tampered(1, str(tampered))
        if anchored or (args.head is not None and args.head.seq > 0):
            return _tampered(1, "the audit log is gone although its head was anchored")
        print("audit log: empty (no entries yet)")
        return exitcodes.OK
    with AuditLog.for_home(home) as audit:
        result = audit.verify(expected_head=args.head)
        head = audit.head()
    if not result.ok:
        return _tampered(result.first_bad_seq, result.problem)
    anchors = ", ".join(f"{what} {seq}" for what, seq, _hash in anchor.expected_heads()) or "no device key yet"
    print(f"audit log intact: {result.entries} entries, head {head.seq}:{head.hash} (holds {anchors})")
    return exitcodes.OK


def register(groups: dict[str, argparse._SubParsersAction], top: argparse._SubParsersAction) -> None:
    config = groups["config"]
    init = config.add_parser("init", help="provision the trust root (trusted keys, threshold, kiosk id)")
    init.add_argument("--kiosk-id", required=True)
    init.add_argument("--trust", action="append", required=True, help="public key: .pub/PEM file or base64")
    init.add_argument("--threshold", type=int, default=1, help="distinct signatures required (default 1)")
    init.add_argument("--channel", action="append", default=[], help="a channel this kiosk belongs to")
    init.add_argument("--max-expiry-days", type=int, default=DEFAULT_HORIZON_DAYS,
                      help=f"refuse documents expiring further ahead (default {DEFAULT_HORIZON_DAYS})")  # fmt: skip
    init.set_defaults(handler=cmd_init)
    apply = config.add_parser("apply", help="verify and apply a signed config or trust-root document")
    apply.add_argument("file")
    apply.set_defaults(handler=cmd_apply)
    show = config.add_parser("show", help="the active configuration, its version and sha256")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_show)
    secret = config.add_parser("set-secret", help="store a secret (read from stdin) in the 0600 secrets file")
    secret.add_argument("name", choices=SECRET_NAMES)
    secret.set_defaults(handler=cmd_set_secret)
    verify = groups["diag"].add_parser("audit-verify", help="check the audit log's hash chain")
    verify.add_argument("--head", type=_parse_head, help="a signed head SEQ:HASH the log must contain")
    verify.set_defaults(handler=cmd_audit_verify)
