"""Technician diagnostics from a remote shell, the same core as the technician screen:

  kiosk diag self-test [--device NAME] [--no-print] [--json]   exit 0 all passed, 4 any failure, 2 unknown device
  kiosk diag ports [--json]
  kiosk diag logs --hours N --out FILE [--gzip]
  kiosk diag out-of-service {set,clear,show} [--service S] [--reason TEXT] [--json]
  kiosk diag set-pin [--totp new|keep|off]                    reads the PIN from stdin (provisioning);
                                                              a first PIN gets a new TOTP secret unless --totp off
Every action is audited with actor cli:<user>.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kiosk.cli import exitcodes
from kiosk.config import ConfigError
from kiosk.home import KioskHome
from kiosk.technician import TARGETS, TechnicianService, totp
from kiosk.technician.audit_sink import default_audit
from kiosk.technician.auth import PinPolicyError, TechnicianAuth
from kiosk.technician.selftest import SelfTestResult
from kiosk.technician.service import cli_actor
from kiosk.trust import load_verified_config


def register(groups: dict[str, argparse._SubParsersAction], top: argparse._SubParsersAction) -> None:
    diag = groups["diag"]
    test = diag.add_parser("self-test", help="self-test configured devices (printers print a test page)")
    test.add_argument("--device", help="only this device (name in the configuration)")
    test.add_argument("--no-print", action="store_true", help="check printer status without printing")
    test.add_argument("--json", action="store_true")
    test.set_defaults(handler=self_test)

    ports = diag.add_parser("ports", help="serial ports with VID:PID, serial number and /dev/serial/by-id names")
    ports.add_argument("--json", action="store_true")
    ports.set_defaults(handler=list_ports)

    logs = diag.add_parser("logs", help="export the last N hours of logs (ID and phone numbers masked)")
    logs.add_argument("--hours", type=float, required=True)
    logs.add_argument("--out", type=Path, required=True, help="file to write (.gz = gzip)")
    logs.add_argument("--gzip", action="store_true", help="compress even without a .gz name")
    logs.set_defaults(handler=export_logs)

    oos = diag.add_parser("out-of-service", help="take a service or the whole kiosk out of service, or back")
    oos.add_argument("action", choices=("set", "clear", "show"))
    oos.add_argument("--service", default="kiosk", choices=TARGETS, help="default: the whole kiosk")
    oos.add_argument("--reason", default="", help="required for set (shown to staff, not to citizens)")
    oos.add_argument("--json", action="store_true")
    oos.set_defaults(handler=out_of_service)

    pin = diag.add_parser("set-pin", help="set the technician PIN, read from stdin")
    pin.add_argument("--totp", choices=("new", "keep", "off"), default=None,
                     help="second factor (default: new for a first PIN, keep when changing it)")  # fmt: skip
    pin.set_defaults(handler=set_pin)


def _fail(command: str, message: str, code: int) -> int:
    print(f"kiosk diag {command}: {message}", file=sys.stderr)
    return code


def _service(args: argparse.Namespace) -> TechnicianService:
    return TechnicianService.for_cli(args.home)


def _result_lines(result: SelfTestResult) -> list[str]:
    lines = [f"{result.device:<10} {result.kind:<17} {'PASS' if result.passed else 'FAIL'}"]
    for check in result.checks:
        mark = "skip" if check.skipped else "ok" if check.passed else "FAIL"
        code = f" [{check.code}]" if check.code else ""
        lines.append(f"    {check.name:<12} {mark:<4} {check.detail}{code}")
    return lines


def self_test(args: argparse.Namespace) -> int:
    try:
        service = _service(args)
    except ConfigError as error:
        return _fail("self-test", str(error), exitcodes.USAGE)
    try:
        if args.device and args.device not in service.device_names():
            known = ", ".join(service.device_names()) or "none"
            return _fail("self-test", f"no device {args.device!r}; configured: {known}", exitcodes.USAGE)
        names = [args.device] if args.device else service.device_names()
        results = [service.self_test(name, with_print=not args.no_print) for name in names]
    finally:
        service.close()
    if args.json:
        print(json.dumps([r.to_json() for r in results], ensure_ascii=False))
    else:
        for result in results:
            print("\n".join(_result_lines(result)))
    return exitcodes.OK if all(r.passed for r in results) else exitcodes.DEVICE_ERROR


def list_ports(args: argparse.Namespace) -> int:
    service = _service(args)
    try:
        found = service.ports()
    finally:
        service.close()
    if args.json:
        print(json.dumps([p.to_json() for p in found], ensure_ascii=False))
        return exitcodes.OK
    if not found:
        print("no serial ports found")
    for port in found:
        ids = f" serial={port.serial_number}" if port.serial_number else ""
        used = f" used by {','.join(port.used_by)}" if port.used_by else ""
        print(f"{port.device:<14} {port.vid_pid or '-':<10} {port.description}{ids}{used}")
        for link in port.by_id:
            print(f"    {link}")
    return exitcodes.OK


def export_logs(args: argparse.Namespace) -> int:
    if args.hours <= 0:
        return _fail("logs", "--hours must be positive", exitcodes.USAGE)
    service = _service(args)
    out = args.out if not args.gzip or args.out.suffix == ".gz" else args.out.with_name(args.out.name + ".gz")
    try:
        result = service.export_logs(args.hours, out)
    except OSError as error:
        return _fail("logs", f"cannot write {out}: {error}", exitcodes.FAILURE)
    finally:
        service.close()
    print(f"{result.lines} lines written to {result.path}" + (" (gzip)" if result.compressed else ""))
    return exitcodes.OK


def out_of_service(args: argparse.Namespace) -> int:
    service = _service(args)
    try:
        if args.action == "set":
            if not args.reason.strip():
                return _fail("out-of-service", "set needs --reason", exitcodes.USAGE)
            print(f"{args.service}: out of service ({service.set_out_of_service(args.service, args.reason)})")
        elif args.action == "clear":
            was_out = service.clear_out_of_service(args.service)
            print(f"{args.service}: {'back in service' if was_out else 'was not out of service'}")
        else:
            records = service.out_of_service()
            if args.json:
                print(json.dumps(records, ensure_ascii=False))
            for target, record in sorted(records.items()) if not args.json else ():
                print(
                    f"{target:<12} since {record.get('since', '?')} by {record.get('by', '?')}: {record.get('reason')}"
                )
            if not records and not args.json:
                print("every service is in service")
    finally:
        service.close()
    return exitcodes.OK


def set_pin(args: argparse.Namespace) -> int:
    pin = sys.stdin.readline().strip()
    home = KioskHome.resolve(args.home).ensure()
    auth = TechnicianAuth(home, default_audit(home))
    choice = args.totp or ("keep" if auth.provisioned else "new")  # TOTP is on for every new install
    secret = totp.new_secret() if choice == "new" else None
    try:
        auth.set_pin(pin, actor=cli_actor(), totp_secret=secret, keep_totp=choice == "keep")
    except PinPolicyError as error:
        return _fail("set-pin", str(error), exitcodes.USAGE)
    print("technician PIN set" + (" with TOTP" if auth.second_factor_required else " (no second factor)"))
    if secret is not None:  # shown once, for the authenticator app; it is kept only in the data dir
        try:
            kiosk_id = load_verified_config(home).config.kiosk_id
        except ConfigError:
            kiosk_id = home.root.name
        print(f"TOTP secret: {totp.secret_to_base32(secret)}")
        print(totp.provisioning_uri(secret, account=f"technician@{kiosk_id}"))
    return exitcodes.OK
