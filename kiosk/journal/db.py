"""Engine set-up for the journal: SQLite in WAL mode with synchronous=FULL, or PostgreSQL by URL.

WAL+NORMAL may lose the last commit on power loss; a journal that announces a payment before taking it
cannot afford that, so every commit is FULL. PRAGMAs are per connection, hence the connect event.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

SQLITE_BUSY_TIMEOUT_MS = 30000


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The DBAPI opens transactions lazily; PRAGMA journal_mode cannot run inside one.
    cursor = dbapi_connection.cursor()
    try:
        # busy_timeout first, so the rest waits for a lock instead of failing; the WAL switch needs an
        # exclusive lock, so it is made only once per file, not by every connection.
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def create_journal_engine(url: str, **engine_kwargs: Any) -> Engine:
    """An engine for the journal at `url` (sqlite:///path or postgresql+psycopg://...)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **engine_kwargs)
    if parsed.database in (None, "", ":memory:"):
        raise ValueError("the journal needs a file: an in-memory SQLite database would lose every order")
    # One pooled connection per thread; the Journal serialises its own writes with a lock.
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
    kwargs.update(engine_kwargs)
    engine = create_engine(url, **kwargs)
    event.listen(engine, "connect", _set_sqlite_pragmas)
    return engine


def sqlite_pragmas(engine: Engine) -> dict[str, Any]:
    """The PRAGMAs a live connection reports (for diagnostics and tests)."""
    with engine.connect() as connection:
        driver = connection.connection.dbapi_connection
        cursor = driver.cursor()  # type: ignore[union-attr]
        try:
            return {
                name: cursor.execute(f"PRAGMA {name}").fetchone()[0]
                for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            }
        finally:
            cursor.close()
