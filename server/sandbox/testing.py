"""Pytest fixtures for a real sandbox on loopback, shared by tests/server and tests/kiosk/backend.

Use from a conftest.py:  from server.sandbox.testing import sandbox_server, sandbox_url, ...  # noqa: F401
The `sandbox_server` fixture is parametrised over SQLite and PostgreSQL; the PostgreSQL variant is
marked `postgres` and skips unless KIOSK_TEST_PG_URL names a server (scripts/start-test-postgres.sh).
Each server gets a fresh database, demo data seeded, and a clock pinned to TEST_NOW.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from server.sandbox.runner import RunningSandbox, start_in_thread
from server.sandbox.settings import CHINA_TZ, DEMO_KIOSK_ID, DEMO_KIOSK_KEY, Clock, SandboxSettings

PG_ENV = "KIOSK_TEST_PG_URL"
TEST_ADMIN_TOKEN = secrets.token_urlsafe(24)  # every test sandbox has its admin API on, with this token
ADMIN_HEADERS = {"X-Admin-Token": TEST_ADMIN_TOKEN}
TEST_NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=CHINA_TZ)  # a Tuesday
KIOSK_HEADERS = {"X-Kiosk-Id": DEMO_KIOSK_ID, "X-Kiosk-Key": DEMO_KIOSK_KEY}


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    """A throwaway database on the PostgreSQL server at admin_url, dropped afterwards."""
    name = f"sandbox_test_{uuid.uuid4().hex[:12]}"
    url = make_url(admin_url).set(drivername="postgresql+psycopg")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def running_sandbox(db_url: str, **overrides: object) -> Iterator[RunningSandbox]:
    overrides.setdefault("admin_token", TEST_ADMIN_TOKEN)
    settings = SandboxSettings(db_url=db_url, clock=Clock(TEST_NOW), **overrides)  # type: ignore[arg-type]
    server = start_in_thread(settings)
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def fresh_sandbox(backend: str, tmp_dir: Path, **overrides: object) -> Iterator[RunningSandbox]:
    """A new server with its own database: backend is "sqlite" or "postgres"."""
    if backend == "postgres":
        admin_url = os.environ.get(PG_ENV)
        if not admin_url:
            pytest.skip(f"{PG_ENV} not set (see scripts/start-test-postgres.sh)")
        with postgres_database(admin_url) as url, running_sandbox(url, **overrides) as server:
            yield server
        return
    with running_sandbox(f"sqlite:///{tmp_dir / f'sandbox-{uuid.uuid4().hex[:8]}.sqlite3'}", **overrides) as server:
        yield server


DB_BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module", params=DB_BACKENDS)
def sandbox_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningSandbox]:
    """One server per test module and database backend; tests must not depend on each other's effects."""
    with fresh_sandbox(request.param, tmp_path_factory.mktemp("sandbox")) as server:
        yield server


@pytest.fixture
def sandbox_url(sandbox_server: RunningSandbox) -> str:
    return sandbox_server.base_url


@pytest.fixture
def sandbox_factory(tmp_path: Path):
    """For tests that need their own server (settings overrides, state they mutate)."""

    def make(backend: str = "sqlite", **overrides: object):
        return fresh_sandbox(backend, tmp_path, **overrides)

    return make
