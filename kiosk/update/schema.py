"""The kiosk's databases across a software switch. Each slot records the schema heads its code knows
(RELEASE.json "schema_heads", written when the package is built); going back to an older slot first takes
the journal and the audit log down to those heads with the NEWER code - the only code that has the
downgrade steps - or the switch is refused.

    python -m kiosk.update.schema heads                               this software's heads as JSON
    python -m kiosk.update.schema downgrade --home H --release-file F take H's databases to F's heads

The launcher (kiosk.update.boot) runs `downgrade` with the failed slot's interpreter before it starts the
previous slot, so no process has the files open. Each downgrade is one exclusive SQLite transaction
(kiosk.migrations): it completes or leaves the file as it was, never half-migrated.
Exit codes: 0 done (or nothing to do), 1 refused or failed (the files are unchanged), 2 usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine

from kiosk.migrations import (
    AUDIT,
    JOURNAL,
    Schema,
    current_revision,
    downgrade_database,
    head_revision,
    known_revisions,
)


class DowngradeRefused(RuntimeError):
    """The databases cannot be taken to the older software's revisions by this software."""


@dataclass(frozen=True)
class DatabaseStep:
    schema: str
    path: Path
    current: str | None
    target: str

    @property
    def needed(self) -> bool:
        return self.current is not None and self.current != self.target


def schema_heads() -> dict[str, str]:
    return {JOURNAL.name: head_revision(JOURNAL), AUDIT.name: head_revision(AUDIT)}


def database_files(home: Path) -> dict[str, tuple[Schema, Path]]:
    return {JOURNAL.name: (JOURNAL, home / "journal.sqlite3"), AUDIT.name: (AUDIT, home / "audit.sqlite3")}


def _revision(path: Path) -> str | None:
    if not path.exists():
        return None
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        return current_revision(engine)
    finally:
        engine.dispose()


def plan_downgrade(home: Path, heads: Mapping[str, str]) -> list[DatabaseStep]:
    """What a switch to software with `heads` needs; raises DowngradeRefused when it cannot be done here."""
    steps = []
    for name, (schema, path) in database_files(home).items():
        target = heads.get(name)
        if not target:
            raise DowngradeRefused(f"the older software records no {name} schema head")
        step = DatabaseStep(name, path, _revision(path), target)
        known = known_revisions(schema)
        if step.needed and step.current not in known:
            raise DowngradeRefused(f"the {name} database is at {step.current}, newer than this software knows")
        if step.needed and target not in known:
            raise DowngradeRefused(f"the older software's {name} revision {target} is unknown to this software")
        steps.append(step)
    return steps


def downgrade_home(home: Path, heads: Mapping[str, str]) -> list[DatabaseStep]:
    """Take every database that is ahead of `heads` down to them; returns the steps done."""
    steps = plan_downgrade(home, heads)
    for step in steps:
        if not step.needed:
            continue
        schema, _path = database_files(home)[step.schema]
        engine = create_engine(f"sqlite:///{step.path}", connect_args={"timeout": 30})
        try:
            downgrade_database(engine, schema, step.target)
        finally:
            engine.dispose()
    return [step for step in steps if step.needed]


def read_heads(release_file: Path) -> dict[str, str]:
    data = json.loads(release_file.read_text(encoding="utf-8"))
    heads = data.get("schema_heads") if isinstance(data, dict) else None
    if not isinstance(heads, dict) or not all(isinstance(v, str) for v in heads.values()):
        raise ValueError(f"{release_file} has no schema_heads")
    return dict(heads)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.update.schema")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("heads", help="this software's schema heads as JSON")
    down = commands.add_parser("downgrade", help="take the databases down to an older slot's heads")
    down.add_argument("--home", type=Path, required=True)
    down.add_argument("--release-file", type=Path, required=True, help="the older slot's RELEASE.json")
    args = parser.parse_args(argv)
    if args.command == "heads":
        print(json.dumps(schema_heads(), sort_keys=True))
        return 0
    try:
        done = downgrade_home(args.home, read_heads(args.release_file))
    except (DowngradeRefused, OSError, ValueError) as error:
        print(f"downgrade refused: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # a failed migration rolled back: the files are as they were
        print(f"downgrade failed: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(json.dumps([{"schema": s.schema, "from": s.current, "to": s.target} for s in done]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
