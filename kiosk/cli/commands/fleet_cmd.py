"""`kiosk fleet enrol|run|status`: join the fleet server and run the polling agent.

  kiosk fleet enrol --server URL --token T [--ca ca.pem]   exchange a one-time token for credentials
  kiosk fleet run [--once] [--health-window S]             poll, apply, report (SIGTERM/Ctrl-C stops)
  kiosk fleet status                                       credentials and the agent's local state
Exit codes: 0 ok, 2 usage/not enrolled/not provisioned, 5 token refused, 1 server unreachable.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable

from kiosk.cli import exitcodes
from kiosk.config import ConfigError
from kiosk.fleet import AgentSettings, FleetAgent, FleetClient, FleetRequestError, NotEnrolled, load_credentials
from kiosk.fleet.client import FleetAuthError, FleetUnavailable
from kiosk.fleet.enrol import enrol, send_inventory
from kiosk.fleet.state import credentials_file, load_agent_state
from kiosk.home import KioskHome
from kiosk.trust import TrustRootMissing, read_active


def cmd_enrol(args: argparse.Namespace) -> int:
    home = KioskHome.resolve(args.home).ensure()
    if credentials_file(home).exists() and not args.force:
        print(f"kiosk fleet enrol: already enrolled ({credentials_file(home)}); --force to replace", file=sys.stderr)
        return exitcodes.USAGE
    try:
        credentials = enrol(home, args.server, args.token, ca_file=args.ca)
    except TrustRootMissing as error:
        print(f"kiosk fleet enrol: {error}", file=sys.stderr)
        return exitcodes.USAGE
    except (FleetRequestError, FleetAuthError) as error:
        print(f"kiosk fleet enrol: refused: {error}", file=sys.stderr)
        return exitcodes.REJECTED
    except FleetUnavailable as error:
        print(f"kiosk fleet enrol: server unreachable: {error}", file=sys.stderr)
        return exitcodes.FAILURE
    print(f"enrolled as {credentials.kiosk_id} with {credentials.server_url}")
    return exitcodes.OK


def _journal_probe(home: KioskHome, kiosk_id: str) -> Callable[[], int] | None:
    """The journal's count of open citizen transactions, when this kiosk has a journal."""
    if not (home.root / "journal.sqlite3").exists():
        return None
    from kiosk.journal import Journal

    return Journal.for_home(home.root, kiosk_id=kiosk_id).open_transaction_count


def _healthy(home: KioskHome) -> Callable[[], bool]:
    def check() -> bool:
        try:
            read_active(home)
        except ConfigError:
            return False
        return True

    return check


def cmd_run(args: argparse.Namespace) -> int:
    home = KioskHome.resolve(args.home).ensure()
    try:
        credentials = load_credentials(home)
    except NotEnrolled as error:
        print(f"kiosk fleet run: {error}", file=sys.stderr)
        return exitcodes.USAGE
    client = FleetClient(credentials.server_url, credentials)
    agent = FleetAgent(home, client, healthy=_healthy(home), open_transactions=_journal_probe(home, credentials.kiosk_id),
                       settings=AgentSettings(health_window_s=args.health_window))  # fmt: skip
    try:
        send_inventory(home, client, devices=[])
    except (FleetUnavailable, FleetAuthError, FleetRequestError) as error:
        print(f"kiosk fleet run: inventory not sent ({error}); continuing", file=sys.stderr)
    if args.once:
        outcome = agent.poll_once()
        print(f"{outcome.kind} {outcome.version or ''} {outcome.reason or ''}".rstrip())
        return exitcodes.OK if outcome.kind not in ("offline", "unauthorized", "error") else exitcodes.FAILURE
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    # Stand-alone the agent knows no device states; the kiosk app embeds it and passes real ones.
    agent.run(stop.wait, heartbeat_source=lambda: ({}, {}))
    client.close()
    return exitcodes.OK


def cmd_status(args: argparse.Namespace) -> int:
    home = KioskHome.resolve(args.home)
    try:
        credentials = load_credentials(home)
    except NotEnrolled as error:
        print(f"kiosk fleet status: {error}", file=sys.stderr)
        return exitcodes.USAGE
    state = load_agent_state(home)
    print(f"kiosk id: {credentials.kiosk_id}\nserver: {credentials.server_url}")
    print(f"poll interval: {state.poll_interval_s:g} s; last ETag: {state.etag or '-'}")
    print(f"health window: {'open for version ' + str(state.health.version) if state.health else 'none'}")
    print(f"reports waiting to be sent: {len(state.outbox)}")
    return exitcodes.OK


def register(groups: dict[str, argparse._SubParsersAction], top: argparse._SubParsersAction) -> None:
    fleet = top.add_parser("fleet", help="join the fleet server and run the configuration agent")
    commands = fleet.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", parser_class=type(fleet))
    enrol_parser = commands.add_parser("enrol", help="exchange a one-time enrolment token for credentials")
    enrol_parser.add_argument("--server", required=True, help="fleet server URL, e.g. https://fleet.example:8760")
    enrol_parser.add_argument("--token", required=True, help="one-time enrolment token from kiosk-admin enrol-token")
    enrol_parser.add_argument("--ca", help="private CA certificate (PEM) to pin")
    enrol_parser.add_argument("--force", action="store_true", help="replace existing credentials")
    enrol_parser.set_defaults(handler=cmd_enrol)
    run = commands.add_parser("run", help="poll for configuration, apply it safely, report")
    run.add_argument("--once", action="store_true", help="one poll, then exit")
    run.add_argument("--health-window", type=float, default=120.0, help="seconds a new config must stay healthy")
    run.set_defaults(handler=cmd_run)
    status = commands.add_parser("status", help="enrolment and agent state")
    status.set_defaults(handler=cmd_status)
