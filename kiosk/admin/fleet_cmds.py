"""`kiosk-admin` subcommands that talk to the fleet server (HTTP, requests), and `serve-fleet` to run it.

  kiosk-admin enrol-token [--kiosk-id K] [--group G] [--channel C ...] [--expires-in S]   a one-time enrolment token
  kiosk-admin push FILE                                      upload a signed document (from `kiosk-admin sign`)
  kiosk-admin assign --document ID (--kiosk K | --group G | --channel C)
  kiosk-admin rollout start --document ID --batch group:G | --batch K1,K2 ... [--success 0.9] [--error 0.1]
  kiosk-admin rollout pause|resume|status ID
  kiosk-admin fleet status [--group G] [--json]             kiosks: applied version, last seen, alerts
  kiosk-admin kiosk history ID | kiosk set-group ID GROUP | kiosk set-channels ID [C ...]
  kiosk-admin serve-fleet [--db URL] [--port N]              run the fleet server
Server and admin token: --server/--token or KIOSK_FLEET_URL/KIOSK_FLEET_TOKEN. Exit codes: 0 ok,
1 server unreachable or failing, 2 usage, 5 refused by the server (the reason on stderr).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import requests

from kiosk.cli import exitcodes

ENV_URL, ENV_TOKEN = "KIOSK_FLEET_URL", "KIOSK_FLEET_TOKEN"


class FleetApiError(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"HTTP {status}: {detail}")
        self.status = status


class FleetAdminApi:
    def __init__(self, server: str, token: str, timeout: float = 15.0) -> None:
        self.base = server.rstrip("/") + "/api/v1"
        self.timeout = timeout
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.http.request(method, self.base + path, timeout=self.timeout, **kwargs)
        if response.status_code >= 400:
            try:
                body = response.json()  # {"code", "message"}; older servers answered {"detail"}
                detail = body.get("message", body.get("detail", response.text))
            except ValueError:
                detail = response.text[:200]
            raise FleetApiError(response.status_code, json.dumps(detail) if not isinstance(detail, str) else detail)
        return response.json() if response.content else None

    def pages(self, path: str, params: dict[str, Any] | None = None, cursor: str = "after") -> Iterator[dict[str, Any]]:
        params = dict(params or {}, limit=500)
        while True:
            page = self.call("GET", path, params=params)
            yield from page["items"]
            if page["next"] is None:
                return
            params[cursor] = page["next"]


def _api(args: argparse.Namespace) -> FleetAdminApi:
    if not args.server or not args.token:
        raise _Usage(f"--server and --token are required (or {ENV_URL} and {ENV_TOKEN})")
    return FleetAdminApi(args.server, args.token)


class _Usage(Exception):
    pass


def _handled(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except _Usage as problem:
            print(f"kiosk-admin: {problem}", file=sys.stderr)
            return exitcodes.USAGE
        except FleetApiError as error:
            print(f"kiosk-admin: refused by the fleet server: {error}", file=sys.stderr)
            return exitcodes.FAILURE if error.status >= 500 else exitcodes.REJECTED
        except requests.RequestException as error:
            print(f"kiosk-admin: fleet server unreachable: {type(error).__name__}", file=sys.stderr)
            return exitcodes.FAILURE

    return run


def _print(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


@_handled
def cmd_enrol_token(args: argparse.Namespace) -> int:
    body = {"kiosk_id": args.kiosk_id, "group": args.group, "channels": args.channel, "label": args.label,
            "expires_in_s": args.expires_in}  # fmt: skip
    answer = _api(args).call("POST", "/enrolment-tokens", json=body)
    print(answer["token"])
    print(f"one-time token, valid until {answer['expires_at']}", file=sys.stderr)
    return exitcodes.OK


@_handled
def cmd_push(args: argparse.Namespace) -> int:
    try:
        body = Path(args.file).read_bytes()
    except OSError as error:
        raise _Usage(f"cannot read {args.file}: {error.strerror}") from error
    doc = _api(args).call("POST", "/documents", data=body, headers={"Content-Type": "application/json"})
    added = doc.get("signatures_added") or []
    state = "uploaded" if doc["created"] else f"signatures of {', '.join(added)} merged" if added else "already on the server"
    print(f"document {doc['id']} {state}: {doc['type']} version {doc['version']}, sha256 {doc['sha256']}")
    return exitcodes.OK


@_handled
def cmd_assign(args: argparse.Namespace) -> int:
    kind, target = next(
        (k, v) for k, v in (("kiosk", args.kiosk), ("group", args.group), ("channel", args.channel)) if v
    )
    row = _api(args).call(
        "POST", "/assignments", json={"document_id": args.document, "target_kind": kind, "target": target}
    )
    print(
        f"assignment {row['id']}: document {row['document_id']} -> {kind} {target} (kiosks pick it up at their next poll)"
    )
    return exitcodes.OK


def _batch_spec(text: str) -> dict[str, Any]:
    if text.startswith("group:"):
        return {"group": text.removeprefix("group:")}
    kiosks = [part.strip() for part in text.split(",") if part.strip()]
    if not kiosks:
        raise argparse.ArgumentTypeError("a batch is group:NAME or KIOSK1,KIOSK2,...")
    return {"kiosks": kiosks}


def _print_rollout(rollout: dict[str, Any]) -> None:
    print(f"rollout {rollout['id']}: {rollout['status']}, document {rollout['document_id']} version "
          f"{rollout['version']}, batch {rollout['current_batch'] + 1} of {len(rollout['batches'])}")  # fmt: skip
    for batch in rollout["batches"]:
        print(f"  batch {batch['batch'] + 1}: {batch['applied']}/{batch['total']} applied, {batch['failed']} failed, "
              f"{batch['in_progress']} in progress{'' if batch['assigned'] else ' (not yet assigned)'}")  # fmt: skip


@_handled
def cmd_rollout(args: argparse.Namespace) -> int:
    api = _api(args)
    if args.action == "start" and args.id is None:
        if args.document is None or not args.batch:
            raise _Usage("rollout start needs --document and at least one --batch (or an existing rollout ID)")
        body = {"document_id": args.document, "batches": args.batch, "success_threshold": args.success,
                "error_threshold": args.error}  # fmt: skip
        rollout = api.call("POST", "/rollouts", json=body)
    elif args.id is None:
        raise _Usage(f"rollout {args.action} needs a rollout ID")
    elif args.action == "status":
        rollout = api.call("GET", f"/rollouts/{args.id}")
    else:
        rollout = api.call("POST", f"/rollouts/{args.id}/{args.action}")
    _print(rollout) if args.json else _print_rollout(rollout)
    return exitcodes.OK


@_handled
def cmd_fleet_status(args: argparse.Namespace) -> int:
    kiosks = list(_api(args).pages("/kiosks", {"group": args.group} if args.group else None))
    if args.json:
        _print(kiosks)
        return exitcodes.OK
    print(f"{'kiosk':<20} {'group':<12} {'version':>7} {'status':<12} {'last seen':<26} alerts")
    for kiosk in kiosks:
        alerts = ", ".join(f"{a['kind']}{':' + a['subject'] if a['subject'] else ''}" for a in kiosk["alerts"]) or "-"
        version = "-" if kiosk["applied_version"] is None else str(kiosk["applied_version"])
        print(f"{kiosk['id']:<20} {kiosk['group'] or '-':<12} {version:>7} {kiosk['last_status'] or '-':<12} "
              f"{kiosk['last_seen'] or 'never':<26} {alerts}")  # fmt: skip
    print(f"{len(kiosks)} kiosk(s), {sum(1 for k in kiosks if k['alerts'])} with alerts")
    return exitcodes.OK


@_handled
def cmd_kiosk(args: argparse.Namespace) -> int:
    api = _api(args)
    if args.action == "set-group":
        kiosk = api.call("PATCH", f"/kiosks/{args.kiosk_id}", json={"group": args.group})
        print(f"{kiosk['id']} is now in group {kiosk['group']}")
        return exitcodes.OK
    if args.action == "set-channels":  # what a kiosk may fetch is the admins' decision, never the kiosk's
        kiosk = api.call("PATCH", f"/kiosks/{args.kiosk_id}", json={"channels": args.channels})
        print(f"{kiosk['id']} now receives channels {', '.join(kiosk['channels']) or '(none)'}")
        return exitcodes.OK
    reports = api.call("GET", f"/kiosks/{args.kiosk_id}/reports", params={"limit": args.limit})["items"]
    if args.json:
        _print(reports)
        return exitcodes.OK
    for report in reports:
        print(f"{report['reported_at']}  {report['status']:<11} version {report['version']} "
              f"{report['reason'] or ''}  (running {report['running_version']})")  # fmt: skip
    return exitcodes.OK


def cmd_serve_fleet(args: argparse.Namespace) -> int:
    from server.fleet import FleetSettings, serve_forever  # only the server needs FastAPI/uvicorn

    token = os.environ.get("KIOSK_FLEET_ADMIN_TOKEN") or os.environ.get(ENV_TOKEN, "")
    if args.admin_token_file:
        token = Path(args.admin_token_file).read_text(encoding="utf-8").strip()
    if len(token) < 16:
        print("kiosk-admin serve-fleet: set an admin token of 16+ characters in KIOSK_FLEET_ADMIN_TOKEN, "
              f"{ENV_TOKEN} or --admin-token-file", file=sys.stderr)  # fmt: skip
        return exitcodes.USAGE
    settings = FleetSettings.from_env(db_url=args.db, admin_token=token, poll_interval_s=args.poll_interval)
    print(f"fleet server on http://{args.host}:{args.port} (database {settings.db_url.split('@')[-1]})")
    serve_forever(settings, host=args.host, port=args.port)
    return exitcodes.OK


def _connection_args() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--server", default=os.environ.get(ENV_URL), help=f"fleet server URL (default ${ENV_URL})")
    parent.add_argument("--token", default=os.environ.get(ENV_TOKEN), help=f"admin bearer token (default ${ENV_TOKEN})")
    parent.add_argument("--json", action="store_true", help="print the server's JSON")
    return parent


def _add_rollout(commands: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    rollout = commands.add_parser("rollout", parents=[parent], help="staged rollout: start, pause, resume, status")
    rollout.add_argument("action", choices=["start", "pause", "resume", "status"])
    rollout.add_argument("id", nargs="?", type=int, help="rollout id (start: only for a created rollout)")
    rollout.add_argument("--document", type=int, help="document id (from push)")
    rollout.add_argument("--batch", action="append", type=_batch_spec, default=[],
                         help="in order: group:NAME or KIOSK1,KIOSK2 (repeat)")  # fmt: skip
    rollout.add_argument("--success", type=float, default=1.0, help="fraction applied to advance (default 1.0)")
    rollout.add_argument("--error", type=float, default=0.0, help="fraction failed above which it stops (0.0)")
    rollout.set_defaults(handler=cmd_rollout)


def register(subparsers: argparse._SubParsersAction) -> None:
    parent = _connection_args()
    token = subparsers.add_parser("enrol-token", parents=[parent], help="create a one-time kiosk enrolment token")
    token.add_argument("--kiosk-id", help="only this kiosk id may use it")
    token.add_argument("--group", help="the enrolled kiosk joins this group")
    token.add_argument("--channel", action="append", default=[], help="a channel the kiosk receives (repeatable)")
    token.add_argument("--label", default="")
    token.add_argument("--expires-in", type=int, help="seconds (default 7 days)")
    token.set_defaults(handler=cmd_enrol_token)
    push = subparsers.add_parser("push", parents=[parent], help="upload a signed document to the fleet server")
    push.add_argument("file")
    push.set_defaults(handler=cmd_push)
    assign = subparsers.add_parser("assign", parents=[parent], help="make a document desired for kiosks")
    assign.add_argument("--document", type=int, required=True)
    target = assign.add_mutually_exclusive_group(required=True)
    target.add_argument("--kiosk")
    target.add_argument("--group")
    target.add_argument("--channel")
    assign.set_defaults(handler=cmd_assign)
    _add_rollout(subparsers, parent)
    fleet = subparsers.add_parser("fleet", help="fleet overview")
    fleet_commands = fleet.add_subparsers(dest="fleet_command", metavar="SUBCOMMAND", parser_class=type(fleet))
    status = fleet_commands.add_parser("status", parents=[parent], help="kiosks, applied versions, alerts")
    status.add_argument("--group")
    status.set_defaults(handler=cmd_fleet_status)
    kiosk = subparsers.add_parser("kiosk", help="one kiosk")
    kiosk_commands = kiosk.add_subparsers(dest="kiosk_command", metavar="SUBCOMMAND", parser_class=type(kiosk))
    history = kiosk_commands.add_parser("history", parents=[parent], help="the kiosk's reports, newest first")
    history.add_argument("kiosk_id")
    history.add_argument("--limit", type=int, default=50)
    history.set_defaults(handler=cmd_kiosk, action="history")
    set_group = kiosk_commands.add_parser("set-group", parents=[parent], help="move a kiosk to a group")
    set_group.add_argument("kiosk_id")
    set_group.add_argument("group")
    set_group.set_defaults(handler=cmd_kiosk, action="set-group")
    set_channels = kiosk_commands.add_parser("set-channels", parents=[parent], help="the channels a kiosk receives")
    set_channels.add_argument("kiosk_id")
    set_channels.add_argument("channels", nargs="*")
    set_channels.set_defaults(handler=cmd_kiosk, action="set-channels")
    serve = subparsers.add_parser("serve-fleet", help="run the fleet server (admin token from the environment)")
    serve.add_argument("--db", help="SQLAlchemy URL (default $KIOSK_FLEET_DB or sqlite:///fleet.sqlite3)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8760)
    serve.add_argument("--poll-interval", type=int, help="seconds suggested to kiosks (default 30)")
    serve.add_argument("--admin-token-file", help="file holding the admin bearer token")
    serve.set_defaults(handler=cmd_serve_fleet)
