"""Engine and sessions for the fleet database: SQLite (WAL) by default, PostgreSQL by URL (psycopg 3).

SQLite allows one writer at a time, and a read transaction that later writes can fail at once with
"database is locked" instead of waiting; the server therefore serialises its own write transactions
with a process lock when the database is SQLite. PostgreSQL uses row locks (SELECT ... FOR UPDATE).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from server.fleet.models import Base

SQLITE_BUSY_TIMEOUT_MS = 10000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")  # fleet state is re-reported by kiosks; no money here
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def normalise_url(url: str) -> str:
    """postgresql:// and postgres:// mean psycopg 3 here (SQLAlchemy would pick psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class FleetDatabase:
    def __init__(self, url: str) -> None:
        url = normalise_url(url)
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite:
            if parsed.database in (None, "", ":memory:"):
                raise ValueError("the fleet server needs a database file, not an in-memory SQLite")
            self.engine: Engine = create_engine(url, connect_args={"check_same_thread": False}, pool_size=20)
            event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            self.engine = create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=10)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_lock = threading.Lock() if self.is_sqlite else contextlib.nullcontext()

    def create_tables(self) -> None:
        Base.metadata.create_all(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction, committed on success, rolled back on any error."""
        with self._write_lock, self._sessions() as session, session.begin():
            yield session
