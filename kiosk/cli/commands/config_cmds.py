"""`kiosk config init|apply|show` (signed configuration) and `kiosk diag audit-verify`.

Exit codes: 0 applied / no change / intact, 2 usage (bad key, unreadable file), 5 rejected or tampered
(the reason on stderr; the running configuration is untouched).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from kiosk.audit import AuditHead, AuditLog, audit_path
from kiosk.cli import exitcodes
from kiosk.config import ConfigError
from kiosk.home import KioskHome
from kiosk.trust import (
    ConfigRejected,
    Deferred,
    TrustError,
    TrustRootExists,
    TrustRootMissing,
    apply_document,
    load_trust_root,
    parse_public_key,
    provision_trust_root,
    read_active,
    read_state,
)


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
        root = provision_trust_root(home, args.kiosk_id, keys, args.threshold, args.channel)
    except ValueError as error:
        print(f"kiosk config init: {error}", file=sys.stderr)
        return exitcodes.USAGE
    except TrustRootExists as error:
        print(f"kiosk config init: refused: {error}", file=sys.stderr)
        return exitcodes.REJECTED
    with AuditLog.for_home(home) as audit:
        detail = {"keyids": sorted(root.keys), "threshold": root.threshold, "channels": list(root.channels)}
        audit.append(_actor(), "trust.provision", root.kiosk_id, detail)
    print(f"trust root provisioned for {root.kiosk_id}: {len(root.keys)} key(s), threshold {root.threshold}")
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
    if result.outcome == "noop":
        print(f"no change: {result.doc_type} version {result.version} is already in force")
    else:
        print(f"applied {result.doc_type} version {result.version} (sha256 {result.sha256})")
    for unknown in result.unknown_keyids:
        print(f"note: ignored signature by unknown key {unknown}", file=sys.stderr)
    return exitcodes.OK


def _show_data(home: KioskHome) -> dict[str, Any]:
    active, state = read_active(home), read_state(home)
    data: dict[str, Any] = {
        "version": active.version,
        "sha256": active.sha256,
        "highest_accepted_version": state.version,
        "pending": state.pending,
        "config": active.config.model_dump(mode="json"),
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
    except ConfigError as error:
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
    print(json.dumps(data["config"], indent=2, ensure_ascii=False))
    return exitcodes.OK


def _parse_head(text: str) -> AuditHead:
    seq, _, digest = text.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise argparse.ArgumentTypeError("expected SEQ:SHA256HEX")
    return AuditHead(int(seq), digest.lower())


def cmd_audit_verify(args: argparse.Namespace) -> int:
    home = _home(args)
    if not audit_path(home).exists():
        print("audit log: empty (no entries yet)")
        return exitcodes.OK
    with AuditLog.for_home(home) as audit:
        result = audit.verify(expected_head=args.head)
        head = audit.head()
    if not result.ok:
        print(f"audit log TAMPERED at seq {result.first_bad_seq}: {result.problem}", file=sys.stderr)
        return exitcodes.REJECTED
    print(f"audit log intact: {result.entries} entries, head {head.seq}:{head.hash}")
    return exitcodes.OK


def register(groups: dict[str, argparse._SubParsersAction], top: argparse._SubParsersAction) -> None:
    config = groups["config"]
    init = config.add_parser("init", help="provision the trust root (trusted keys, threshold, kiosk id)")
    init.add_argument("--kiosk-id", required=True)
    init.add_argument("--trust", action="append", required=True, help="public key: .pub/PEM file or base64")
    init.add_argument("--threshold", type=int, default=1, help="distinct signatures required (default 1)")
    init.add_argument("--channel", action="append", default=[], help="a channel this kiosk belongs to")
    init.set_defaults(handler=cmd_init)
    apply = config.add_parser("apply", help="verify and apply a signed config or trust-root document")
    apply.add_argument("file")
    apply.set_defaults(handler=cmd_apply)
    show = config.add_parser("show", help="the active configuration, its version and sha256")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_show)
    verify = groups["diag"].add_parser("audit-verify", help="check the audit log's hash chain")
    verify.add_argument("--head", type=_parse_head, help="a signed head SEQ:HASH the log must contain")
    verify.set_defaults(handler=cmd_audit_verify)
