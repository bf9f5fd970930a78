"""`kiosk-admin release`: software releases for the fleet (kiosk.update.release).

  kiosk-admin release make --package police-kiosk_0.2.0_amd64.deb --key K [--key K2] --version N
                           --for channel:county --expires +30d [--min-config-schema 1] [--allow-downgrade]
                           [--notes TEXT] --out release.json
      a signed "kiosk-software" document naming the package by SHA-256 and size (read from the file; the
      software version from the package's control fields)
  kiosk-admin release upload --package FILE [--document release.json]
      the package to the fleet server in chunks (resumes an interrupted upload), then the document;
      roll it out like any document: kiosk-admin rollout start --document ID --batch group:pilot ...
Exit codes as the other commands: 0 ok, 1 server unreachable, 2 usage, 5 refused.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.admin import fleet_cmds
from kiosk.cli import exitcodes
from kiosk.update.debpkg import PackageError, control_fields
from kiosk.update.release import RELEASE_SCHEMA_VERSION, RELEASE_TYPE, parse_version

CHUNK = 1024 * 1024  # the fleet server's package_chunk_bytes


class ReleaseUsage(Exception):
    """A bad argument or an unreadable package: exit 2."""


def package_identity(path: Path) -> dict[str, Any]:
    """filename, sha256, size and the software version of a kiosk package."""
    try:
        fields = control_fields(path)
        hasher = hashlib.sha256()
        with path.open("rb") as stream:
            while chunk := stream.read(CHUNK):
                hasher.update(chunk)
    except (OSError, PackageError) as error:
        raise ReleaseUsage(f"--package {path}: {error}") from error
    if fields.get("Package") != "police-kiosk":
        raise ReleaseUsage(f"--package {path} is {fields.get('Package')!r}, not police-kiosk")
    version = fields.get("Version", "").split("+")[0]
    try:
        parse_version(version)
    except ValueError as error:
        raise ReleaseUsage(f"--package {path}: {error}") from error
    return {"filename": path.name, "sha256": hasher.hexdigest(), "size": path.stat().st_size, "version": version}


def release_payload(identity: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "software_version": identity["version"],
        "package": {k: identity[k] for k in ("filename", "sha256", "size")},
        "min_config_schema": args.min_config_schema,
        "allow_downgrade": args.allow_downgrade,
    }
    if args.notes:
        payload["notes"] = args.notes
    return payload


def upload_package(api: fleet_cmds.FleetAdminApi, path: Path, identity: dict[str, Any]) -> dict[str, Any]:
    """Declare, then append chunks from where the server says it is (so an interrupted upload resumes)."""
    state = api.call("POST", "/packages", json={k: identity[k] for k in ("sha256", "size", "filename")})
    with path.open("rb") as stream:
        while not state["complete"]:
            stream.seek(state["received"])
            chunk = stream.read(CHUNK)
            state = api.call("PUT", f"/packages/{identity['sha256']}/content", params={"offset": state["received"]},
                             data=chunk, headers={"Content-Type": "application/octet-stream"})  # fmt: skip
    return state


def register(
    commands: argparse._SubParsersAction,
    add_document_args: Callable[[argparse.ArgumentParser], None],
    write_document: Callable[[argparse.Namespace, str, dict[str, Any], int], int],
) -> None:
    release = commands.add_parser("release", help="software releases: sign one, upload its package")
    actions = release.add_subparsers(dest="release_command", metavar="ACTION", required=True)
    make = actions.add_parser("make", help="a signed kiosk-software document for a package")
    make.add_argument("--package", type=Path, required=True, help="the .deb built by ./run package")
    make.add_argument("--min-config-schema", type=int, default=1, help="the configuration schema it needs")
    make.add_argument("--allow-downgrade", action="store_true", help="may replace newer committed software")
    make.add_argument("--notes", default="", help="a line for the admins (at most 500 characters)")
    add_document_args(make)

    def make_release(args: argparse.Namespace) -> int:
        try:
            identity = package_identity(args.package)
        except ReleaseUsage as problem:
            print(f"kiosk-admin release: {problem}", file=sys.stderr)
            return exitcodes.USAGE
        status = write_document(args, RELEASE_TYPE, release_payload(identity, args), RELEASE_SCHEMA_VERSION)
        print(f"software {identity['version']}: {identity['filename']} {identity['size']} bytes "
              f"sha256 {identity['sha256']}")  # fmt: skip
        return status

    make.set_defaults(handler=make_release)
    # The fleet commands' --server/--token and error handling (kiosk.admin.fleet_cmds), shared on purpose.
    upload = actions.add_parser("upload", parents=[fleet_cmds._connection_args()],
                                help="upload a package (and its release document) to the fleet server")  # fmt: skip
    upload.add_argument("--package", type=Path, required=True)
    upload.add_argument("--document", type=Path, help="the release document to upload with it")
    upload.set_defaults(handler=fleet_cmds._handled(_upload))


def _upload(args: argparse.Namespace) -> int:
    try:
        identity = package_identity(args.package)
        document = args.document.read_bytes() if args.document else None
    except (ReleaseUsage, OSError) as problem:
        raise fleet_cmds._Usage(str(problem)) from problem
    api = fleet_cmds._api(args)
    state = upload_package(api, args.package, identity)
    print(f"package {state['filename']} on the server: {state['size']} bytes, sha256 {state['sha256']}")
    if document is not None:
        doc = api.call("POST", "/documents", data=document, headers={"Content-Type": "application/json"})
        print(f"release document {doc['id']}: version {doc['version']} (roll it out: kiosk-admin rollout start "
              f"--document {doc['id']} --batch ...)")  # fmt: skip
    return exitcodes.OK
