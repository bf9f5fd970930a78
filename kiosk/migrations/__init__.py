"""Schema migrations of the databases a kiosk keeps (the journal: orders, events, items, print jobs; the audit
log), run at start-up before anything else opens them.

    schema_revision = upgrade_database(engine, JOURNAL)   # to this software's head; idempotent

Rules (the A/B software update relies on them):
- An upgrade runs in ONE exclusive transaction on SQLite: it completes or leaves the file as it was; a copy
  of the file is kept next to it first (`journal.sqlite3.before-REV`).
- A database made by release 0.1.0 (tables created with create_all, no version table) is recognised by its
  tables and brought under version control by the idempotent first migration.
- A database whose revision this software does not know was written by newer software: it is refused with
  SchemaTooNew before anything reads it. Going back to older software needs `downgrade_database` run by the
  NEWER software first (every migration has a downgrade), never a half-migrated file.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Schema:
    name: str
    directory: Path


JOURNAL = Schema("journal", HERE / "journal")
AUDIT = Schema("audit", HERE / "audit")


class SchemaTooNew(RuntimeError):
    """The database was migrated by newer software than this one."""


def _config(schema: Schema) -> Config:
    config = Config()
    config.set_main_option("script_location", str(schema.directory))
    return config


def head_revision(schema: Schema) -> str:
    head = ScriptDirectory.from_config(_config(schema)).get_current_head()
    assert head is not None
    return head


def known_revisions(schema: Schema) -> set[str]:
    return {script.revision for script in ScriptDirectory.from_config(_config(schema)).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def _migration_engine(engine: Engine) -> Iterator[Engine]:
    """SQLite: a private engine whose transactions really include DDL (BEGIN EXCLUSIVE, no pysqlite autocommit)."""
    if engine.dialect.name != "sqlite":
        yield engine
        return
    private = create_engine(engine.url, connect_args={"timeout": 30})  # wait for another process's migration

    @event.listens_for(private, "connect")
    def _no_driver_transactions(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(private, "begin")
    def _exclusive(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN EXCLUSIVE")

    try:
        yield private
    finally:
        private.dispose()


def _backup(engine: Engine, revision: str | None) -> None:
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and Path(database).exists():
        target = Path(f"{database}.before-{revision or 'unversioned'}")
        if not target.exists():
            shutil.copyfile(database, target)


def upgrade_database(engine: Engine, schema: Schema) -> str:
    """Bring the database to this software's head revision; returns it."""
    revision = current_revision(engine)
    if revision is not None and revision not in known_revisions(schema):
        raise SchemaTooNew(f"the {schema.name} database is at revision {revision}, unknown to this software "
                           f"(newest known: {head_revision(schema)}); downgrade it with the newer software first")
    head = head_revision(schema)
    if revision == head:
        return head
    if revision is not None or inspect(engine).get_table_names():
        _backup(engine, revision)
    _run(engine, schema, lambda config: command.upgrade(config, "head"))
    return head


def downgrade_database(engine: Engine, schema: Schema, revision: str) -> str:
    """Take the database back to `revision` (run by the software that knows the newer migrations)."""
    if revision not in known_revisions(schema) and revision != "base":
        raise ValueError(f"no {schema.name} revision {revision!r}")
    _backup(engine, current_revision(engine))
    _run(engine, schema, lambda config: command.downgrade(config, revision))
    return revision


def _run(engine: Engine, schema: Schema, step: Any) -> None:
    with _migration_engine(engine) as migrating, migrating.begin() as connection:
        config = _config(schema)
        config.attributes["connection"] = connection
        step(config)


def schema_status(engine: Engine, schema: Schema) -> dict[str, Any]:
    """For technicians: the database's revision against this software's ("current", "upgrade_pending" - done at
    the next start - or "too_new": written by newer software, refused until downgraded)."""
    revision, head = current_revision(engine), head_revision(schema)
    if revision == head:
        state = "current"
    elif revision is None or revision in known_revisions(schema):
        state = "upgrade_pending"
    else:
        state = "too_new"
    return {"schema": schema.name, "revision": revision, "head": head, "state": state}
