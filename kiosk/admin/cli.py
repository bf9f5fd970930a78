"""`kiosk-admin keygen|sign|rotate|verify`: make and check signed documents for kiosks.

  kiosk-admin keygen --out DIR [--name admin]          -> DIR/admin.key (PEM, 0600), DIR/admin.pub (base64)
  kiosk-admin sign --key K [--key K2] --in payload.json --version N --for KIOSK | --for channel:NAME
                   --expires 2026-01-31 | 2026-01-31T12:00:00Z | +30d --out FILE
  kiosk-admin rotate --key OLD... --trust NEWPUB... --threshold N --version N --for ... --expires ... --out FILE
  kiosk-admin verify FILE --trust PUB... [--threshold N] [--kiosk-id ID] [--channel C]
  kiosk-admin release make|upload ...                  software releases (kiosk/admin/release_cmds.py)
Exit codes as `kiosk`: 0 ok, 2 usage (bad key/file/argument), 5 rejected (invalid payload or document).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from contracts.canonical import loads_strict
from kiosk.admin import fleet_cmds, release_cmds
from kiosk.cli import exitcodes
from kiosk.config import SCHEMA_VERSION, ConfigError, parse_config
from kiosk.trust.atomic import atomic_write_bytes
from kiosk.trust.envelope import (
    CONFIG_TYPE,
    TRUST_ROOT_TYPE,
    envelope_file_bytes,
    make_signed,
    parse_envelope,
    sign,
    verify_signatures,
)
from kiosk.trust.errors import ConfigRejected, Reason
from kiosk.trust.keys import keyid, load_private_key, parse_public_key, public_key_b64, write_key_pair
from kiosk.trust.root import ROOT_SCHEMA_VERSION
from kiosk.update.release import RELEASE_TYPE
from kiosk.update.release import parse_payload as parse_release_payload


class UsageProblem(Exception):
    """A bad argument or unreadable input: exit 2 with the message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        self.print_usage(sys.stderr)
        self.exit(exitcodes.USAGE, f"{self.prog}: error: {message}\n")


def parse_expires_arg(text: str, now: datetime | None = None) -> datetime:
    """'+30d' / '+12h', a date (midnight UTC) or an RFC 3339 time (naive = UTC)."""
    relative = re.fullmatch(r"\+(\d+)([dh])", text.strip())
    if relative:
        amount, unit = int(relative[1]), relative[2]
        delta = timedelta(days=amount) if unit == "d" else timedelta(hours=amount)
        return (now or datetime.now(UTC)) + delta
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise UsageProblem(f"--expires {text!r}: use +30d, YYYY-MM-DD or an RFC 3339 time") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def split_targets(targets: Sequence[str]) -> tuple[list[str], list[str]]:
    """--for values: "channel:NAME" is a channel, anything else a kiosk id."""
    kiosk_ids = [t for t in targets if not t.startswith("channel:")]
    channels = [t.removeprefix("channel:") for t in targets if t.startswith("channel:")]
    if any(not name for name in [*kiosk_ids, *channels]):
        raise UsageProblem("--for needs a kiosk id or channel:NAME")
    return kiosk_ids, channels


def _load_keys(paths: Sequence[str]) -> list[Any]:
    try:
        return [load_private_key(Path(path)) for path in paths]
    except (OSError, ValueError) as error:
        raise UsageProblem(f"--key: {error}") from error


def _load_public_keys(values: Sequence[str]) -> list[Any]:
    try:
        return [parse_public_key(value) for value in values]
    except (OSError, ValueError) as error:
        raise UsageProblem(f"--trust: {error}") from error


def _write_document(args: argparse.Namespace, doc_type: str, payload: dict[str, Any], schema: int) -> int:
    kiosk_ids, channels = split_targets(args.targets)
    expires = parse_expires_arg(args.expires)
    if args.version < 1:
        raise UsageProblem("--version must be at least 1")
    if expires <= datetime.now(UTC):
        raise UsageProblem(f"--expires {args.expires} lies in the past")
    signed = make_signed(
        doc_type,
        payload,
        version=args.version,
        expires=expires,
        kiosk_ids=kiosk_ids,
        channels=channels,
        schema_version=schema,
    )
    envelope = sign(signed, _load_keys(args.key))
    atomic_write_bytes(Path(args.out), envelope_file_bytes(envelope))
    print(f"wrote {doc_type} version {args.version} signed by {len(args.key)} key(s) to {args.out}")
    return exitcodes.OK


def cmd_keygen(args: argparse.Namespace) -> int:
    try:
        private_path, public_path = write_key_pair(Path(args.out), args.name)
    except FileExistsError as error:
        raise UsageProblem(str(error)) from error
    public_key = parse_public_key(str(public_path))
    print(f"private key: {private_path} (mode 0600, keep it off the kiosks)")
    print(f"public key:  {public_path}  keyid {keyid(public_key)}")
    return exitcodes.OK


def cmd_sign(args: argparse.Namespace) -> int:
    try:
        payload = loads_strict(Path(args.input).read_bytes())
    except (OSError, ValueError) as error:
        raise UsageProblem(f"--in {args.input}: {error}") from error
    if not isinstance(payload, dict):
        raise UsageProblem("--in must hold a JSON object")
    if args.type == CONFIG_TYPE:
        try:
            parse_config(payload)  # refuse to sign what every kiosk would reject
        except ConfigError as error:
            print(f"kiosk-admin sign: payload rejected: {error}", file=sys.stderr)
            return exitcodes.REJECTED
    return _write_document(args, args.type, payload, SCHEMA_VERSION if args.type == CONFIG_TYPE else 1)


def cmd_rotate(args: argparse.Namespace) -> int:
    new_keys = _load_public_keys(args.trust)
    distinct = {keyid(key): key for key in new_keys}
    if not 1 <= args.threshold <= len(distinct):
        raise UsageProblem(f"--threshold must be between 1 and {len(distinct)} (distinct new keys)")
    payload: dict[str, Any] = {
        "keys": sorted(public_key_b64(k) for k in distinct.values()),
        "threshold": args.threshold,
    }
    if args.channel:
        payload["channels"] = sorted(set(args.channel))
    return _write_document(args, TRUST_ROOT_TYPE, payload, ROOT_SCHEMA_VERSION)


def _verify_document(args: argparse.Namespace) -> list[str]:
    """Lines describing a valid document; raise ConfigRejected otherwise (versions are the kiosk's business)."""
    try:
        raw = Path(args.file).read_bytes()
    except OSError as error:
        raise UsageProblem(f"cannot read {args.file}: {error.strerror}") from error
    trusted = {keyid(key): key for key in _load_public_keys(args.trust)}
    doc = parse_envelope(raw)
    result = verify_signatures(doc, trusted, args.threshold)
    if doc.expires <= datetime.now(UTC):
        raise ConfigRejected(Reason.EXPIRED, f"expired at {doc.signed['expires']}")
    if (args.kiosk_id or args.channel) and not doc.is_addressed_to(args.kiosk_id or "", args.channel):
        raise ConfigRejected(Reason.WRONG_KIOSK, "not addressed to the given kiosk id or channels")
    if doc.type == CONFIG_TYPE:
        try:
            parse_config(doc.payload)
        except ConfigError as error:
            raise ConfigRejected(Reason.SCHEMA_INVALID, str(error)) from error
    elif doc.type == RELEASE_TYPE:
        parse_release_payload(doc.payload)
    return [
        f"type {doc.type}, version {doc.version}, expires {doc.signed['expires']}, sha256 {doc.sha256}",
        f"for kiosks {', '.join(doc.kiosk_ids) or '-'}; channels {', '.join(doc.channels) or '-'}",
        f"valid signatures: {', '.join(result.valid_keyids)} (threshold {args.threshold})",
        *(f"unknown key (ignored): {k}" for k in result.unknown_keyids),
        *(f"bad signature (ignored): {k}" for k in result.bad_keyids),
    ]


def cmd_verify(args: argparse.Namespace) -> int:
    try:
        lines = _verify_document(args)
    except ConfigRejected as rejected:
        print(f"kiosk-admin verify: rejected ({rejected.reason.value}): {rejected.message}", file=sys.stderr)
        return exitcodes.REJECTED
    print("valid")
    for line in lines:
        print(f"  {line}")
    return exitcodes.OK


def _add_document_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--key", action="append", required=True, help="private key PEM (repeat for more)")
    parser.add_argument("--version", type=int, required=True, help="monotonic version (>= 1)")
    parser.add_argument("--for", dest="targets", action="append", required=True, help="KIOSK_ID or channel:NAME")
    parser.add_argument("--expires", required=True, help="+30d, YYYY-MM-DD (UTC) or RFC 3339")
    parser.add_argument("--out", required=True, help="signed document to write")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kiosk-admin", description="Sign and verify configuration for police kiosks")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    keygen = commands.add_parser("keygen", help="write an Ed25519 key pair")
    keygen.add_argument("--out", required=True, help="directory for NAME.key and NAME.pub")
    keygen.add_argument("--name", default="admin")
    keygen.set_defaults(handler=cmd_keygen)
    sign_parser = commands.add_parser("sign", help="sign a payload into a document")
    sign_parser.add_argument("--in", dest="input", required=True, help="payload JSON (a KioskConfig)")
    sign_parser.add_argument("--type", default=CONFIG_TYPE, choices=[CONFIG_TYPE, TRUST_ROOT_TYPE])
    _add_document_args(sign_parser)
    sign_parser.set_defaults(handler=cmd_sign)
    rotate = commands.add_parser("rotate", help="a trust-root document (sign with the CURRENT keys)")
    rotate.add_argument("--trust", action="append", required=True, help="new public key (.pub/PEM/base64)")
    rotate.add_argument("--threshold", type=int, required=True)
    rotate.add_argument("--channel", action="append", default=[], help="new channel list (default: unchanged)")
    _add_document_args(rotate)
    rotate.set_defaults(handler=cmd_rotate)
    verify = commands.add_parser("verify", help="check a signed document against public keys")
    verify.add_argument("file")
    verify.add_argument("--trust", action="append", required=True, help="public key (.pub/PEM/base64)")
    verify.add_argument("--threshold", type=int, default=1)
    verify.add_argument("--kiosk-id", help="also check it is addressed to this kiosk ...")
    verify.add_argument("--channel", action="append", default=[], help="... or to one of these channels")
    verify.set_defaults(handler=cmd_verify)
    fleet_cmds.register(commands)
    release_cmds.register(commands, _add_document_args, _write_document)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return exitcodes.USAGE
    try:
        return int(handler(args))
    except UsageProblem as problem:
        print(f"kiosk-admin {args.command}: {problem}", file=sys.stderr)
        return exitcodes.USAGE
    except (OSError, ValueError) as error:  # one clear line, never a traceback
        print(f"kiosk-admin {args.command}: {type(error).__name__}: {error}", file=sys.stderr)
        return exitcodes.FAILURE


if __name__ == "__main__":
    sys.exit(main())
