"""Alembic environment of the fleet server's release tables (server.fleet.packages), on the caller's
connection, with a version table of its own: the rest of the fleet schema is created by create_all."""

from __future__ import annotations

from alembic import context

from server.fleet.packages import VERSION_TABLE, ReleaseBase

config = context.config
connection = config.attributes["connection"]
context.configure(connection=connection, target_metadata=ReleaseBase.metadata, version_table=VERSION_TABLE,
                  render_as_batch=True)  # fmt: skip
with context.begin_transaction():
    context.run_migrations()
