"""`kiosk diag verify-document`: check a printed no-criminal-record certificate as a verifier would.

    kiosk diag verify-document --qr TEXT [--keys FILE | --backend URL] [--on DATE] [--json]
    kiosk diag verify-document --number N --code C [--backend URL] [--json]

--qr checks offline: the QR's signed payload against the issuer's published keys, from a key file (the
JSON served at /.well-known/jwks.json) or fetched from --backend; revocation is known online only.
--number/--code asks the backend's public verify endpoint, as somebody typing them from the paper would
(each check counts towards the certificate's verification limit). --backend defaults to the configured one.
Exit codes: 0 valid, 5 not valid (the reason is printed), 2 usage, 1 the backend or key file cannot be read.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from kiosk.cli import exitcodes

CHINA_TZ = dt.timezone(dt.timedelta(hours=8))
TIMEOUT_S = 10.0


class Unreachable(RuntimeError):
    """The backend or the key file cannot be read (exit 1)."""


def register(groups: dict[str, argparse._SubParsersAction], top: argparse._SubParsersAction) -> None:
    parser = groups["diag"].add_parser("verify-document", help="verify a printed certificate (QR, or number + code)")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--qr", help="the text of the certificate's QR code (its URL, or the bare payload)")
    what.add_argument("--number", help="证明编号 as printed (with --code)")
    parser.add_argument("--code", help="验证码 as printed (with --number)")
    parser.add_argument("--keys", type=Path, help="with --qr: the issuer's key set (JSON) instead of fetching it")
    parser.add_argument("--backend", help="backend base URL (default: the configured backend)")
    parser.add_argument("--on", type=dt.date.fromisoformat, help="with --qr: check validity on this date (YYYY-MM-DD)")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of text")
    parser.set_defaults(handler=verify_document)


def _backend_url(args: argparse.Namespace) -> str | None:
    if args.backend:
        return str(args.backend).rstrip("/")
    from kiosk.config import ConfigError, load_config
    from kiosk.home import KioskHome

    try:
        return load_config(KioskHome.resolve(args.home).config_file).backend.url.rstrip("/")
    except (ConfigError, OSError):
        return None


def _get_json(url: str, params: dict[str, str] | None = None) -> tuple[int, Any]:
    import requests

    try:
        response = requests.get(url, params=params, timeout=TIMEOUT_S, headers={"Accept": "application/json"})
        return response.status_code, response.json()
    except (requests.RequestException, ValueError) as error:
        raise Unreachable(f"cannot read {url.split('?')[0]}: {type(error).__name__}") from error


def _key_set(args: argparse.Namespace) -> Any:
    from contracts.issuer_keys import ISSUER_KEYS_PATH, IssuerKeySet

    try:
        if args.keys is not None:
            return IssuerKeySet.model_validate_json(args.keys.read_bytes())
        backend = _backend_url(args)
        if backend is None:
            raise Unreachable("no --keys file and no backend to fetch the issuer's keys from")
        status, body = _get_json(backend + ISSUER_KEYS_PATH)
        if status != 200:
            raise Unreachable(f"the backend answered {status} for its issuer keys")
        return IssuerKeySet.model_validate(body)
    except (OSError, ValueError) as error:
        raise Unreachable(f"the issuer key set cannot be read: {type(error).__name__}") from error


def _offline(args: argparse.Namespace) -> dict[str, Any]:
    from contracts.certificate_payload import PayloadError
    from contracts.issuer_keys import verify_offline

    keys = _key_set(args)
    today = args.on or dt.datetime.now(CHINA_TZ).date()
    try:
        result = verify_offline(args.qr, keys, today=today)
    except PayloadError as error:
        return {"method": "offline", "status": "invalid", "reason": error.reason, "message": str(error)}
    claims = {key: str(value) for key, value in dataclasses.asdict(result.claims).items()}
    return {"method": "offline", "status": result.status, "reason": None if result.status == "valid" else "expired",
            "key_id": result.key_id, "issuer": keys.issuer, "certificate": claims}  # fmt: skip


def _online(args: argparse.Namespace) -> dict[str, Any]:
    from contracts import API_PREFIX, CertificateVerification

    backend = _backend_url(args)
    if backend is None:
        raise Unreachable("no --backend given and no backend configured")
    status, body = _get_json(f"{backend}{API_PREFIX}/certificates/{args.number.strip()}/verify", {"code": args.code})
    if status == 429:
        return {"method": "online", "status": "invalid", "reason": "verification_limit_reached"}
    if status != 200:
        raise Unreachable(f"the backend answered {status}")
    answer = CertificateVerification.model_validate(body)
    fields = answer.model_dump(mode="json", exclude_none=True, exclude={"status", "reason"})
    return {"method": "online", "status": answer.status,
            "reason": None if answer.status == "valid" else answer.reason or answer.status, "certificate": fields}


def _print(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(result, ensure_ascii=False, sort_keys=True))
        return
    reason = f" ({result['reason']})" if result.get("reason") else ""
    print(f"{result['status']}{reason} [{result['method']}]")
    for key, value in result.get("certificate", {}).items():
        print(f"  {key}: {value}")


def verify_document(args: argparse.Namespace) -> int:
    if args.number is not None and not args.code:
        print("kiosk diag verify-document: --number needs --code", file=sys.stderr)
        return exitcodes.USAGE
    if args.qr is not None and args.code:
        print("kiosk diag verify-document: --code goes with --number, not with --qr", file=sys.stderr)
        return exitcodes.USAGE
    try:
        result = _offline(args) if args.qr is not None else _online(args)
    except Unreachable as error:
        print(f"kiosk diag verify-document: {error}", file=sys.stderr)
        return exitcodes.FAILURE
    _print(result, args.json)
    return exitcodes.OK if result["status"] == "valid" else exitcodes.REJECTED
